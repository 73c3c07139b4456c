/**
 * Transactions through the control API: state, attempts left, expiry, outcome and the deciding
 * scenario, found by phone number (in any form) or by token.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { continueWith, gateway, gatewayBody, makeApp } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const ADMIN = 'admin-openapi.yaml';

async function list(app: FastifyInstance, query: string) {
  const res = await app.inject({ method: 'GET', url: `/__admin/transactions${query}` });
  expectSpecResponse('listTransactions', res.statusCode, res.json(), ADMIN);
  return res.json().transactions as Record<string, any>[];
}

async function byToken(app: FastifyInstance, token: string) {
  const res = await app.inject({ method: 'GET', url: `/__admin/transactions/${token}` });
  expectSpecResponse('getTransaction', res.statusCode, res.json(), ADMIN);
  return { status: res.statusCode, body: res.json() };
}

describe('GET /__admin/transactions?phone=', () => {
  it('finds a number however it is written, newest first', async () => {
    const app = await makeApp();
    await gateway(app, gatewayBody({ reference: 'one', options: {} }, { phone: '2015550105' }));
    await gateway(app, gatewayBody({ reference: 'two', options: {} }, { phone: '+1 (201) 555-0105' }));
    await gateway(app, gatewayBody({ reference: 'other' }, { phone: '2015106000' }));
    for (const phone of ['2015550105', '+12015550105', '(201) 555-0105', '1-201-555-0105']) {
      const found = await list(app, `?phone=${encodeURIComponent(phone)}`);
      expect(
        found.map((t) => t.reference),
        phone,
      ).toEqual(['two', 'one']);
    }
    expect(await list(app, '?phone=2015550105&limit=1')).toHaveLength(1);
    expect(await list(app, '?phone=2015559999')).toEqual([]);
    const [tx] = await list(app, '?phone=2015550105');
    expect(tx).toMatchObject({
      state: 'pending',
      scenario: 'code-mismatch',
      outcome: { action: 'PENDING', detail: 'MORE INFORMATION IS REQUIRED' },
      maxAttempts: 1,
      attemptsLeft: 1,
      phone: { input: '+1 (201) 555-0105', e164: '+12015550105', valid: true, lineType: 'mobile', country: 'US' },
      attempts: [],
    });
    expect(new Date(tx?.expiresAt).getTime() - new Date(tx?.createdAt).getTime()).toBe(600_000);
  });
});

describe('GET /__admin/transactions/{token}', () => {
  it('shows attempts, attempts left, outcome and the deciding scenario as entries come in', async () => {
    const app = await makeApp();
    const sent = await gateway(app, gatewayBody({ options: {} }), { 'x-phonematch-scenario': 'three-attempts' });
    const token = sent.body.continuations.outofband.template.token;
    const { body } = await byToken(app, token);
    expect(body.transaction).toMatchObject({ token, state: 'pending', scenario: 'three-attempts', maxAttempts: 3, attemptsLeft: 3 });
    const pin: string = body.transaction.pin;
    await continueWith(app, token, '0'.repeat(7));
    await continueWith(app, token, Number(pin));
    const after = (await byToken(app, token)).body.transaction;
    expect(after).toMatchObject({
      state: 'passed',
      attemptsLeft: 1,
      outcome: { action: 'PASS', detail: 'ALL CHECKS PASSED' },
      attempts: [
        { key: '0000000', action: 'FAIL', scenario: 'three-attempts' },
        { key: Number(pin), action: 'PASS', scenario: 'three-attempts' },
      ],
    });
  });

  it('shows a gateway FAIL as rejected, with no token and no expiry', async () => {
    const app = await makeApp();
    await gateway(app, gatewayBody({}, { phone: '2015550104' }));
    const [tx] = await list(app, '?phone=2015550104');
    expect(tx).toMatchObject({
      state: 'rejected',
      token: null,
      expiresAt: null,
      pin: null,
      outcome: { action: 'FAIL', detail: 'DATA CHECK FAILED' },
    });
  });

  it('answers 404 in the envelope for an unknown token', async () => {
    const app = await makeApp();
    const res = await byToken(app, 'o76m3nvz94jvaatfsmespzgx3qkzjjl1');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ADM404');
  });
});
