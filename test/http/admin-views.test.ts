/**
 * The journal listing writes each entry by hand (journalJson), a big body's bounded copy spliced
 * in as the text it is kept as: it must be exactly the text JSON.stringify makes of the entry's
 * view, whatever the entry holds.
 */
import { describe, expect, it } from 'vitest';
import { journalJson, journalView } from '../../src/http/admin-views.js';
import { StoredValue } from '../../src/store/stored-value.js';
import type { JournalEntry } from '../../src/store/types.js';
import { gatewayBody, makeApp } from '../helpers/app.js';

describe('journalJson', () => {
  it('writes exactly what JSON.stringify writes of the view, for every kind of entry the journal keeps', async () => {
    const app = await makeApp();
    const send = (url: string, payload: string, headers: Record<string, string> = {}) =>
      app.inject({ method: 'POST', url, payload, headers: { 'content-type': 'application/json', ...headers } });
    const big = gatewayBody({}, Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`.padEnd(500, 'k'), 'v"\\é'])));
    await send('/process/comprehensive/gateway', JSON.stringify(gatewayBody())); // small body, kept as it came
    await send('/process/comprehensive/gateway', JSON.stringify(big)); // big body, kept as its bounded copy
    await send('/process/comprehensive/gateway', '{"user": "u", "pass": "secret", '); // IN1: the raw text
    await send('/process/comprehensive/gateway', ''); // IN0
    await send('/process/continue', JSON.stringify({ token: 'x'.repeat(32), codematch: { key: '1' } }));
    await send('/process/comprehensive/gateway', JSON.stringify(gatewayBody({}, { phone: '2015550102' }))); // a scenario's answer
    await send('/process/comprehensive/gateway', 'user=u&pass=secret', { 'content-type': 'application/x-www-form-urlencoded' });
    const { entries } = app.simulator.store.journal({ asStored: true });
    expect(entries.length).toBe(7);
    expect(entries.some((e) => e.body instanceof StoredValue)).toBe(true);
    for (const entry of entries) expect(journalJson(entry)).toBe(JSON.stringify(journalView(entry)));
    // And the listing is that text, entry by entry.
    const listing = await app.inject({ method: 'GET', url: '/__admin/requests' });
    expect(listing.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(listing.json()).toEqual({ total: 7, requests: entries.map((e) => JSON.parse(JSON.stringify(journalView(e)))) });
  });

  it('leaves out an undefined field and copes with an entry that has only its first fields', () => {
    const entry = {
      id: 1,
      namespace: 'n',
      at: 0,
      method: 'POST',
      url: '/u',
      endpoint: 'other',
      body: undefined,
      status: 200,
      response: null,
    };
    expect(journalJson(entry as unknown as JournalEntry)).toBe(JSON.stringify(journalView(entry as unknown as JournalEntry)));
  });
});
