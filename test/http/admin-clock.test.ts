/**
 * The mock's clock: moving it forward expires tokens at once, globally or for one namespace.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { continueWith, gateway, gatewayBody, makeApp, pinFor } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const ADMIN = 'admin-openapi.yaml';
const TEN_MINUTES = 600_000;

async function clock(app: FastifyInstance, method: 'GET' | 'POST', url: string, payload?: object) {
  const res = await app.inject({ method, url, ...(payload ? { payload } : {}) });
  expectSpecResponse(method === 'GET' ? 'getClock' : 'advanceClock', res.statusCode, res.json(), ADMIN);
  return res.json() as { now: number; iso: string; offsetMs: number };
}

async function tokenFor(app: FastifyInstance, namespace: string): Promise<string> {
  const sent = await gateway(app, gatewayBody({ options: {} }), { 'x-phonematch-namespace': namespace });
  return sent.body.continuations.outofband.template.token;
}

async function stateOf(app: FastifyInstance, token: string): Promise<string> {
  const res = await app.inject({ method: 'GET', url: `/__admin/transactions/${token}` });
  expectSpecResponse('getTransaction', 200, res.json(), ADMIN);
  return res.json().transaction.state;
}

describe('the clock', () => {
  it('reads real time until moved', async () => {
    const app = await makeApp();
    const before = Date.now();
    const read = await clock(app, 'GET', '/__admin/clock');
    expect(read.offsetMs).toBe(0);
    expect(read.now).toBeGreaterThanOrEqual(before);
    expect(read.now).toBeLessThanOrEqual(Date.now());
    expect(new Date(read.iso).getTime()).toBe(read.now);
  });

  it('moved forward for everyone, expires a token exactly at its life', async () => {
    const app = await makeApp();
    const token = await tokenFor(app, 'ns');
    const pin = await pinFor(app, token);
    const moved = await clock(app, 'POST', '/__admin/clock', { advanceMs: TEN_MINUTES - 5_000 });
    expect(moved.offsetMs).toBe(TEN_MINUTES - 5_000);
    expect(await stateOf(app, token)).toBe('pending');
    await clock(app, 'POST', '/__admin/clock', { advanceMs: 5_000 });
    expect(await stateOf(app, token)).toBe('expired');
    const late = await continueWith(app, token, pin);
    expect(late.status).toBe(400);
    expectSpecResponse('continue', 400, late.body);
    expect(late.body.error.code).toBe('QRY6');
  });

  it('moved for one namespace, expires only that namespace’s tokens', async () => {
    const app = await makeApp();
    const mine = await tokenFor(app, 'mine');
    const theirs = await tokenFor(app, 'theirs');
    const moved = await clock(app, 'POST', '/__admin/clock', { advanceMs: TEN_MINUTES, namespace: 'mine' });
    expect(moved.offsetMs).toBe(TEN_MINUTES);
    expect((await clock(app, 'GET', '/__admin/clock')).offsetMs).toBe(0);
    expect((await clock(app, 'GET', '/__admin/clock?namespace=theirs')).offsetMs).toBe(0);
    expect(await stateOf(app, mine)).toBe('expired');
    expect(await stateOf(app, theirs)).toBe('pending');
    expect((await continueWith(app, mine, await pinFor(app, mine))).body.error.code).toBe('QRY6');
    expect((await continueWith(app, theirs, await pinFor(app, theirs))).body.result.action).toBe('PASS');
  });

  it('a namespace’s clock adds to the global one, and the answers are dated by it', async () => {
    const app = await makeApp();
    await clock(app, 'POST', '/__admin/clock', { advanceMs: 86_400_000 });
    const both = await clock(app, 'POST', '/__admin/clock?namespace=later', { advanceMs: 86_400_000 });
    expect(both.offsetMs).toBe(2 * 86_400_000);
    const sent = await gateway(app, gatewayBody(), { 'x-phonematch-namespace': 'later' });
    const dated = new Date(`${sent.body.meta.timestamp.replace(' ', 'T')}Z`).getTime();
    expect(Math.abs(dated - both.now)).toBeLessThan(5_000);
    await app.inject({ method: 'POST', url: '/__admin/reset' });
    expect((await clock(app, 'GET', '/__admin/clock?namespace=later')).offsetMs).toBe(0);
  });
});
