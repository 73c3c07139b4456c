/**
 * The whole flow an app runs, and the first control API calls a test uses with it: read what
 * was "sent" from /__admin/messages, reset, and the store's bounds.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { continueWith, gateway, gatewayBody, makeApp, pinFor } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const NO_SCENARIOS = { scenarios: null };

async function messages(app: FastifyInstance, query = '') {
  const res = await app.inject({ method: 'GET', url: `/__admin/messages${query}` });
  expect(res.statusCode).toBe(200);
  expectSpecResponse('listMessages', 200, res.json(), 'admin-openapi.yaml');
  return res.json().messages as Record<string, any>[];
}

describe('the SMS flow through inject', () => {
  it('sends a code, passes the right entry once, then refuses the spent token', async () => {
    const app = await makeApp();
    const sent = await gateway(app, gatewayBody());
    expect(sent.status).toBe(200);
    expectSpecResponse('gateway', 200, sent.body);
    expect(Object.keys(sent.body)).toEqual(['output', 'meta', 'result', 'continuations']);
    const token = sent.body.continuations.outofband.template.token as string;
    const pass = await continueWith(app, token, await pinFor(app, token));
    expectSpecResponse('continue', 200, pass.body);
    expect(pass.body.result).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] });
    const again = await continueWith(app, token, '000000');
    expect(again.status).toBe(400);
    expectSpecResponse('continue', 400, again.body);
    expect(again.body.error.code).toBe('QRY6');
  });

  it('reads the code from /__admin/messages, as a test or a person would', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const sent = await gateway(app, gatewayBody());
    const [message] = await messages(app, '?phone=2015106000');
    const token = sent.body.continuations.outofband.template.token;
    expect(message?.token).toBe(token);
    expect((await continueWith(app, token, message?.pin)).body.result.action).toBe('PASS');
  });
});

describe('GET /__admin/messages', () => {
  it('shows the documented fields, newest first', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const first = await gateway(app, gatewayBody({}, { phone: '2015106000' }));
    const second = await gateway(app, gatewayBody({}, { phone: '1 (201) 510-6000' }));
    const list = await messages(app, '?phone=2015106000');
    expect(list).toHaveLength(2);
    const [newest, oldest] = list;
    expect(newest).toMatchObject({
      phone: '+12015106000',
      phoneInput: '1 (201) 510-6000',
      channel: 'sms',
      status: 'delivered',
      token: second.body.continuations.outofband.template.token,
      transactionId: second.body.meta.confirmation,
      namespace: 'user@company.com',
    });
    expect(oldest?.token).toBe(first.body.continuations.outofband.template.token);
    for (const m of list) {
      for (const field of ['id', 'phone', 'channel', 'text', 'pin', 'token', 'status', 'createdAt']) expect(m).toHaveProperty(field);
      expect(m.text).toContain(m.pin);
      expect(m.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    expect(newest?.id).toBeGreaterThan(oldest?.id);
  });

  it.each([
    ['the form the client sent', '2015106000'],
    ['the client form with punctuation', encodeURIComponent('(201) 510-6000')],
    ['the normalised E.164 form', encodeURIComponent('+12015106000')],
    ['E.164 with its + read as a space', '+12015106000'],
    ['the digits with the calling code', '12015106000'],
  ])('finds a number by %s', async (_, phone) => {
    const app = await makeApp(NO_SCENARIOS);
    await gateway(app, gatewayBody({}, { phone: '(201) 510-6000' }));
    await gateway(app, gatewayBody({}, { phone: '+44 7400 123456' }));
    const list = await messages(app, `?phone=${phone}`);
    expect(list.map((m) => m.phone)).toEqual(['+12015106000']);
  });

  it('lists every number without a filter, and none for an unknown number', async () => {
    const app = await makeApp(NO_SCENARIOS);
    await gateway(app, gatewayBody());
    await gateway(app, gatewayBody({}, { phone: '+44 7400 123456' }));
    expect(await messages(app)).toHaveLength(2);
    expect(await messages(app, '?phone=2015550199')).toEqual([]);
  });

  it('keeps namespaces apart: the API user by default, the header when sent', async () => {
    const app = await makeApp(NO_SCENARIOS);
    await gateway(app, gatewayBody({ user: 'a@x.com' }));
    await gateway(app, gatewayBody({ user: 'b@x.com' }), { 'x-phonematch-namespace': 'run-42' });
    expect((await messages(app, '?namespace=a@x.com')).map((m) => m.namespace)).toEqual(['a@x.com']);
    expect((await messages(app, '?namespace=run-42')).map((m) => m.namespace)).toEqual(['run-42']);
    expect(await messages(app, '?namespace=b@x.com')).toEqual([]);
  });

  it('records nothing for a number that was not sent to', async () => {
    const app = await makeApp(NO_SCENARIOS);
    await gateway(app, gatewayBody({}, { phone: '123' }));
    await gateway(app, gatewayBody({ options: { outofband: { do_not_send_to_types: ['mobile'] } } }));
    expect(await messages(app)).toEqual([]);
  });
});

describe('POST /__admin/reset', () => {
  it('clears transactions and messages', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const sent = await gateway(app, gatewayBody());
    const token = sent.body.continuations.outofband.template.token;
    const res = await app.inject({ method: 'POST', url: '/__admin/reset' });
    expect(res.statusCode).toBe(200);
    expectSpecResponse('reset', 200, res.json(), 'admin-openapi.yaml');
    expect(res.json()).toEqual({ reset: true, namespace: null });
    expect(await messages(app)).toEqual([]);
    const tx = await app.inject({ method: 'GET', url: `/__admin/transactions/${token}` });
    expect(tx.statusCode).toBe(404);
    expect((await continueWith(app, token, '123456')).body.error.code).toBe('QRY6');
  });

  it('clears one namespace only when asked', async () => {
    const app = await makeApp(NO_SCENARIOS);
    await gateway(app, gatewayBody({ user: 'a@x.com' }));
    await gateway(app, gatewayBody({ user: 'b@x.com' }));
    const res = await app.inject({ method: 'POST', url: '/__admin/reset?namespace=a@x.com' });
    expect(res.json()).toEqual({ reset: true, namespace: 'a@x.com' });
    expect((await messages(app)).map((m) => m.namespace)).toEqual(['b@x.com']);
  });
});

describe('the store is bounded', () => {
  it('drops the oldest transactions and messages past the caps; a dropped token is QRY6', async () => {
    const app = await makeApp({ ...NO_SCENARIOS, maxTransactions: 3, maxMessages: 2 });
    const tokens: string[] = [];
    for (let i = 0; i < 5; i++)
      tokens.push((await gateway(app, gatewayBody({ reference: `r${i}` }))).body.continuations.outofband.template.token);
    const list = await messages(app);
    expect(list.map((m) => m.token)).toEqual([tokens[4], tokens[3]]);
    const health = (await app.inject({ method: 'GET', url: '/__admin/health' })).json();
    expect(health.counts).toMatchObject({ transactions: 3, messages: 2 });
    expect(health.limits).toMatchObject({ transactions: 3, messages: 2 });
    expect((await continueWith(app, tokens[0] ?? '', '1')).body.error.code).toBe('QRY6');
    expect((await continueWith(app, tokens[1] ?? '', '1')).body.error.code).toBe('QRY6');
    // The newest ones still work.
    expect((await continueWith(app, tokens[4] ?? '', await pinFor(app, tokens[4] ?? ''))).body.result.action).toBe('PASS');
  });

  it('stays within its caps under load', async () => {
    const app = await makeApp({ ...NO_SCENARIOS, maxTransactions: 50, maxMessages: 20, maxJournal: 30 });
    for (let i = 0; i < 300; i++) await gateway(app, gatewayBody());
    const { counts } = (await app.inject({ method: 'GET', url: '/__admin/health' })).json();
    expect(counts).toEqual({ transactions: 50, messages: 20, journal: 30 });
  });

  it('sweeps transactions that ended or expired longer ago than the retention', async () => {
    const app = await makeApp({ ...NO_SCENARIOS, retentionMs: 60_000 });
    for (let i = 0; i < 4; i++) await gateway(app, gatewayBody());
    await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceMs: 600_000 + 60_001 } });
    expect(app.simulator.sweep()).toBe(4);
    expect(app.simulator.store.counts().transactions).toBe(0);
  });
});

describe('a seeded transaction (as Pact provider states make)', () => {
  it('carries the company of its account, and continues like a sent one', async () => {
    const app = await makeApp({
      ...NO_SCENARIOS,
      accounts: [{ user: 'user@company.com', pass: 'PASSWORD', company: 'Company ABC, Inc.' }],
    });
    app.simulator.seedTransaction({ phone: '2015106000', pin: '123456', token: 'o76m3nvz94jvaatfsmespzgx3qkzjjl1' });
    const { body } = await continueWith(app, 'o76m3nvz94jvaatfsmespzgx3qkzjjl1', '123456');
    expectSpecResponse('continue', 200, body);
    expect(body.result.action).toBe('PASS');
    expect(body.meta).toMatchObject({ company: 'Company ABC, Inc.', user: 'user@company.com' });
  });
});
