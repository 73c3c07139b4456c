/**
 * Loads scenario files: YAML (or JSON) validated against `schema/scenario.schema.json`. A bad
 * file is reported with its path, the line and column of each problem and what to write instead;
 * a good set is compiled for fast matching. Several folders load together (the shipped one and
 * the user's); a name defined twice is an error naming both files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import type { ValidateFunction } from 'ajv';
import { type Document, isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { analysePhone, type PhoneOptions } from '../domain/phone.js';
import type { Scenario } from '../generated/scenario.js';
import { builtFrom, packagePath } from '../paths.js';
import { type Issue, type IssuePath, schemaIssues } from './schema-messages.js';
import { scenarioValidator } from './validator.js';
import { readScenarioFile, scenarioFileNames } from './watch.js';

export type { Scenario } from '../generated/scenario.js';
export type { Issue } from './schema-messages.js';

export interface LoadedScenario {
  readonly scenario: Scenario;
  /** The file it came from (absolute), or `inline` for scenarios given in code. */
  readonly source: string;
  /** Normalised keys of `match.phone` (E.164 where readable, else digits). */
  readonly phoneKeys: ReadonlySet<string> | null;
}

export interface LoadError {
  file: string;
  message: string;
  /** 1-based position of the problem in the file, when known. */
  line?: number;
  col?: number;
  /** The lines around the problem, with a caret under it (`scenarios validate` prints it). */
  frame?: string;
}

export interface LoadResult {
  scenarios: LoadedScenario[];
  errors: LoadError[];
  /** How many files were read, good or bad. */
  files: number;
}

const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);
/** Keys whose value is digits a person naturally writes unquoted. */
const DIGIT_KEYS = new Set(['phone', 'pin']);
/** Values given as they are sent: a `phone` inside a response body is not a number to read. */
const OPAQUE_KEYS = new Set(['body', 'headers']);

let validator: ValidateFunction | undefined;
function validate(value: unknown): Issue[] {
  validator ??= scenarioValidator().validate;
  return validator(value) ? [] : schemaIssues(validator.errors ?? []);
}

function asList(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

/** The key a number is matched by: its E.164 form when readable, else its digits. */
export function matchKey(phone: string, options: PhoneOptions): string {
  const facts = analysePhone(phone, options);
  return facts.e164 ?? facts.digits;
}

/**
 * A phone or a pin written as a bare number (`phone: 2015550188`, `pin: 123456`) becomes the
 * digits as written. `sourceOf` gives the text the file had there: YAML reads `pin: 012345` as
 * 12345 (and YAML 1.1 readers as the octal 5349), so a leading zero cannot be taken back from
 * the number. mock decision: such a value is refused with "quote it" rather than guessed, so the
 * file means the same to every YAML reader, the editor's included.
 */
function normaliseDigits(
  value: unknown,
  path: IssuePath,
  sourceOf: (path: IssuePath) => string | undefined,
  issues: Issue[],
  digitKey = false,
): unknown {
  if (Array.isArray(value)) return value.map((item, i) => normaliseDigits(item, [...path, i], sourceOf, issues, digitKey));
  if (typeof value === 'number' && digitKey) {
    const written = sourceOf(path) ?? (Number.isSafeInteger(value) ? String(value) : undefined);
    const field = path.join('.');
    if (written !== undefined && /^\+?0\d/.test(written)) {
      issues.push({ path, message: `${field} ${written} loses its leading zero as a bare number: quote it, '${written}'` });
      return value;
    }
    if (written !== undefined && /^\+?\d+$/.test(written)) return written;
    return value; // not digits (1.5, 1e6): the schema reports it
  }
  if (value === null || typeof value !== 'object') return value;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = OPAQUE_KEYS.has(key) ? item : normaliseDigits(item, [...path, key], sourceOf, issues, DIGIT_KEYS.has(key));
  }
  return copy;
}

/** The problems a JSON Schema cannot state (a range upside down, a number with no digits). */
function semanticIssues(scenario: Scenario, options: PhoneOptions): { issues: Issue[]; phoneKeys: Set<string> | null } {
  const issues: Issue[] = [];
  for (const endpoint of ['gateway', 'continue'] as const) {
    const transport = scenario[endpoint];
    const latency = transport?.latencyMs;
    if (typeof latency === 'object' && latency.min !== undefined && latency.max !== undefined && latency.min > latency.max)
      issues.push({ path: [endpoint, 'latencyMs'], message: `${endpoint}.latencyMs min is above max: swap them` });
    if (transport?.fault !== undefined && transport.response !== undefined)
      issues.push({ path: [endpoint], message: `${endpoint} has both fault and response: a broken connection has no answer; keep one` });
    // These frame the answer itself; a wrong value would hang the client instead of failing it.
    const framing = Object.keys(transport?.response?.headers ?? {}).find((h) => FRAMING_HEADERS.has(h.toLowerCase()));
    if (framing)
      issues.push({
        path: [endpoint, 'response', 'headers', framing],
        message: `${endpoint}.response.headers.${framing} cannot be set: the mock frames the answer itself; remove it`,
        key: true,
      });
  }
  const phones = asList(scenario.match?.phone);
  const keys = new Set<string>();
  phones.forEach((phone, i) => {
    const key = matchKey(phone, options);
    if (key === '')
      issues.push({
        path: typeof scenario.match?.phone === 'string' ? ['match', 'phone'] : ['match', 'phone', i],
        message: `match.phone '${phone}' has no digits`,
      });
    keys.add(key);
  });
  return { issues, phoneKeys: phones.length > 0 ? keys : null };
}

function compileIssues(
  value: unknown,
  source: string,
  options: PhoneOptions,
  sourceOf: (path: IssuePath) => string | undefined = () => undefined,
): LoadedScenario | Issue[] {
  const issues: Issue[] = [];
  const normalised = normaliseDigits(value, [], sourceOf, issues);
  if (issues.length > 0) return issues;
  const schemaProblems = validate(normalised);
  if (schemaProblems.length > 0) return schemaProblems;
  const scenario = normalised as Scenario;
  const checked = semanticIssues(scenario, options);
  if (checked.issues.length > 0) return checked.issues;
  return { scenario, source, phoneKeys: checked.phoneKeys };
}

/**
 * Validates one parsed scenario; returns the compiled scenario or the reasons it is bad, joined.
 * Numbers are accepted for `phone` and `pin` (see normaliseDigits).
 */
export function compileScenario(value: unknown, source: string, options: PhoneOptions): LoadedScenario | string {
  const compiled = compileIssues(value, source, options);
  return Array.isArray(compiled) ? compiled.map((i) => i.message).join('; ') : compiled;
}

/** The node at a path of a parsed document; with `key`, the key of the last step. */
function nodeAt(root: unknown, path: IssuePath, key: boolean): Node | undefined {
  let node = root as Node | undefined;
  for (let i = 0; i < path.length; i++) {
    const step = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return node;
      node = (last && key ? pair.key : pair.value) as Node | undefined;
    } else if (isSeq(node)) {
      const next = node.items[Number(step)] as Node | undefined;
      if (!next) return node;
      node = next;
    } else return node;
  }
  return node;
}

/** The lines around a 1-based position, numbered, with a caret under the column. */
export function codeFrame(text: string, line: number, col: number, around = 2): string {
  const lines = text.replace(/\r?\n$/, '').split(/\r?\n/);
  const first = Math.max(1, line - around);
  const last = Math.min(lines.length, line + around);
  const width = String(last).length;
  const out: string[] = [];
  for (let n = first; n <= last; n++) {
    out.push(`${n === line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1] ?? ''}`.trimEnd());
    if (n === line) out.push(`  ${' '.repeat(width)} | ${' '.repeat(Math.max(0, col - 1))}^`);
  }
  return out.join('\n');
}

/** `file:line:col: message`, the form editors and terminals turn into a link to the place. */
export function describeLoadError(error: LoadError): string {
  const where = error.line === undefined ? error.file : `${error.file}:${error.line}:${error.col ?? 1}`;
  return `${where}: ${error.message}`;
}

interface ParsedText {
  doc: Document;
  /** The text a scalar had in the file (see normaliseDigits). */
  sourceOf(path: IssuePath): string | undefined;
  /** The problems of the value, placed in the file. */
  place(issues: readonly Issue[]): LoadError[];
}

/** Parses a file's text, keeping the positions its problems are reported at. */
function parseText(file: string, text: string): ParsedText | LoadError[] {
  const lineCounter = new LineCounter();
  // JSON is YAML 1.2, so one parser gives positions for both.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number): Pick<LoadError, 'line' | 'col' | 'frame'> => {
    const { line, col } = lineCounter.linePos(offset);
    return { line, col, frame: codeFrame(text, line, col) };
  };
  if (doc.errors.length > 0) {
    return doc.errors.map((e) => ({ file, message: e.message.split('\n')[0] ?? 'cannot be parsed', ...at(e.pos[0]) }));
  }
  return {
    doc,
    sourceOf(path) {
      const node = nodeAt(doc.contents, path, false);
      return isScalar(node) ? node.source : undefined;
    },
    place: (issues) =>
      issues.map((issue) => {
        const node = nodeAt(doc.contents, issue.path, issue.key === true);
        return { file, message: issue.message, ...(node?.range ? at(node.range[0]) : {}) };
      }),
  };
}

const toJS = (doc: Document): unknown => doc.toJS({ maxAliasCount: 100 });

/** Where `npm run build` writes the shipped scenarios, parsed (scripts/build-specs.mjs). */
export const BUILT_SCENARIOS = 'dist/spec/scenarios.json';

/**
 * What the build writes for the scenario files of `dir`: each file's text, and its value as this
 * module reads it (bare-number phones and pins already the digits as written), for every file that
 * parses without a problem into plain JSON (a `.inf` would not survive the trip).
 */
export function parsedScenarioTexts(dir: string): Record<string, unknown> {
  const copies: Record<string, unknown> = {};
  for (const name of scenarioFileNames(readdirSync(dir))) {
    const text = readScenarioFile(join(dir, name));
    const parsed = parseText(name, text);
    if (Array.isArray(parsed)) continue;
    const issues: Issue[] = [];
    const value = normaliseDigits(toJS(parsed.doc), [], parsed.sourceOf, issues);
    if (issues.length === 0 && isDeepStrictEqual(JSON.parse(JSON.stringify(value)), value)) copies[text] = value;
  }
  return copies;
}

/**
 * The copies a build wrote to `file`, by text; null when it cannot be read as such (a build cut
 * short): the files are then parsed, as without a build.
 */
export function readParsedScenarioTexts(file: string): Map<string, unknown> | null {
  try {
    const copies: unknown = JSON.parse(readFileSync(file, 'utf8'));
    return copies !== null && typeof copies === 'object' && !Array.isArray(copies) ? new Map(Object.entries(copies)) : null;
  } catch {
    return null;
  }
}

/**
 * The build's value of a file's text, or undefined. Why: parsing the shipped files took about 35
 * ms of each cold start (a tenth of it). Keyed by the whole text, so a file edited since the
 * build is simply not found; and not used at all when this module is newer than the copies
 * (normaliseDigits may have changed since they were made).
 */
let builtTexts: Map<string, unknown> | null | undefined;
function builtValue(text: string): unknown {
  if (builtTexts === undefined) {
    const file = builtFrom(BUILT_SCENARIOS, relative(packagePath('.'), fileURLToPath(import.meta.url)));
    builtTexts = file === null ? null : readParsedScenarioTexts(file);
  }
  // A copy: a scenario keeps parts of its value (a response body) as they are.
  const value = builtTexts?.get(text);
  return value === undefined ? undefined : structuredClone(value);
}

/**
 * Reads and compiles one file; never throws. `read` is its text when it was read already (a hot
 * reload reads files asynchronously, see watch.ts), or why it could not be.
 */
export function loadScenarioFile(file: string, options: PhoneOptions, read?: string | Error): LoadedScenario | LoadError[] {
  let text: string;
  try {
    if (read instanceof Error) throw read;
    text = read ?? readScenarioFile(file);
  } catch (error) {
    return [{ file, message: `cannot be read: ${(error as Error).message}` }];
  }
  const built = builtValue(text);
  if (built !== undefined) {
    const compiled = compileIssues(built, file, options);
    // With problems (options that refuse it), parsed again below: they are reported in place.
    if (!Array.isArray(compiled)) return compiled;
  }
  return compileText(file, text, options);
}

/** Parses and compiles one file's text: what loadScenarioFile does without the build's copy. */
export function compileText(file: string, text: string, options: PhoneOptions): LoadedScenario | LoadError[] {
  const parsed = parseText(file, text);
  if (Array.isArray(parsed)) return parsed;
  const compiled = compileIssues(toJS(parsed.doc), file, options, parsed.sourceOf);
  return Array.isArray(compiled) ? parsed.place(compiled) : compiled;
}

/**
 * Loads every scenario file of the folders, each folder in name order. Never throws for a bad
 * file: it is reported. A folder given twice is read once. `texts` are the files already read,
 * by full path (a hot reload reads them asynchronously, see watch.ts); without them the folders
 * are read now.
 */
export function loadScenarioDirs(
  dirs: string | readonly string[],
  options: PhoneOptions,
  texts?: ReadonlyMap<string, string | Error>,
): LoadResult {
  const result: LoadResult = { scenarios: [], errors: [], files: 0 };
  const byName = new Map<string, string>();
  for (const root of new Set((typeof dirs === 'string' ? [dirs] : dirs).map((d) => resolve(d)))) {
    let files: string[];
    try {
      files = texts
        ? [...texts.keys()].filter((file) => resolve(file, '..') === root).map((file) => file.slice(root.length + 1))
        : scenarioFileNames(readdirSync(root));
    } catch (error) {
      result.errors.push({ file: root, message: `cannot read the scenario folder: ${(error as Error).message}` });
      continue;
    }
    for (const name of files) {
      const file = join(root, name);
      result.files++;
      const compiled = loadScenarioFile(file, options, texts?.get(file));
      if (Array.isArray(compiled)) {
        result.errors.push(...compiled);
        continue;
      }
      const clash = byName.get(compiled.scenario.name);
      if (clash) {
        result.errors.push({
          file,
          message: `the name '${compiled.scenario.name}' is defined twice: in ${clash} and in ${file}; rename one`,
        });
        continue;
      }
      byName.set(compiled.scenario.name, file);
      result.scenarios.push(compiled);
    }
  }
  return result;
}
