import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { MALFORMED_BODY, SimulatedFault } from '../../src/http/transport.js';
import { compileScenario, type LoadedScenario } from '../../src/scenarios/loader.js';
import { gatewayBody, makeApp } from '../helpers/app.js';
import { type HttpResult, send, startLive } from '../helpers/live.js';
import { expectSpecResponse } from '../helpers/spec.js';

const PHONE_OPTIONS = { defaultRegion: 'US', ambiguousLineType: 'mobile' } as const;

function inline(value: Record<string, unknown>): LoadedScenario {
  const compiled = compileScenario({ description: 'inline test scenario', ...value }, 'inline', PHONE_OPTIONS);
  if (typeof compiled === 'string') throw new Error(compiled);
  return compiled;
}

/** The documented gateway request, the scenario named in its header. */
function gatewayUnder(app: FastifyInstance, scenario: string) {
  return app.inject({
    method: 'POST',
    url: '/process/comprehensive/gateway',
    payload: gatewayBody(),
    headers: { 'x-phonematch-scenario': scenario },
  });
}

const FAULTS = [
  inline({ name: 't-reset', gateway: { fault: 'reset' } }),
  inline({ name: 't-empty', gateway: { fault: 'empty' } }),
  inline({ name: 't-malformed', gateway: { fault: 'malformed' } }),
  inline({ name: 't-slow', gateway: { latencyMs: 800 } }),
];

describe('faults under app.inject (no socket to break)', () => {
  it('rejects the inject promise for reset and empty instead of hanging, and journals the fault', async () => {
    const app = await makeApp({ scenarios: null }, { inlineScenarios: FAULTS });
    for (const fault of ['reset', 'empty'] as const) {
      const injected = app.inject({
        method: 'POST',
        url: '/process/comprehensive/gateway',
        payload: gatewayBody(),
        headers: { 'x-phonematch-scenario': `t-${fault}` },
      });
      await expect(injected).rejects.toBeInstanceOf(SimulatedFault);
      await expect(injected).rejects.toMatchObject({ code: 'ECONNRESET', fault });
    }
    const journal = (await app.inject({ method: 'GET', url: '/__admin/requests' })).json();
    expectSpecResponse('listRequests', 200, journal, 'admin-openapi.yaml');
    expect(journal.requests.map((r: { fault: string; status: number }) => [r.fault, r.status])).toEqual([
      ['empty', 0],
      ['reset', 0],
    ]);
  });

  it('journals an answer that waited out its latency, with the wait in its duration', async () => {
    const app = await makeApp({ scenarios: null }, { inlineScenarios: [inline({ name: 't-wait', gateway: { latencyMs: 150 } })] });
    const res = await gatewayUnder(app, 't-wait');
    expect(res.statusCode).toBe(200);
    const journal = (await app.inject({ method: 'GET', url: '/__admin/requests' })).json();
    expect(journal.requests).toHaveLength(1);
    expect(journal.requests[0]).toMatchObject({ status: 200, scenario: 't-wait', response: { result: { action: 'PENDING' } } });
    expect(journal.requests[0].durationMs).toBeGreaterThanOrEqual(150);
  });

  it('answers 200 with a truncated body for malformed', async () => {
    const app = await makeApp({ scenarios: null }, { inlineScenarios: FAULTS });
    const res = await gatewayUnder(app, 't-malformed');
    expect(res.statusCode).toBe(200);
    expect(res.payload).toBe(MALFORMED_BODY);
    expect(() => JSON.parse(res.payload)).toThrow();
  });
});

describe('faults and latency over a real connection', () => {
  it('resets, closes empty, or sends a malformed body, and keeps serving afterwards', async () => {
    const { url } = await startLive({ scenarios: null }, { inlineScenarios: FAULTS });
    const gw = `${url}/process/comprehensive/gateway`;
    const [reset, empty, malformed] = (await Promise.all(
      (['t-reset', 't-empty', 't-malformed'] as const).map((name) => send(gw, 'POST', gatewayBody(), { 'x-phonematch-scenario': name })),
    )) as [HttpResult, HttpResult, HttpResult];
    expect(reset).toMatchObject({ status: 0, error: 'ECONNRESET' });
    expect(empty).toMatchObject({ status: 0, error: 'UND_ERR_SOCKET' });
    expect(malformed).toMatchObject({ status: 200, text: MALFORMED_BODY, json: undefined });
    expect(malformed.headers?.get('content-type')).toMatch(/^application\/json/);
    const after = await send(gw, 'POST', gatewayBody());
    expect(after.status).toBe(200);
    expect(after.json.result.action).toBe('PENDING');
  });

  it('delays one answer without holding up the others', async () => {
    const { url } = await startLive({ scenarios: null }, { inlineScenarios: FAULTS });
    const gw = `${url}/process/comprehensive/gateway`;
    const slow = send(gw, 'POST', gatewayBody(), { 'x-phonematch-scenario': 't-slow' });
    const fast = await send(gw, 'POST', gatewayBody());
    expect(fast.status).toBe(200);
    expect(fast.ms).toBeLessThan(400);
    const slowDone = await slow;
    expect(slowDone.status).toBe(200);
    expect(slowDone.json.result.action).toBe('PENDING');
    expect(slowDone.ms).toBeGreaterThanOrEqual(790);
  });

  it('answers a request still waiting out its latency when closing starts, with Connection: close', async () => {
    const { app, url } = await startLive(
      { scenarios: null },
      { inlineScenarios: [inline({ name: 't-closing', gateway: { latencyMs: 300 } })] },
      false,
    );
    const arrived = new Promise<void>((resolve) => {
      app.simulator.store.subscribe((event) => {
        if (event.type === 'transaction') resolve();
      });
    });
    const pending = send(`${url}/process/comprehensive/gateway`, 'POST', gatewayBody(), { 'x-phonematch-scenario': 't-closing' });
    await arrived;
    const closed = app.close();
    const answer = await pending;
    expect(answer.status).toBe(200);
    expect(answer.json.result.action).toBe('PENDING');
    expect(answer.headers?.get('connection')).toBe('close');
    await closed;
  });

  it('stops waiting out the latency when the client walks away, so closing is quick', async () => {
    const { app, url } = await startLive(
      { scenarios: null },
      { inlineScenarios: [inline({ name: 't-slower', gateway: { latencyMs: 30_000 } })] },
      false,
    );
    const controller = new AbortController();
    const arrived = new Promise<void>((resolve) => {
      app.simulator.store.subscribe((event) => {
        if (event.type === 'transaction') resolve();
      });
    });
    const pending = send(
      `${url}/process/comprehensive/gateway`,
      'POST',
      gatewayBody(),
      { 'x-phonematch-scenario': 't-slower' },
      controller.signal,
    );
    await arrived; // the request is in its latency now
    controller.abort();
    expect((await pending).error).toBe('AbortError');
    const started = performance.now();
    await app.close();
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
