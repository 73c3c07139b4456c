/**
 * The scenarios in force: the loaded set (hot-reloaded from its folder), and which scenario is
 * active for which namespace. An invalid edit keeps the last good set running and is reported.
 */
import type { PhoneOptions } from '../domain/phone.js';
import { type LoadError, type LoadedScenario, type LoadResult, loadScenarioDirs } from './loader.js';
import { FolderWatcher, readScenarioTexts } from './watch.js';

/** The key of a scenario activated for every namespace. */
const ALL = '\u0000all';

export interface ReloadReport {
  loaded: number;
  errors: LoadError[];
  /** True when the new set replaced the old one. */
  applied: boolean;
}

export class ScenarioRegistry {
  private current: LoadedScenario[] = [];
  private byName = new Map<string, LoadedScenario>();
  private readonly active = new Map<string, string>();
  private lastErrors: LoadError[] = [];
  private readonly watchers: FolderWatcher[] = [];
  private readonly reloadListeners = new Set<(report: ReloadReport) => void>();

  /** The folders read, in order (the shipped one first unless left out). */
  readonly dirs: readonly string[];

  constructor(
    dirs: string | readonly string[] | null,
    private readonly phoneOptions: PhoneOptions,
    inline: readonly LoadedScenario[] = [],
  ) {
    this.dirs = dirs === null ? [] : typeof dirs === 'string' ? [dirs] : dirs;
    this.inline = inline;
  }

  private readonly inline: readonly LoadedScenario[];
  /** Scenarios defined at run time (Pact provider states), ahead of every file; cleared by a reset. */
  private readonly runtime = new Map<string, LoadedScenario>();

  /** Adds (or replaces) a run-time scenario; it takes part in matching before any file. */
  define(loaded: LoadedScenario): void {
    this.runtime.set(loaded.scenario.name, loaded);
    this.rebuild();
  }

  undefine(name: string): boolean {
    const removed = this.runtime.delete(name);
    if (removed) this.rebuild();
    return removed;
  }

  clearRuntime(): void {
    if (this.runtime.size === 0) return;
    this.runtime.clear();
    this.rebuild();
  }

  private rebuild(): void {
    const files = this.current.filter((s) => !this.runtimeSources.has(s));
    this.runtimeSources = new Set(this.runtime.values());
    this.current = [...this.runtime.values(), ...files];
    this.byName = new Map(this.current.map((s) => [s.scenario.name, s]));
  }

  private runtimeSources = new Set<LoadedScenario>();

  /** Loads the folder. With `keepOnError`, a set with any bad file does not replace the current one. */
  reload(keepOnError = true): ReloadReport {
    return this.apply(loadScenarioDirs(this.dirs, this.phoneOptions), keepOnError);
  }

  /** The hot reload: the files are read asynchronously, so the server keeps answering meanwhile. */
  async reloadAsync(): Promise<ReloadReport> {
    const texts = new Map<string, string | Error>();
    for (const dir of this.dirs) {
      try {
        for (const [file, text] of await readScenarioTexts(dir)) texts.set(file, text);
      } catch {
        return this.reload(true); // a folder is gone: the synchronous load reports it
      }
    }
    return this.apply(loadScenarioDirs(this.dirs, this.phoneOptions, texts), true);
  }

  private apply(result: LoadResult, keepOnError: boolean): ReloadReport {
    const all = [...this.runtime.values(), ...this.inline, ...result.scenarios];
    this.lastErrors = result.errors;
    const applied = !(keepOnError && result.errors.length > 0 && this.current.length > 0);
    if (applied) {
      this.runtimeSources = new Set(this.runtime.values());
      this.current = all;
      this.byName = new Map(all.map((s) => [s.scenario.name, s]));
    }
    const report = { loaded: this.current.length, errors: result.errors, applied };
    for (const listener of this.reloadListeners) listener(report);
    return report;
  }

  /** Watches the folders; a change to a scenario file in any is applied within about 100 ms. */
  watch(): void {
    if (this.watchers.length > 0) return;
    let running: Promise<unknown> = Promise.resolve();
    // One reload at a time, in order: a burst of changes never runs two reads side by side.
    const changed = () => {
      running = running.then(() => this.reloadAsync()).catch(() => undefined);
    };
    for (const dir of this.dirs) {
      const watcher = new FolderWatcher(dir, changed);
      watcher.start();
      this.watchers.push(watcher);
    }
  }

  onReload(listener: (report: ReloadReport) => void): () => void {
    this.reloadListeners.add(listener);
    return () => this.reloadListeners.delete(listener);
  }

  close(): void {
    for (const watcher of this.watchers.splice(0)) watcher.close();
  }

  list(): readonly LoadedScenario[] {
    return this.current;
  }

  errors(): readonly LoadError[] {
    return this.lastErrors;
  }

  get(name: string): LoadedScenario | undefined {
    return this.byName.get(name);
  }

  activate(name: string, namespace?: string): void {
    this.active.set(namespace ?? ALL, name);
    this.activationChanged();
  }

  deactivate(namespace?: string): boolean {
    const removed = this.active.delete(namespace ?? ALL);
    if (removed) this.activationChanged();
    return removed;
  }

  /** Called whenever the activations change (the inbox's event stream tells its pages at once). */
  onActivation(listener: () => void): () => void {
    this.activationListeners.add(listener);
    return () => this.activationListeners.delete(listener);
  }

  private readonly activationListeners = new Set<() => void>();

  private activationChanged(): void {
    for (const listener of this.activationListeners) listener();
  }

  /** The scenario activated for a namespace, else for all; a name no longer loaded is skipped. */
  activeFor(namespace: string): LoadedScenario | undefined {
    const name = this.active.get(namespace) ?? this.active.get(ALL);
    return name === undefined ? undefined : this.byName.get(name);
  }

  activations(): { namespace: string | null; name: string }[] {
    return [...this.active].map(([key, name]) => ({ namespace: key === ALL ? null : key, name }));
  }

  clearActivations(namespace?: string): void {
    const before = this.active.size;
    if (namespace === undefined) this.active.clear();
    else this.active.delete(namespace);
    if (this.active.size !== before) this.activationChanged();
  }
}
