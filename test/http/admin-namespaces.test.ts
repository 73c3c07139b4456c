/**
 * Namespaces keep parallel tests apart on one instance: active scenarios, captured messages,
 * transactions, the journal and the clock are all per namespace.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { continueWith, gateway, gatewayBody, makeApp } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const ADMIN = 'admin-openapi.yaml';

async function admin(app: FastifyInstance, operationId: string, method: 'GET' | 'PUT' | 'POST' | 'DELETE', url: string, payload?: object) {
  const res = await app.inject({ method, url, ...(payload ? { payload } : {}) });
  expectSpecResponse(operationId, res.statusCode, res.json(), ADMIN);
  return { status: res.statusCode, body: res.json() };
}

/** One "test" of a parallel suite: five sign-ins in its namespace, each entering the code it got. */
async function signIns(app: FastifyInstance, namespace: string) {
  const headers = { 'x-phonematch-namespace': namespace };
  const outcomes: string[] = [];
  for (let i = 0; i < 5; i++) {
    const sent = await gateway(app, gatewayBody({ reference: `${namespace}-${i}`, options: {} }), headers);
    const token = sent.body.continuations?.outofband.template.token as string | undefined;
    if (!token) {
      outcomes.push(`${sent.body.result.action} ${sent.body.result.detail}`);
      continue;
    }
    const { body } = await admin(app, 'latestMessage', 'GET', `/__admin/messages/latest?namespace=${namespace}&phone=2015106000`);
    const entered = await continueWith(app, token, body.message.pin);
    outcomes.push(`${entered.body.result.action} ${entered.body.result.detail}`);
  }
  return outcomes;
}

describe('namespaces', () => {
  it('two namespaces with different active scenarios, used in parallel, never see each other', async () => {
    const app = await makeApp();
    await admin(app, 'activateScenario', 'PUT', '/__admin/scenarios/active', { name: 'code-mismatch', namespace: 'suite-a' });
    await admin(app, 'activateScenario', 'PUT', '/__admin/scenarios/active?namespace=suite-b', { name: 'send-failure' });

    const [a, b] = await Promise.all([signIns(app, 'suite-a'), signIns(app, 'suite-b')]);
    expect(a).toEqual(Array(5).fill('FAIL FAILED OUT-OF-BAND CHECK'));
    expect(b).toEqual(Array(5).fill('FAIL FAILED TO SEND TO NUMBER'));

    for (const [namespace, scenario, status] of [
      ['suite-a', 'code-mismatch', 'delivered'],
      ['suite-b', 'send-failure', 'failed'],
    ] as const) {
      const messages = (await admin(app, 'listMessages', 'GET', `/__admin/messages?namespace=${namespace}`)).body.messages;
      expect(messages).toHaveLength(5);
      expect(
        messages.every(
          (m: { namespace: string; scenario: string; status: string }) =>
            m.namespace === namespace && m.scenario === scenario && m.status === status,
        ),
      ).toBe(true);

      const txs = (await admin(app, 'listTransactions', 'GET', `/__admin/transactions?namespace=${namespace}`)).body.transactions;
      expect(txs).toHaveLength(5);
      expect(
        txs.every((t: { namespace: string; reference: string }) => t.namespace === namespace && t.reference.startsWith(namespace)),
      ).toBe(true);

      const journal = (await admin(app, 'listRequests', 'GET', `/__admin/requests?namespace=${namespace}`)).body;
      expect(journal.total).toBe(namespace === 'suite-a' ? 10 : 5); // suite-b never gets a token to continue
      expect(
        journal.requests.every((r: { namespace: string; scenario: string }) => r.namespace === namespace && r.scenario === scenario),
      ).toBe(true);
    }
    // Without a namespace, the admin calls see both.
    expect((await admin(app, 'listRequests', 'GET', '/__admin/requests')).body.total).toBe(15);
  });

  it('defaults to the API user, and the continue inherits the namespace of its token', async () => {
    const app = await makeApp();
    await admin(app, 'activateScenario', 'PUT', '/__admin/scenarios/active', { name: 'always-pass', namespace: 'alice@company.com' });
    const alice = await gateway(app, gatewayBody({ user: 'alice@company.com', options: {} }));
    const bob = await gateway(app, gatewayBody({ user: 'bob@company.com', options: {} }));
    const aliceToken = alice.body.continuations.outofband.template.token;
    const bobToken = bob.body.continuations.outofband.template.token;
    // A namespace header on the continue does not move the token out of its namespace.
    const aliceEntry = await continueWith(app, aliceToken, 'wrong', { 'x-phonematch-namespace': 'bob@company.com' });
    const bobEntry = await continueWith(app, bobToken, 'wrong');
    expect(aliceEntry.body.result.action).toBe('PASS');
    expect(bobEntry.body.result.action).toBe('FAIL');
    const journal = (await admin(app, 'listRequests', 'GET', '/__admin/requests?namespace=alice%40company.com')).body;
    expect(journal.requests.map((r: { endpoint: string; scenario: string | null }) => [r.endpoint, r.scenario])).toEqual([
      ['continue', 'always-pass'],
      ['gateway', 'always-pass'],
    ]);
  });

  it('the header wins over an activation, and an activation for all applies where none is set', async () => {
    const app = await makeApp();
    await admin(app, 'activateScenario', 'PUT', '/__admin/scenarios/active', { name: 'invalid-number' });
    await admin(app, 'activateScenario', 'PUT', '/__admin/scenarios/active', { name: 'send-failure', namespace: 'mine' });
    const all = await gateway(app, gatewayBody(), { 'x-phonematch-namespace': 'other' });
    const mine = await gateway(app, gatewayBody(), { 'x-phonematch-namespace': 'mine' });
    const header = await gateway(app, gatewayBody({ options: {} }), {
      'x-phonematch-namespace': 'mine',
      'x-phonematch-scenario': 'happy-path',
    });
    // Even a magic number gives way to an activation.
    const magic = await gateway(app, gatewayBody({}, { phone: '2015550100' }), { 'x-phonematch-namespace': 'other' });
    expect(all.body.result.detail).toBe('DATA CHECK FAILED');
    expect(mine.body.result.detail).toBe('FAILED TO SEND TO NUMBER');
    expect(header.body.result.action).toBe('PENDING');
    expect(magic.body.result.detail).toBe('DATA CHECK FAILED');
    const listed = await admin(app, 'listScenarios', 'GET', '/__admin/scenarios');
    expect(listed.body.active).toEqual(
      expect.arrayContaining([
        { namespace: null, name: 'invalid-number' },
        { namespace: 'mine', name: 'send-failure' },
      ]),
    );
    const after = await admin(app, 'deactivateScenario', 'DELETE', '/__admin/scenarios/active');
    expect(after.body.active).toEqual([{ namespace: 'mine', name: 'send-failure' }]);
    const magicAgain = await gateway(app, gatewayBody({}, { phone: '2015550100' }), { 'x-phonematch-namespace': 'other' });
    expect(magicAgain.body.result.action).toBe('PENDING');
  });

  it('an unknown scenario in the header is a request error that names the loaded ones', async () => {
    const app = await makeApp();
    const res = await gateway(app, gatewayBody(), { 'x-phonematch-scenario': 'no-such-thing' });
    expect(res.status).toBe(400);
    expectSpecResponse('gateway', 400, res.body);
    expect(res.body.error).toMatchObject({ code: 'SCN0', message: 'Unknown Scenario' });
    expect(res.body.error.detail).toContain('happy-path');
  });

  it('a reset of one namespace leaves the others alone', async () => {
    const app = await makeApp();
    for (const namespace of ['keep', 'wipe']) {
      await admin(app, 'activateScenario', 'PUT', '/__admin/scenarios/active', { name: 'happy-path', namespace });
      await admin(app, 'advanceClock', 'POST', '/__admin/clock', { advanceMs: 60_000, namespace });
      await gateway(app, gatewayBody(), { 'x-phonematch-namespace': namespace });
    }
    const reset = await admin(app, 'reset', 'POST', '/__admin/reset?namespace=wipe');
    expect(reset.body).toEqual({ reset: true, namespace: 'wipe' });
    const count = async (namespace: string) => ({
      messages: (await admin(app, 'listMessages', 'GET', `/__admin/messages?namespace=${namespace}`)).body.messages.length,
      transactions: (await admin(app, 'listTransactions', 'GET', `/__admin/transactions?namespace=${namespace}`)).body.transactions.length,
      journal: (await admin(app, 'listRequests', 'GET', `/__admin/requests?namespace=${namespace}`)).body.total,
      offsetMs: (await admin(app, 'getClock', 'GET', `/__admin/clock?namespace=${namespace}`)).body.offsetMs,
    });
    expect(await count('keep')).toEqual({ messages: 1, transactions: 1, journal: 1, offsetMs: 60_000 });
    expect(await count('wipe')).toEqual({ messages: 0, transactions: 0, journal: 0, offsetMs: 0 });
    const active = (await admin(app, 'listScenarios', 'GET', '/__admin/scenarios')).body.active;
    expect(active).toEqual([{ namespace: 'keep', name: 'happy-path' }]);

    await admin(app, 'reset', 'POST', '/__admin/reset');
    expect(await count('keep')).toEqual({ messages: 0, transactions: 0, journal: 0, offsetMs: 0 });
    expect((await admin(app, 'listScenarios', 'GET', '/__admin/scenarios')).body.active).toEqual([]);
  });

  it('a reset of a namespace cancels its late deliveries, not the others', async () => {
    const app = await makeApp();
    app.simulator.scenarios.define({
      scenario: { name: 'late', description: 'late', delivery: { delayMs: 150 } },
      source: 'inline',
      phoneKeys: null,
    });
    for (const namespace of ['keep', 'wipe']) {
      await gateway(app, gatewayBody({ options: {} }), { 'x-phonematch-namespace': namespace, 'x-phonematch-scenario': 'late' });
    }
    await admin(app, 'reset', 'POST', '/__admin/reset?namespace=wipe');
    const kept = await admin(app, 'latestMessage', 'GET', '/__admin/messages/latest?namespace=keep&wait=10000');
    expect(kept.status).toBe(200);
    // The kept namespace's message came after the same delay: the wiped one would have arrived by now.
    const wiped = await admin(app, 'listMessages', 'GET', '/__admin/messages?namespace=wipe');
    expect(wiped.body.messages).toEqual([]);
  });
});
