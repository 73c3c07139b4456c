/**
 * The continue request through `app.inject`: every result row of reference section 4 and its
 * decisions (single-use token, attempts, time to live, number entries).
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { LoadedScenario } from '../../src/scenarios/loader.js';
import { continueWith, gateway, gatewayBody, makeApp, pinFor } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const NO_SCENARIOS = { scenarios: null };

async function sent(app: FastifyInstance, body = gatewayBody(), headers: Record<string, string> = {}) {
  const res = await gateway(app, body, headers);
  const token = res.body.continuations.outofband.template.token as string;
  return { token, pin: await pinFor(app, token), gateway: res.body };
}

const wrong = (pin: string) => pin.replace(/\d$/, (d) => String((Number(d) + 1) % 10));

describe('continue results (reference section 4)', () => {
  it('PASS / ALL CHECKS PASSED: the entry matches; meta repeats the transaction with a new confirmation', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { token, pin, gateway: first } = await sent(app, gatewayBody({ reference: 'r-9' }));
    const { status, body, res } = await continueWith(app, token, pin);
    expect(status).toBe(200);
    expectSpecResponse('continue', 200, body);
    expect(body.result).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] });
    expect(Object.keys(body)).toEqual(['output', 'meta', 'result']);
    expect(body.output).toEqual({ outofband: {} });
    expect(body.meta).toMatchObject({ reference: 'r-9', service: first.meta.service, company: first.meta.company, user: first.meta.user });
    expect(body.meta.confirmation).toBeGreaterThan(first.meta.confirmation);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });

  it('FAIL / FAILED OUT-OF-BAND CHECK: the entry does not match', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { token, pin } = await sent(app);
    const { status, body } = await continueWith(app, token, wrong(pin));
    expect(status).toBe(200);
    expectSpecResponse('continue', 200, body);
    expect(body.result).toEqual({ action: 'FAIL', detail: 'FAILED OUT-OF-BAND CHECK', issues: [] });
    expect(body).not.toHaveProperty('continuations');
    expect(body.meta.reference).toBe('12345');
  });

  it('keeps meta.reference null when the gateway had none', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { reference: _, ...body } = gatewayBody();
    const { token, pin } = await sent(app, body as ReturnType<typeof gatewayBody>);
    expect((await continueWith(app, token, pin)).body.meta.reference).toBeNull();
  });

  it('accepts the entry as a number, and ignores extra fields', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { token, pin } = await sent(app);
    const res = await app.inject({
      method: 'POST',
      url: '/process/continue',
      payload: { token, codematch: { key: Number(pin), extra: true }, extra: 'ignored' },
    });
    expectSpecResponse('continue', 200, res.json());
    expect(res.json().result.action).toBe('PASS');
  });

  it('pads a number entry with the zeros JSON dropped (mock decision)', async () => {
    const fixed: LoadedScenario = {
      scenario: { name: 'zero-pin', description: 'The pin starts with a zero.', otp: { pin: '012345' } },
      source: 'inline',
      phoneKeys: null,
    };
    const app = await makeApp(NO_SCENARIOS, { inlineScenarios: [fixed] });
    const first = await sent(app, gatewayBody(), { 'x-phonematch-scenario': 'zero-pin' });
    expect(first.pin).toBe('012345');
    expect((await continueWith(app, first.token, 12345)).body.result.action).toBe('PASS');
    const second = await sent(app, gatewayBody(), { 'x-phonematch-scenario': 'zero-pin' });
    expect((await continueWith(app, second.token, 12346)).body.result.action).toBe('FAIL');
  });

  it('trims white space around a string entry', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { token, pin } = await sent(app);
    expect((await continueWith(app, token, ` ${pin} `)).body.result.action).toBe('PASS');
  });

  it('runs the Call service the same way', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { token, pin } = await sent(app, gatewayBody({ service: 'PhoneMatch5.0.Call' }));
    const { body } = await continueWith(app, token, pin);
    expect(body.result.action).toBe('PASS');
    expect(body.meta.service).toBe('PhoneMatch5.0.Call');
  });
});

describe('the token (single use, attempts, time to live)', () => {
  async function expectBadToken(app: FastifyInstance, token: string, key: unknown = '000000') {
    const { status, body } = await continueWith(app, token, key);
    expect(status).toBe(400);
    expectSpecResponse('continue', 400, body);
    expect(body.error).toEqual({
      message: 'Token Bad or Expired',
      code: 'QRY6',
      detail: token,
    });
  }

  it('is spent by a PASS', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { token, pin } = await sent(app);
    expect((await continueWith(app, token, pin)).body.result.action).toBe('PASS');
    await expectBadToken(app, token, pin);
  });

  it('is spent by a FAIL with the default single attempt; the right code cannot follow', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { token, pin } = await sent(app);
    expect((await continueWith(app, token, wrong(pin))).body.result.action).toBe('FAIL');
    await expectBadToken(app, token, pin);
  });

  it('allows the configured number of attempts: wrong then right passes', async () => {
    const app = await makeApp({ ...NO_SCENARIOS, maxAttempts: 3 });
    const { token, pin } = await sent(app);
    expect((await continueWith(app, token, wrong(pin))).body.result.action).toBe('FAIL');
    expect((await continueWith(app, token, wrong(pin))).body.result.action).toBe('FAIL');
    expect((await continueWith(app, token, pin)).body.result.action).toBe('PASS');
    await expectBadToken(app, token, pin);
  });

  it('is spent when the attempts are exhausted', async () => {
    const app = await makeApp({ ...NO_SCENARIOS, maxAttempts: 2 });
    const { token, pin } = await sent(app);
    expect((await continueWith(app, token, wrong(pin))).body.result.action).toBe('FAIL');
    expect((await continueWith(app, token, wrong(pin))).body.result.action).toBe('FAIL');
    await expectBadToken(app, token, pin);
  });

  it('expires after 10 minutes by default (the clock moved through POST /__admin/clock)', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const early = await sent(app);
    const late = await sent(app);
    const advance = async (advanceMs: number) => {
      const res = await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceMs } });
      expect(res.statusCode).toBe(200);
      expectSpecResponse('advanceClock', 200, res.json(), 'admin-openapi.yaml');
    };
    await advance(599_000);
    expect((await continueWith(app, early.token, early.pin)).body.result.action).toBe('PASS');
    await advance(1_000);
    await expectBadToken(app, late.token, late.pin);
  });

  it('lives as long as the configured token TTL', async () => {
    const app = await makeApp({ ...NO_SCENARIOS, tokenTtlMs: 1000 });
    const { token, pin } = await sent(app);
    await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceMs: 1000 } });
    await expectBadToken(app, token, pin);
  });

  it('expires per namespace when only that namespace’s clock moves', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const mine = await sent(app, gatewayBody({ user: 'me@x.com' }));
    const theirs = await sent(app, gatewayBody({ user: 'them@x.com' }));
    await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceMs: 600_000, namespace: 'me@x.com' } });
    await expectBadToken(app, mine.token, mine.pin);
    expect((await continueWith(app, theirs.token, theirs.pin)).body.result.action).toBe('PASS');
  });

  it('is unknown when it never existed, whatever its form', async () => {
    const app = await makeApp(NO_SCENARIOS);
    await expectBadToken(app, 'o76m3nvz94jvaatfsmespzgx3qkzjjl1');
    await expectBadToken(app, 'x');
    await expectBadToken(app, 'constructor');
    await expectBadToken(app, '__proto__');
  });

  it('cannot be continued after a reset', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { token, pin } = await sent(app);
    expect((await app.inject({ method: 'POST', url: '/__admin/reset' })).statusCode).toBe(200);
    await expectBadToken(app, token, pin);
  });
});
