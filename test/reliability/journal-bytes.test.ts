/**
 * The journal is bounded in bytes, not only in entries: a valid gateway request of about a
 * megabyte (hundreds of long keys, which the spec allows in `target`) is journalled as a bounded
 * copy, and the journal as a whole never holds more than its byte budget.
 */
import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store.js';
import { StoredValue } from '../../src/store/stored-value.js';
import type { JournalEntry } from '../../src/store/types.js';
import { gatewayBody, makeApp } from '../helpers/app.js';

/** About 900 KB of valid input: 400 target attributes, each named by 2,000 characters. */
function bigBody(seed: number) {
  const extra = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`${String(seed).padStart(6, '0')}${i}`.padEnd(2000, 'k'), 'v']));
  return gatewayBody({}, extra);
}

describe('journal memory', () => {
  it('keeps a bounded copy of a megabyte of valid input: keys count as much as strings', async () => {
    const app = await makeApp();
    for (let i = 0; i < 8; i++) {
      const res = await app.inject({ method: 'POST', url: '/process/comprehensive/gateway', payload: bigBody(i) });
      expect(res.statusCode).toBe(200);
    }
    const listing = await app.inject({ method: 'GET', url: '/__admin/requests' });
    expect(listing.statusCode).toBe(200);
    const { requests } = listing.json() as { requests: { body: Record<string, unknown> }[] };
    expect(requests).toHaveLength(8);
    // Each entry's body is cut and says so; the listing of all eight stays small.
    expect(listing.body.length).toBeLessThan(8 * 64 * 1024);
    const keys = Object.keys((requests[0]?.body.target ?? {}) as object);
    expect(keys).toContain('[truncated]');
    const { used, limit } = app.simulator.store.journalBytes();
    expect(used).toBeLessThan(8 * 64 * 1024);
    expect(used).toBeLessThanOrEqual(limit);
  });

  it('drops the oldest entries when the byte budget is full, however few there are', async () => {
    const app = await makeApp({ maxJournalBytes: 256 * 1024 });
    for (let i = 0; i < 30; i++) {
      const res = await app.inject({ method: 'POST', url: '/process/comprehensive/gateway', payload: bigBody(i) });
      expect(res.statusCode).toBe(200);
    }
    const budget = app.simulator.store.journalBytes();
    expect(budget.used).toBeLessThanOrEqual(256 * 1024);
    expect(budget.evicted).toBeGreaterThan(0);
    const { total } = app.simulator.store.journal({});
    expect(total).toBeLessThan(30);
    expect(total).toBeGreaterThan(0);
  });

  it('keeps a small body as the text that came, with pass redacted at every depth when read', async () => {
    const app = await makeApp();
    await app.inject({
      method: 'POST',
      url: '/process/comprehensive/gateway',
      payload: gatewayBody({ options: { outofband: { pass: 'nested-secret' } } }),
    });
    const body = app.simulator.store.journal({}).entries[0]?.body as Record<string, unknown>;
    expect(body.pass).toBe('[redacted]');
    expect(JSON.stringify(body)).not.toContain('nested-secret');
    expect(JSON.stringify(body)).not.toContain('PASSWORD');
  });
});

describe('journal bytes after a deletion', () => {
  it('gives back the bytes of the entries a deleted transaction takes with it', async () => {
    const app = await makeApp();
    const journalBytes = async () => {
      const health = await app.inject({ method: 'GET', url: '/__admin/health' });
      return (health.json() as { budgets: { journalBytes: { used: number } } }).budgets.journalBytes.used;
    };
    const sent = await app.inject({ method: 'POST', url: '/process/comprehensive/gateway', payload: gatewayBody() });
    const id = (sent.json() as { meta: { confirmation: number } }).meta.confirmation;
    const before = await journalBytes();
    expect(before).toBeGreaterThan(0);
    const deleted = await app.inject({ method: 'DELETE', url: `/__admin/transactions?id=${id}` });
    expect(deleted.statusCode).toBe(200);
    // Its one journal entry went with it, and so did its bytes (they stayed counted before).
    expect(await journalBytes()).toBe(0);
  });
});

describe('MemoryStore journal byte budget', () => {
  const entry = (text: string): Omit<JournalEntry, 'id'> => ({
    namespace: 'ns',
    at: 1,
    method: 'POST',
    url: '/x',
    endpoint: 'gateway',
    body: StoredValue.text(JSON.stringify({ text }), (v) => v),
    status: 200,
    response: null,
    transactionId: null,
    variation: null,
    seed: 1,
    fault: null,
    scenario: null,
    durationMs: 0,
  });

  it('evicts oldest first, accounts removals, and reports its use', () => {
    const store = new MemoryStore({ transactions: 10, messages: 10, journal: 100, journalBytes: 10_000 });
    for (let i = 0; i < 10; i++) store.addJournal(entry('x'.repeat(1000)));
    const use = store.journalBytes();
    expect(use.used).toBeLessThanOrEqual(10_000);
    expect(use.evicted).toBeGreaterThan(0);
    const ids = store.journal({}).entries.map((e) => e.id);
    expect(ids[0]).toBe(10); // the newest stays
    store.clearJournal('ns');
    expect(store.journalBytes().used).toBe(0);
  });
});
