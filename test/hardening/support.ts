/**
 * What the hardening tests share: hostile values, a way to put one anywhere in a request, and a
 * snapshot of everything a request may change except the journal (which records every request).
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';

/** Characters that break naive code: NUL and the C0 controls, lone surrogates, BOM, RTL override, line separators, emoji. */
const NASTY_CHARS = ['\u0000', '\u0007', '\b', '\t', '\n', '\r', '\u001b', '\u007f', '\uD800', '\uDFFF', '\uFEFF', '\u202E', '\u2028', '\u2029', '"', '\\', '{pin}', '🙂', 'é', '名'];

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
  'unicode everywhere': JSON.stringify({ '\u0000': '\u202Eevil', '🙂': ['\uFEFF', '\u2028'], __proto__x: { constructor: { prototype: 1 } } }),
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

/** Every field of a gateway request (and a few that are not). */
export const GATEWAY_PATHS: readonly (readonly string[])[] = [
  [],
  ['user'],
  ['pass'],
  ['service'],
  ['reference'],
  ['rules'],
  ['options'],
  ['options', 'outofband'],
  ['options', 'outofband', 'message'],
  ['options', 'outofband', 'do_not_send_to_types'],
  ['options', 'outofband', 'country'],
  ['options', 'outofband', 'country', 'blacklist'],
  ['options', 'outofband', 'country', 'whitelist'],
  ['target'],
  ['target', 'phone'],
  ['target', 'fn'],
  ['target', 'ln'],
  ['target', 'extra'],
  ['extra'],
];

/** Every field of a continue request (and a few that are not). */
export const CONTINUE_PATHS: readonly (readonly string[])[] = [[], ['token'], ['codematch'], ['codematch', 'key'], ['codematch', 'extra'], ['extra']];

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
  expect(body).toEqual({
    meta: { timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) },
    error: { message: expect.any(String), code: expect.any(String), detail: expect.any(String) },
  });
  expect(text).not.toMatch(/\n\s+at |node_modules|\.[jt]s:\d+/);
}
