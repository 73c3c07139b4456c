/**
 * Loads scenario files: YAML (or JSON) validated against `schema/scenario.schema.json`. A bad
 * file is reported with its path and the reason; a good set is compiled for fast matching.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, extname, join, resolve } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { analysePhone, type PhoneOptions } from '../domain/phone.js';
import type { Scenario } from '../generated/scenario.js';
import { packagePath } from '../paths.js';
import { readScenarioFile } from './watch.js';

export type { Scenario } from '../generated/scenario.js';

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
}

export interface LoadResult {
  scenarios: LoadedScenario[];
  errors: LoadError[];
}

const SCENARIO_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);
const FRAMING_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection']);

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(value: unknown): ErrorObject[] | null {
  if (!validator) {
    const schema = JSON.parse(readFileSync(packagePath('schema/scenario.schema.json'), 'utf8')) as object;
    // The schema itself is checked against the meta-schema by test/http/spec-documents.test.ts.
    validator = new Ajv({ allErrors: true, strict: true, validateSchema: false }).compile(schema);
  }
  return validator(value) ? null : (validator.errors ?? []);
}

function describe(errors: ErrorObject[]): string {
  return errors
    .map((e) => {
      const where = e.instancePath === '' ? '(top level)' : e.instancePath.slice(1).replaceAll('/', '.');
      if (e.instancePath === '/description' && e.keyword === 'pattern') return 'description must be one line';
      if (e.keyword === 'propertyNames') return `${where} has a header name that is not a valid HTTP token`;
      const extra =
        e.keyword === 'additionalProperties'
          ? ` '${String((e.params as { additionalProperty: string }).additionalProperty)}'`
          : e.keyword === 'enum'
            ? ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')})`
            : '';
      return `${where} ${e.message ?? 'is invalid'}${extra}`;
    })
    .join('; ');
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
 * Validates one parsed scenario; returns the compiled scenario or the reason it is bad.
 * Everything a JSON Schema cannot say (a latency range upside down, a number with no digits)
 * is checked here.
 */
export function compileScenario(value: unknown, source: string, options: PhoneOptions): LoadedScenario | string {
  const errors = validate(value);
  if (errors) return describe(errors);
  const scenario = value as Scenario;
  for (const endpoint of ['gateway', 'continue'] as const) {
    const transport = scenario[endpoint];
    const latency = transport?.latencyMs;
    if (typeof latency === 'object' && latency.min > latency.max) return `${endpoint}.latencyMs min is above max`;
    if (transport?.fault !== undefined && transport.response !== undefined)
      return `${endpoint} has both fault and response: a broken connection has no answer`;
    // These frame the answer itself; a wrong value would hang the client instead of failing it.
    const framing = Object.keys(transport?.response?.headers ?? {}).find((h) => FRAMING_HEADERS.has(h.toLowerCase()));
    if (framing) return `${endpoint}.response.headers.${framing} cannot be set: the mock frames the answer itself`;
  }
  const phones = asList(scenario.match?.phone);
  const keys = new Set<string>();
  for (const phone of phones) {
    const key = matchKey(phone, options);
    if (key === '') return `match.phone '${phone}' has no digits`;
    keys.add(key);
  }
  return { scenario, source, phoneKeys: phones.length > 0 ? keys : null };
}

export function parseScenarioText(text: string, file: string): unknown {
  return extname(file) === '.json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true });
}

/**
 * Loads every scenario file of a folder, in name order. Never throws for a bad file: it is
 * reported. `texts` are the files already read (a hot reload reads them asynchronously, see
 * watch.ts); without them the folder is read now.
 */
export function loadScenarioDir(dir: string, options: PhoneOptions, texts?: ReadonlyMap<string, string | Error>): LoadResult {
  const root = resolve(dir);
  const result: LoadResult = { scenarios: [], errors: [] };
  let files: string[];
  try {
    files = texts
      ? [...texts.keys()].map((file) => basename(file))
      : readdirSync(root)
          .filter((f) => SCENARIO_EXTENSIONS.has(extname(f)))
          .sort();
  } catch (error) {
    result.errors.push({ file: root, message: `cannot read the scenario folder: ${(error as Error).message}` });
    return result;
  }
  const byName = new Map<string, string>();
  for (const name of files) {
    const file = join(root, name);
    let compiled: LoadedScenario | string;
    try {
      const text = texts ? texts.get(file) : readScenarioFile(file);
      if (text instanceof Error) throw text;
      compiled = compileScenario(parseScenarioText(text ?? '', file), file, options);
    } catch (error) {
      compiled = (error as Error).message.split('\n')[0] ?? 'cannot be parsed';
    }
    if (typeof compiled === 'string') {
      result.errors.push({ file, message: compiled });
      continue;
    }
    const clash = byName.get(compiled.scenario.name);
    if (clash) {
      result.errors.push({ file, message: `the name '${compiled.scenario.name}' is already used by ${clash}` });
      continue;
    }
    byName.set(compiled.scenario.name, file);
    result.scenarios.push(compiled);
  }
  return result;
}
