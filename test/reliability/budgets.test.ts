/**
 * Every collection a client can grow has a budget that holds, and `GET /__admin/health` shows
 * each one with its use. One test per finding of issue 13 that `app.inject()` can show.
 */
import { describe, expect, it } from 'vitest';
import { safeUrl } from '../../src/app.js';
import { MAX_TIME_MS } from '../../src/domain/clock.js';
import { compileScenario } from '../../src/scenarios/loader.js';
import { gatewayBody, makeApp } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const US = { defaultRegion: 'US', ambiguousLineType: 'mobile' } as const;
const GATEWAY = '/process/comprehensive/gateway';

const LATE = {
  scenario: { name: 'late', description: 'Arrives in ten minutes.', delivery: { delayMs: 600_000 } },
  source: 'inline',
  phoneKeys: null,
};

describe('health', () => {
  it('reports every budget with its unit, use, limit and refusals, as the spec says', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/__admin/health' });
    expect(res.statusCode).toBe(200);
    expectSpecResponse('health', 200, res.json(), 'admin-openapi.yaml');
    const { budgets } = res.json() as { budgets: Record<string, { unit: string; limit: number }> };
    expect(Object.keys(budgets).sort()).toEqual(
      [
        'activations',
        'clockNamespaces',
        'connections',
        'eventStreams',
        'journal',
        'journalBytes',
        'lateDeliveries',
        'longPolls',
        'messages',
        'transactions',
      ].sort(),
    );
    expect(budgets.journalBytes).toMatchObject({ unit: 'bytes', limit: 16 * 1024 * 1024 });
  });
});

describe('late deliveries', () => {
  it('hold at most maxLateDeliveries messages; a further one arrives at once and is counted', async () => {
    const app = await makeApp({ maxLateDeliveries: 3 }, { inlineScenarios: [LATE] });
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ method: 'POST', url: GATEWAY, payload: gatewayBody(), headers: { 'x-phonematch-scenario': 'late' } });
      expect(res.statusCode).toBe(200);
    }
    expect(app.simulator.store.messages({})).toHaveLength(2);
    const { budgets } = (await app.inject({ url: '/__admin/health' })).json();
    expect(budgets.lateDeliveries).toEqual({ unit: 'entries', used: 3, limit: 3, refused: 2 });
  });
});

describe('namespaces', () => {
  it('caps clock offsets and activations by namespace (ADM429), and an existing one still moves', async () => {
    const app = await makeApp({ maxNamespaces: 2 });
    for (const ns of ['a', 'b']) {
      expect((await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceMs: 1, namespace: ns } })).statusCode).toBe(200);
      expect(
        (await app.inject({ method: 'PUT', url: '/__admin/scenarios/active', payload: { name: 'happy-path', namespace: ns } })).statusCode,
      ).toBe(200);
    }
    const clock = await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceMs: 1, namespace: 'c' } });
    expect(clock.statusCode).toBe(429);
    expect(clock.json().error.code).toBe('ADM429');
    const activation = await app.inject({
      method: 'PUT',
      url: '/__admin/scenarios/active',
      payload: { name: 'happy-path', namespace: 'c' },
    });
    expect(activation.statusCode).toBe(429);
    expect((await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceMs: 1, namespace: 'a' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'PUT', url: '/__admin/scenarios/active', payload: { name: 'happy-path' } })).statusCode).toBe(200);
  });
});

describe('the clock', () => {
  it('refuses to leave the date range, so timestamps and listings keep working', async () => {
    const app = await makeApp();
    await app.inject({ method: 'POST', url: GATEWAY, payload: gatewayBody() });
    // Close to the end of JavaScript's dates, then a year more.
    app.simulator.clock.advance(MAX_TIME_MS - Date.now() - 20_000_000_000);
    const res = await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceMs: 31_536_000_000 } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('ADM400');
    for (const url of ['/__admin/clock', '/__admin/transactions', '/__admin/requests', '/__admin/messages']) {
      expect((await app.inject({ url })).statusCode, url).toBe(200);
    }
    const error = await app.inject({ method: 'POST', url: GATEWAY, payload: '{' });
    expect(error.statusCode).toBe(400);
    expect(error.json().meta.timestamp).toMatch(/^\+?\d{4,6}-/);
  });
});

describe('control API query numbers', () => {
  it.each(['/__admin/messages/latest?wait=Infinity', '/__admin/messages?limit=1e400', '/__admin/transactions?limit=Infinity'])(
    '%s is a 400',
    async (url) => {
      const app = await makeApp();
      const res = await app.inject({ url });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('ADM400');
    },
  );
});

describe('the journal keeps no secret and no raw junk', () => {
  it('redacts pass in a form-encoded body', async () => {
    const app = await makeApp();
    const res = await app.inject({
      method: 'POST',
      url: GATEWAY,
      payload: 'user=u&p%61ss=form-secret-1&pass=form-secret-2',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(400);
    const listing = await app.inject({ url: '/__admin/requests' });
    expect(listing.body).not.toMatch(/form-secret/);
  });

  it('keeps no namespace header of the wrong form', async () => {
    const app = await makeApp();
    const markup = `<script>${'x'.repeat(8000)}</script>`;
    const res = await app.inject({ method: 'POST', url: GATEWAY, payload: gatewayBody(), headers: { 'x-phonematch-namespace': markup } });
    expect(res.statusCode).toBe(400);
    const [entry] = app.simulator.store.journal({}).entries;
    expect(entry?.namespace).not.toContain('<script>');
    expect(entry?.namespace.length).toBeLessThanOrEqual(256);
  });

  it('hides the admin token in a logged URL however its name is encoded', () => {
    expect(safeUrl('/__admin/events?%74oken=s3cret&namespace=a')).toBe('/__admin/events?%74oken=[redacted]&namespace=a');
    expect(safeUrl('/__admin/events?token=s3cret')).toBe('/__admin/events?token=[redacted]');
    expect(safeUrl('/__admin/events?a=1&t%6Fken=s3cret')).not.toContain('s3cret');
  });
});

describe('scenario header values', () => {
  it.each([
    ['a control character', 'a\u0001b'],
    ['a line break', 'a\nb'],
    ['a character beyond Latin-1', '名'],
  ])('refuses %s at load time', (_what, value) => {
    const compiled = compileScenario(
      { name: 'h', description: 'd', gateway: { response: { status: 503, headers: { 'x-y': value } } } },
      'inline',
      US,
    );
    expect(typeof compiled).toBe('string');
  });

  it('takes Latin-1 and tabs', () => {
    const compiled = compileScenario(
      { name: 'h', description: 'd', gateway: { response: { status: 503, headers: { 'x-y': 'caf\u00e9\tok' } } } },
      'inline',
      US,
    );
    expect(typeof compiled).toBe('object');
  });
});
