/**
 * The request journal: every PhoneMatch request answered, as sent (`pass` redacted), with its
 * answer and the scenario that decided it; filters, a count, and DELETE.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { continueWith, gateway, gatewayBody, makeApp, pinFor } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const ADMIN = 'admin-openapi.yaml';

async function journal(app: FastifyInstance, query = '') {
  const res = await app.inject({ method: 'GET', url: `/__admin/requests${query}` });
  expectSpecResponse('listRequests', res.statusCode, res.json(), ADMIN);
  return res.json() as { total: number; requests: Record<string, any>[] };
}

async function clear(app: FastifyInstance, query = '') {
  const res = await app.inject({ method: 'DELETE', url: `/__admin/requests${query}` });
  expectSpecResponse('clearRequests', res.statusCode, res.json(), ADMIN);
  return res.json().deleted as number;
}

/** A small session in two namespaces: a pass, a wrong code, a send failure, a bad login body, an unparsable body. */
async function session(app: FastifyInstance) {
  const a = { 'x-phonematch-namespace': 'a' };
  const ok = await gateway(app, gatewayBody({ pass: 'hunter2', options: {} }), a);
  const token = ok.body.continuations.outofband.template.token;
  await continueWith(app, token, await pinFor(app, token));
  await gateway(app, gatewayBody({ pass: 'hunter2' }), { ...a, 'x-phonematch-scenario': 'send-failure' });
  const wrong = await gateway(app, gatewayBody({ pass: 'hunter2', options: {} }), { 'x-phonematch-namespace': 'b' });
  await continueWith(app, wrong.body.continuations.outofband.template.token, 'nope');
  await app.inject({
    method: 'POST',
    url: '/process/comprehensive/gateway',
    payload: '{"user":"u@x.com","pass":"hunter2","service":',
    headers: { 'content-type': 'application/json', 'x-phonematch-namespace': 'b' },
  });
}

describe('GET /__admin/requests', () => {
  it('lists every request newest first, with the body as sent, pass redacted everywhere', async () => {
    const app = await makeApp();
    await session(app);
    const all = await journal(app);
    expect(all.total).toBe(6);
    expect(all.requests.map((r) => [r.namespace, r.endpoint, r.status, r.scenario])).toEqual([
      ['b', 'gateway', 400, null], // unparsable: no user could be read, the header still names the namespace
      ['b', 'continue', 200, null],
      ['b', 'gateway', 200, null],
      ['a', 'gateway', 200, 'send-failure'],
      ['a', 'continue', 200, null],
      ['a', 'gateway', 200, null],
    ]);
    expect(all.requests.map((r) => r.id)).toEqual([...all.requests.map((r) => r.id)].sort((x, y) => y - x));
    expect(JSON.stringify(all)).not.toContain('hunter2');
    const first = all.requests[5];
    expect(first).toMatchObject({ method: 'POST', url: '/process/comprehensive/gateway', fault: null });
    expect(first?.body).toMatchObject({ user: 'user@company.com', pass: '[redacted]', target: { phone: '2015106000' } });
    expect(first?.response.result.action).toBe('PENDING');
    expect(typeof first?.durationMs).toBe('number');
    const unparsable = all.requests[0];
    expect(unparsable?.body).toBe('{"user":"u@x.com","pass":"[redacted]","service":');
    expect(unparsable?.response.error).toMatchObject({ code: 'IN1', detail: '{"user":"u@x.com","pass":"[redacted]","service":' });
  });

  it('filters by namespace, endpoint, status and scenario, and counts past the limit', async () => {
    const app = await makeApp();
    await session(app);
    expect((await journal(app, '?namespace=a')).total).toBe(3);
    expect((await journal(app, '?namespace=a&endpoint=continue')).requests.map((r) => r.response.result.action)).toEqual(['PASS']);
    expect((await journal(app, '?endpoint=continue')).total).toBe(2);
    expect((await journal(app, '?status=400')).requests.map((r) => r.response.error.code)).toEqual(['IN1']);
    expect((await journal(app, '?scenario=send-failure')).requests.map((r) => r.response.result.detail)).toEqual([
      'FAILED TO SEND TO NUMBER',
    ]);
    const limited = await journal(app, '?namespace=a&limit=1');
    expect(limited.total).toBe(3);
    expect(limited.requests).toHaveLength(1);
    expect(limited.requests[0]?.scenario).toBe('send-failure');
  });

  it('records the scenario that decided, and a broken connection as status 0 with its fault', async () => {
    const app = await makeApp();
    await gateway(app, gatewayBody({}, { phone: '2015550107' }));
    await app
      .inject({ method: 'POST', url: '/process/comprehensive/gateway', payload: gatewayBody({}, { phone: '2015550108' }) })
      .catch(() => undefined); // the connection is "reset"
    const { requests } = await journal(app);
    expect(requests.map((r) => [r.scenario, r.status, r.fault, r.response?.error?.code ?? null])).toEqual([
      ['connection-reset', 0, 'reset', null],
      ['provider-error', 503, null, 'SVC503'],
    ]);
  });
});

describe('DELETE /__admin/requests', () => {
  it('empties one namespace, then everything, and says how many went', async () => {
    const app = await makeApp();
    await session(app);
    expect(await clear(app, '?namespace=a')).toBe(3);
    expect((await journal(app, '?namespace=a')).total).toBe(0);
    expect((await journal(app)).total).toBe(3);
    expect(await clear(app)).toBe(3);
    expect((await journal(app)).total).toBe(0);
    // The journal only: transactions and messages stay.
    const txs = await app.inject({ method: 'GET', url: '/__admin/transactions' });
    expectSpecResponse('listTransactions', 200, txs.json(), ADMIN);
    expect(txs.json().transactions).toHaveLength(3);
  });
});
