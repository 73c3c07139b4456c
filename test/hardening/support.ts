/**
 * What the hardening tests share: hostile values, a way to put one anywhere in a request, and a
 * snapshot of everything a request may change except the journal (which records every request).
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterEach, expect } from 'vitest';

/** Characters that break naive code: NUL and the C0 controls, lone surrogates, BOM, RTL override, line separators, emoji. */
const NASTY_CHARS = [
  '\u0000',
  '\u0007',
  '\b',
  '\t',
  '\n',
  '\r',
  '\u001b',
  '\u007f',
  '\uD800',
  '\uDFFF',
  '\uFEFF',
  '\u202E',
  '\u2028',
  '\u2029',
  '"',
  '\\',
  '{pin}',
  '🙂',
  'é',
  '名',
];

/** Short strings made of anything: any code point, C0 controls, and the nasty characters above. */
export const hostileString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({ unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)), maxLength: 40 }),
  fc.string({ unit: fc.constantFrom(...NASTY_CHARS), maxLength: 40 }),
);

/** Any JSON value, its strings drawn from every code point. */
export const hostileJson = fc.oneof(
  fc.jsonValue({ maxDepth: 4, stringUnit: 'binary' }),
  hostileString,
  fc.constantFrom(0, -0, 1e308, -1e308, 0.1, Number.MAX_SAFE_INTEGER + 2, -1, true, false, null, [], {}),
);

const deep = (depth: number, open: string, close: string, core = '') => `${open.repeat(depth)}${core}${close.repeat(depth)}`;

/**
 * Big and strange JSON, as raw text: JSON.stringify itself overflows the stack on the deepest.
 * All fit under the default 1 MiB body limit except the last, which must get 413.
 */
export const HOSTILE_FRAGMENTS: Readonly<Record<string, string>> = {
  'deep array (200,000 levels)': deep(200_000, '[', ']'),
  'deep object (50,000 levels)': deep(50_000, '{"a":', '}', '1'),
  'deep object of "pass" keys (20,000 levels)': deep(20_000, '{"pass":', '}', '"S3cret-deep"'),
  'long array (100,000 strings)': JSON.stringify(Array.from({ length: 100_000 }, () => 'voip')),
  'long array (30,000 objects)': JSON.stringify(Array.from({ length: 30_000 }, () => ({}))),
  'object with 40,000 keys': JSON.stringify(Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`k${i}`, i]))),
  'huge string (300,000 é)': JSON.stringify('é'.repeat(300_000)),
  'huge string of escaped controls': JSON.stringify('\u0000\u001f\u2028'.repeat(40_000)),
  'huge string of lone surrogates': JSON.stringify('\uD800'.repeat(60_000)),
  'huge number': `1${'0'.repeat(5_000)}`,
  'tiny and odd numbers': '[1e-400, -0, 1e400, 0.1e-7]',
  'unicode everywhere': JSON.stringify({
    '\u0000': '\u202Eevil',
    '🙂': ['\uFEFF', '\u2028'],
    __proto__x: { constructor: { prototype: 1 } },
  }),
  'prototype keys': '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
  'over the body limit (1.2 MB string)': JSON.stringify('x'.repeat(1_200_000)),
};

const MARK = '@@hostile@@';

/** The JSON text of `base` with `fragment` (raw JSON text) at `path`; a missing parent becomes an object. */
export function withFragment(base: unknown, path: readonly string[], fragment: string): string {
  const put = (node: unknown, rest: readonly string[]): unknown => {
    if (rest.length === 0) return MARK;
    const [head, ...tail] = rest as [string, ...string[]];
    const object = node !== null && typeof node === 'object' && !Array.isArray(node) ? (node as Record<string, unknown>) : {};
    return { ...object, [head]: put(object[head], tail) };
  };
  return JSON.stringify(put(base, path)).replace(`"${MARK}"`, () => fragment);
}

/** The same with a JSON value (any value JSON.stringify can write). */
export function withValue(base: unknown, path: readonly string[], value: unknown): string {
  return withFragment(base, path, JSON.stringify(value) ?? 'null');
}

export { GATEWAY_PATHS } from '../helpers/gateway-fields.js';

/** Every field of a continue request (and a few that are not). */
export const CONTINUE_PATHS: readonly (readonly string[])[] = [
  [],
  ['token'],
  ['codematch'],
  ['codematch', 'key'],
  ['codematch', 'extra'],
  ['extra'],
];

/** Everything a PhoneMatch or control request may change, except the journal. */
export function storeSnapshot(app: FastifyInstance) {
  const { store, scenarios, clock } = app.simulator;
  const { transactions, messages } = store.counts();
  return {
    transactions,
    messages,
    transactionList: JSON.stringify(store.transactions({})),
    messageList: JSON.stringify(store.messages({})),
    activations: JSON.stringify(scenarios.activations()),
    clockOffset: clock.offset(),
  };
}

/** The PhoneMatch/control error envelope, with nothing that looks like a stack or a file path. */
export function expectErrorEnvelope(body: unknown, text: string): void {
  const error = (body as { error?: { code?: unknown } }).error;
  expect(body).toEqual({
    meta: { timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) },
    // IN0 has no detail key, as documented; every other error has one.
    error:
      error?.code === 'IN0'
        ? { message: expect.any(String), code: 'IN0' }
        : { message: expect.any(String), code: expect.any(String), detail: expect.any(String) },
  });
  expect(text).not.toMatch(/\n\s+at |node_modules|\.[jt]s:\d+/);
}

// ---------------------------------------------------------------------------------------------
// The real command, as a user runs it (needs the build: `npm test` runs it first).

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

/** The environment without anything that would configure the mock behind the test's back. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PORT|HOST|PHONEMATCH_.*)$/.test(k)));
  return { ...env, ...extra };
}

export interface RunningCli {
  child: ChildProcess;
  url: string;
  /** Everything printed so far, stdout and stderr. */
  output: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Runs the command to its end (for the ones that refuse to start). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: cleanEnv(env), timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

/** Starts the command on port 0 and resolves once its banner names the URL it listens on. */
export function startCli(args: string[], env: Record<string, string> = {}): Promise<RunningCli> {
  const child = spawn(process.execPath, [CLI, '--port', '0', ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: performance.now() })),
  );
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) resolve({ child, url, output: () => out, exit });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exit.then(({ code }) => reject(new Error(`the mock exited (${code}) before listening:\n${out}`)));
  });
}
