/**
 * Reading and watching the scenario folder, safely: only scenario files, only regular files, at
 * most `MAX_SCENARIO_FILE_BYTES` each, read asynchronously on a hot reload (a 4 MB file used to
 * freeze the server for seconds, a FIFO named `x.yaml` hung it, and a change to `notes.txt`
 * reloaded everything). The watch survives the folder being deleted and created again.
 */
import { type FSWatcher, readFileSync, statSync, watch } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join, resolve } from 'node:path';

/** mock decision: a scenario file is at most 256 KiB (the shipped ones are under 1 KiB). */
export const MAX_SCENARIO_FILE_BYTES = 262_144;
export const SCENARIO_EXTENSIONS: ReadonlySet<string> = new Set(['.yaml', '.yml', '.json']);
/** How often a folder that disappeared is looked for again. */
const REAPPEAR_POLL_MS = 500;
const DEBOUNCE_MS = 100;

export function isScenarioFile(name: string): boolean {
  return SCENARIO_EXTENSIONS.has(extname(name));
}

/** The scenario files among a folder's entries, in the order they load (by name). */
export function scenarioFileNames(entries: readonly string[]): string[] {
  return entries.filter(isScenarioFile).sort();
}

function checkSize(file: string, info: { isFile(): boolean; size: number }): void {
  // A FIFO, a socket or a device would block the read (or never end): refused before reading.
  if (!info.isFile()) throw new Error(`${file} is not a regular file`);
  if (info.size > MAX_SCENARIO_FILE_BYTES)
    throw new Error(`the file is ${info.size} bytes; a scenario file may have at most ${MAX_SCENARIO_FILE_BYTES}`);
}

/** Reads one scenario file at start-up (synchronously), with the same checks as a hot reload. */
export function readScenarioFile(file: string): string {
  checkSize(file, statSync(file));
  return readFileSync(file, 'utf8');
}

/** The text of each scenario file of a folder (or why it cannot be read), read asynchronously. */
export async function readScenarioTexts(dir: string): Promise<Map<string, string | Error>> {
  const root = resolve(dir);
  const names = scenarioFileNames(await readdir(root));
  const texts = new Map<string, string | Error>();
  for (const name of names) {
    const file = join(root, name);
    try {
      checkSize(file, await stat(file));
      texts.set(file, await readFile(file, 'utf8'));
    } catch (error) {
      texts.set(file, error as Error);
    }
  }
  return texts;
}

/**
 * Watches a folder and calls `changed` (debounced) when a scenario file in it changes, when the
 * folder disappears, and when it comes back. `stopped` reports a watch that failed for good.
 */
export class FolderWatcher {
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private poll: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly dir: string,
    private readonly changed: () => void,
  ) {}

  start(): void {
    if (this.closed || this.watcher) return;
    try {
      this.watcher = watch(this.dir, { persistent: false }, (_event, name) => {
        // Only a scenario file (or an unnamed change, which some platforms report) reloads.
        if (name === null || isScenarioFile(String(name))) this.schedule();
        else this.checkStillThere();
      });
    } catch {
      this.waitForFolder();
      return;
    }
    this.watcher.on('error', () => this.lost());
    // A deleted folder ends its watch on some platforms without an error: check on each event.
    this.watcher.on('close', () => {
      if (!this.closed && this.watcher) this.lost();
    });
  }

  private schedule(): void {
    clearTimeout(this.debounce);
    this.debounce = setTimeout(() => {
      this.checkStillThere();
      this.changed();
    }, DEBOUNCE_MS);
    this.debounce.unref();
  }

  private checkStillThere(): void {
    stat(this.dir).then(
      (info) => {
        if (!info.isDirectory()) this.lost();
      },
      () => this.lost(),
    );
  }

  /** The folder went away: stop watching it, and look for it again until it is back. */
  private lost(): void {
    if (this.closed) return;
    const watcher = this.watcher;
    this.watcher = undefined;
    watcher?.removeAllListeners('close');
    watcher?.close();
    this.waitForFolder();
  }

  private waitForFolder(): void {
    if (this.closed || this.poll) return;
    this.poll = setInterval(() => {
      stat(this.dir).then(
        (info) => {
          if (!info.isDirectory() || this.closed || !this.poll) return;
          clearInterval(this.poll);
          this.poll = undefined;
          this.start();
          this.changed();
        },
        () => undefined,
      );
    }, REAPPEAR_POLL_MS);
    this.poll.unref();
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.debounce);
    clearInterval(this.poll);
    this.poll = undefined;
    this.watcher?.removeAllListeners('close');
    this.watcher?.close();
    this.watcher = undefined;
  }
}
