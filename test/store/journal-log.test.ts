import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JournalLog } from '../../src/store/journal-log.js';
import { StoredValue } from '../../src/store/stored-value.js';
import type { JournalEntry } from '../../src/store/types.js';

let nextId = 0;
function entry(over: Partial<JournalEntry> = {}): JournalEntry {
  return {
    id: ++nextId,
    namespace: 'ns',
    at: 1000,
    method: 'POST',
    url: '/process/comprehensive/gateway',
    endpoint: 'gateway',
    body: null,
    status: 200,
    response: null,
    fault: null,
    scenario: null,
    variation: null,
    transactionId: null,
    seed: 7,
    durationMs: 2,
    ...over,
  };
}

/** What an entry reads back as: its stored values shown. */
function shown(e: JournalEntry): JournalEntry {
  const value = (v: unknown) => (v instanceof StoredValue ? v.value() : v);
  return { ...e, body: value(e.body), response: value(e.response) };
}

const utf8 = (text: string) => Buffer.byteLength(text);

describe('JournalLog', () => {
  it('reads back every kind of field as it was given, in UTF-8 of any plane', () => {
    const log = new JournalLog(10, 64 * 1024);
    const redact = (v: unknown) => ({ ...(v as object), pass: '[redacted]' });
    const given = [
      entry({ body: StoredValue.text('{"user":"u","pass":"secret","fn":"Zoë 🦊"}', redact), response: StoredValue.shown('{"ok":"ß"}') }),
      entry({ body: 'a form: pass=[redacted]&x=ü', response: null, fault: 'reset', status: 0, transactionId: 12 }),
      entry({
        body: undefined,
        response: { nested: [1, 'two', { three: 3 }] },
        scenario: 'voip',
        variation: 'gateway step 2 of 2; chance 0.33: hit',
      }),
      entry({ body: 42, response: true, endpoint: 'continue', url: '/process/continue?q=€', namespace: 'other' }),
      entry({ body: () => 1 }),
    ];
    for (const e of given) log.add(e);
    const back = log.select({}).entries;
    expect(back.slice(1)).toEqual(given.slice(0, 4).map(shown).reverse());
    expect(back[4]?.body).toEqual({ user: 'u', pass: '[redacted]', fn: 'Zoë 🦊' });
    expect(back[0]?.body).toBeUndefined(); // a function has no JSON text
    // As stored: kept text stays a StoredValue, to be written out without a parse.
    const stored = log.select({ limit: 5, asStored: true }).entries;
    expect(stored[4]?.body).toBeInstanceOf(StoredValue);
    expect(stored[4]?.response).toBeInstanceOf(StoredValue);
    expect(JSON.stringify(stored[4])).toContain('"response":{"ok":"ß"}');
    expect((stored[4] as JournalEntry & { response: StoredValue }).response.json()).toBe('{"ok":"ß"}');
    expect(stored[2]?.response).toBeInstanceOf(StoredValue);
    expect(stored[3]?.body).toBe('a form: pass=[redacted]&x=ü');
    // The bytes counted are the UTF-8 written.
    const texts = [
      '{"user":"u","pass":"secret","fn":"Zoë 🦊"}',
      '{"ok":"ß"}',
      'a form: pass=[redacted]&x=ü',
      '{"nested":[1,"two",{"three":3}]}',
    ];
    const urls = given.map((e) => utf8(e.url)).reduce((a, b) => a + b, 0);
    const other = utf8('gateway step 2 of 2; chance 0.33: hit') + 2 + 4; // the variation, 42, true
    expect(log.bytes).toBe(texts.map(utf8).reduce((a, b) => a + b, 0) + urls + other);
  });

  it('filters on the columns and counts every match beyond the limit', () => {
    const log = new JournalLog(10, 64 * 1024);
    log.add(entry({ id: 1, at: 1, status: 400 }));
    log.add(entry({ id: 2, at: 2, namespace: 'b', endpoint: 'continue', transactionId: 5 }));
    log.add(entry({ id: 3, at: 3, scenario: 'voip' }));
    const ids = (q: Parameters<JournalLog['select']>[0]) => log.select(q).entries.map((e) => e.id);
    expect(ids({})).toEqual([3, 2, 1]);
    expect(log.select({ limit: 1 })).toMatchObject({ total: 3, entries: [{ id: 3 }] });
    expect(ids({ namespace: 'b' })).toEqual([2]);
    expect(ids({ endpoint: 'continue' })).toEqual([2]);
    expect(ids({ status: 400 })).toEqual([1]);
    expect(ids({ scenario: 'voip' })).toEqual([3]);
    expect(ids({ since: 2 })).toEqual([3, 2]);
    expect(ids({ transactionId: 5 })).toEqual([2]);
    expect(log.remove({ transactionId: 5 })).toBe(1);
    expect(log.remove({ namespace: 'ns' })).toBe(2);
    expect(log.size).toBe(0);
    expect(log.bytes).toBe(0);
    // A caller that bypasses the types: the entry is kept under '' and goes like any other.
    log.add(entry({ namespace: undefined as unknown as string }));
    expect(log.select({ namespace: '' }).total).toBe(1);
    expect(log.remove({})).toBe(1);
    expect(log.size).toBe(0);
    expect(log.bytes).toBe(0);
  });

  it('drops the oldest entry for its slot, and the oldest ones for their bytes', () => {
    const bySlot = new JournalLog(3, 64 * 1024);
    for (let id = 1; id <= 5; id++) bySlot.add(entry({ id }));
    expect(bySlot.select({}).entries.map((e) => e.id)).toEqual([5, 4, 3]);
    expect(bySlot.evicted).toBe(0); // the count cap is not the byte budget

    const byBytes = new JournalLog(100, 4096);
    for (let id = 1; id <= 10; id++) byBytes.add(entry({ id, body: 'x'.repeat(900) }));
    const kept = byBytes.select({}).entries.map((e) => e.id);
    expect(kept[0]).toBe(10);
    expect(kept).toEqual(kept.map((_, i) => 10 - i)); // the newest ones, in order
    expect(byBytes.bytes).toBeLessThanOrEqual(4096);
    expect(byBytes.evicted).toBe(10 - kept.length);
  });

  it('cuts a field bigger than a quarter of the ring, and says so', () => {
    const log = new JournalLog(10, 4096);
    log.add(entry({ body: StoredValue.shown(JSON.stringify({ big: '€'.repeat(5000) })) }));
    const [back] = log.select({}).entries;
    expect(typeof back?.body).toBe('string');
    expect(back?.body as string).toMatch(/^\{"big":"€+…\[truncated\]$/);
    expect(utf8(back?.body as string)).toBeLessThanOrEqual(1024);
    expect(log.bytes).toBeLessThanOrEqual(4096);
  });

  it('writes no further than about twice its live bytes, whatever its byte limit', () => {
    const log = new JournalLog(1000, 64 * 1024 * 1024);
    for (let i = 0; i < 50_000; i++) log.add(entry({ body: `${i}`.padEnd(1000, 'b') }));
    const live = log.bytes;
    expect(log.size).toBe(1000);
    expect(live).toBeGreaterThan(1000 * 1000);
    // 50 MB were written; the ring went back to its start each time it was past twice the live bytes.
    expect(log.reach).toBeLessThanOrEqual(2 * live + 2 * 3 * 1100);
    expect(log.select({ limit: 1 }).entries[0]?.body).toMatch(/^49999b+$/);
  });

  it('holds to its model under random adds, removals and clears, with texts of every size and plane', () => {
    // Characters of 1 to 4 bytes in UTF-8, and ones JSON escapes. (Not lone surrogates: UTF-8 cannot
    // hold them, and they went over the wire as U+FFFD too.)
    const text = fc.string({ unit: fc.constantFrom('a', 'é', '€', '🦊', '"', '\\', '\u0000'), maxLength: 150, size: 'max' });
    const op = fc.oneof(
      {
        weight: 12,
        arbitrary: fc.record({
          kind: fc.constant('add' as const),
          ns: fc.constantFrom('a', 'b', 'c'),
          body: text,
          pad: fc.integer({ min: 0, max: 700 }),
          tx: fc.option(fc.nat(5)),
        }),
      },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeNs' as const), ns: fc.constantFrom('a', 'b', 'c') }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('removeTx' as const), tx: fc.nat(5) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('clear' as const) }) },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.constantFrom(4096, 8192, 16_384),
        fc.array(op, { minLength: 10, maxLength: 100 }),
        (capacity, byteLimit, ops) => {
          const log = new JournalLog(capacity, byteLimit);
          // The model: every entry added, in order, and whether it was removed on purpose.
          const added: { e: JournalEntry; removed: boolean; bytes: number }[] = [];
          for (const o of ops) {
            if (o.kind === 'add') {
              const body = o.body + 'é'.repeat(o.pad % 100);
              const e = entry({
                namespace: o.ns,
                transactionId: o.tx,
                body,
                response: StoredValue.shown(JSON.stringify({ pad: 'p'.repeat(o.pad) })),
              });
              log.add(e);
              added.push({ e, removed: false, bytes: utf8(e.url) + utf8(body) + utf8(`{"pad":"${'p'.repeat(o.pad)}"}`) });
            } else if (o.kind === 'removeNs') {
              const before = log.select({ namespace: o.ns }).total;
              expect(log.remove({ namespace: o.ns })).toBe(before);
              for (const a of added) if (a.e.namespace === o.ns) a.removed = true;
            } else if (o.kind === 'removeTx') {
              log.remove({ transactionId: o.tx });
              for (const a of added) if (a.e.transactionId === o.tx) a.removed = true;
            } else {
              log.clear();
              for (const a of added) a.removed = true;
            }
            const back = log.select({}).entries;
            // Read back exactly as given: nothing overwritten, nothing mixed up.
            const byId = new Map(added.map((a) => [a.e.id, a]));
            for (const b of back) {
              const a = byId.get(b.id);
              expect(a?.removed).toBe(false);
              expect(b).toEqual(shown(a?.e as JournalEntry));
            }
            // What is kept is every entry not removed from some point on: oldest go first.
            const oldest = back.length === 0 ? Number.POSITIVE_INFINITY : (back[back.length - 1]?.id as number);
            const expected = added
              .filter((a) => !a.removed && a.e.id >= oldest)
              .map((a) => a.e.id)
              .reverse();
            expect(back.map((b) => b.id)).toEqual(expected);
            // The newest entry, unless removed since, is always kept.
            const newest = added[added.length - 1];
            if (o.kind === 'add' && newest) expect(back[0]?.id).toBe(newest.e.id);
            expect(log.size).toBe(back.length);
            expect(back.length).toBeLessThanOrEqual(capacity);
            expect(log.bytes).toBe(back.reduce((sum, b) => sum + (byId.get(b.id)?.bytes ?? 0), 0));
            expect(log.reach).toBeLessThanOrEqual(byteLimit);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
