/**
 * Reading pact files as `verify` needs them: which files a list of files and folders names,
 * who the consumer and provider are, and which provider states each interaction asks for.
 * Pact specifications 2 (`providerState`), 3 and 4 (`providerStates`) are all read.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';

export interface PactState {
  name: string;
  params: Record<string, unknown>;
}

export interface PactInteraction {
  description: string;
  states: PactState[];
  /** The interaction exactly as in the file, for writing a filtered copy. */
  raw: Record<string, unknown>;
}

export interface PactFile {
  file: string;
  consumer: string;
  provider: string;
  interactions: PactInteraction[];
  /** The whole document, for writing a filtered copy. */
  raw: Record<string, unknown>;
}

export class PactFileError extends Error {
  override name = 'PactFileError';
}

/** The `.json` files a list of files and folders names (a folder's, in name order, not recursive). */
export function expandPactPaths(paths: readonly string[]): string[] {
  const files: string[] = [];
  for (const given of paths) {
    const path = resolve(given);
    let isDirectory: boolean;
    try {
      isDirectory = statSync(path).isDirectory();
    } catch {
      throw new PactFileError(`'${given}' does not exist`);
    }
    if (!isDirectory) {
      files.push(path);
      continue;
    }
    const found = readdirSync(path)
      .filter((name) => extname(name) === '.json')
      .sort()
      .map((name) => join(path, name));
    if (found.length === 0) throw new PactFileError(`the folder '${given}' holds no .json pact file`);
    files.push(...found);
  }
  return [...new Set(files)];
}

function nameOf(value: unknown): string {
  const name = (value as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '';
}

function statesOf(interaction: Record<string, unknown>): PactState[] {
  const many = interaction.providerStates;
  if (Array.isArray(many)) {
    return many.map((s) => {
      const state = s as { name?: unknown; params?: unknown };
      const params = state.params !== null && typeof state.params === 'object' ? (state.params as Record<string, unknown>) : {};
      return { name: typeof state.name === 'string' ? state.name : '', params };
    });
  }
  const one = interaction.providerState;
  return typeof one === 'string' && one !== '' ? [{ name: one, params: {} }] : [];
}

export function readPactFile(file: string): PactFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new PactFileError(`${file} is not a readable JSON pact file: ${(error as Error).message}`);
  }
  if (raw === null || typeof raw !== 'object' || !Array.isArray((raw as { interactions?: unknown }).interactions)) {
    throw new PactFileError(`${file} is not a pact file: it has no "interactions" list`);
  }
  const doc = raw as Record<string, unknown> & { interactions: unknown[] };
  return {
    file,
    consumer: nameOf(doc.consumer),
    provider: nameOf(doc.provider),
    interactions: doc.interactions.map((value, i) => {
      const interaction = (value ?? {}) as Record<string, unknown>;
      const description = typeof interaction.description === 'string' ? interaction.description : `interaction ${i + 1}`;
      return { description, states: statesOf(interaction), raw: interaction };
    }),
    raw: doc,
  };
}
