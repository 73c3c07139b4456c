import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMock, MockControlError, type RunningMock, startMock } from '../src/index.js';

const SMS = {
  user: 'user@company.com',
  pass: 'PASSWORD',
  service: 'PhoneMatch5.0.SMS',
  options: { outofband: { message: 'Your code is {pin}' } },
};

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

describe('startMock', () => {
  let mock: RunningMock;
  const gateway = (phone: string, namespace?: string) =>
    post(
      `${mock.url}/process/comprehensive/gateway`,
      { ...SMS, target: { phone } },
      namespace ? { 'x-phonematch-namespace': namespace } : {},
    );
  const answer = (token: string, key: string) => post(`${mock.url}/process/continue`, { token, codematch: { key } });

  beforeAll(async () => {
    mock = await startMock({ port: 0, watchScenarios: false, logLevel: 'silent' });
  });
  afterAll(() => mock.close());

  it('listens on a free loopback port and runs a whole flow', async () => {
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.url).not.toMatch(/:8080$/);
    const sent = await gateway('2015550100', 'flow');
    expect(sent.body.result.action).toBe('PENDING');
    const code = await mock.messages.waitForCode('2015550100', { namespace: 'flow', timeoutMs: 2000 });
    expect(code).toBe('123456'); // the happy-path magic number's fixed pin
    const [message] = await mock.messages.list({ phone: '+1 (201) 555-0100', namespace: 'flow' });
    expect(message?.text).toBe('Your code is 123456');
    const token = sent.body.continuations.outofband.template.token as string;
    expect((await answer(token, code)).body.result).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] });
    expect((await mock.transactions.get(token))?.state).toBe('passed');
    expect(await mock.transactions.get('no-such-token')).toBeUndefined();
    expect((await mock.transactions.list({ namespace: 'flow' })).map((tx) => tx.id)).toContain(sent.body.meta.confirmation);
  });

  it('waits for a code that has not been sent yet, without polling', async () => {
    const waiting = mock.messages.waitForCode('2015550177', { namespace: 'later', timeoutMs: 5000 });
    await gateway('2015550177', 'later');
    const [message] = await mock.messages.list({ phone: '2015550177', namespace: 'later' });
    await expect(waiting).resolves.toBe(message?.pin);
  });

  it('waits only for a message newer than `after`', async () => {
    await gateway('2015550178', 'after');
    const first = await mock.messages.waitFor('2015550178', { namespace: 'after' });
    const next = mock.messages.waitFor('2015550178', { namespace: 'after', after: first.id });
    await gateway('2015550178', 'after');
    expect((await next).id).toBeGreaterThan(first.id);
  });

  it('rejects when no code comes in time', async () => {
    const error = await mock.messages.waitForCode('2015550199', { namespace: 'none', timeoutMs: 50 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockControlError);
    expect((error as MockControlError).code).toBe('TIMEOUT');
    expect((error as MockControlError).message).toContain('2015550199');
  });

  it('waits for a Dialer call like any message, and says plainly that it carries no code', async () => {
    await post(
      `${mock.url}/process/comprehensive/gateway`,
      { ...SMS, service: 'PhoneMatch5.0.Dialer', options: { outofband: { message: 'test.message' } }, target: { phone: '2015550179' } },
      { 'x-phonematch-namespace': 'dialer' },
    );
    const call = await mock.messages.waitFor('2015550179', { namespace: 'dialer' });
    expect(call).toMatchObject({ channel: 'dialer', text: 'test.message', pin: null });
    const error = await mock.messages.waitForCode('2015550179', { namespace: 'dialer' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockControlError);
    expect((error as MockControlError).code).toBe('NOCODE');
  });

  it('activates and clears a scenario for one namespace', async () => {
    expect(await mock.scenarios.use('send-failure', { namespace: 'sc' })).toContainEqual({ namespace: 'sc', name: 'send-failure' });
    expect((await gateway('2015106000', 'sc')).body.result.detail).toBe('FAILED TO SEND TO NUMBER');
    expect((await gateway('2015106000', 'other')).body.result.action).toBe('PENDING');
    expect(await mock.scenarios.clear({ namespace: 'sc' })).not.toContainEqual({ namespace: 'sc', name: 'send-failure' });
    expect((await gateway('2015106000', 'sc')).body.result.action).toBe('PENDING');
    const list = await mock.scenarios.list();
    expect(list.scenarios.map((s) => s.name)).toContain('happy-path');
  });

  it('reports a control API refusal with its code', async () => {
    const error = await mock.scenarios.use('no-such-scenario').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MockControlError);
    expect(error).toMatchObject({ status: 404, code: 'ADM404' });
  });

  it('moves the clock of a namespace so a token expires', async () => {
    const sent = await gateway('2015106000', 'clock');
    const token = sent.body.continuations.outofband.template.token as string;
    const code = await mock.messages.waitForCode('2015106000', { namespace: 'clock' });
    const before = await mock.clock.now({ namespace: 'clock' });
    expect(await mock.clock.advance(600_000, { namespace: 'clock' })).toBeGreaterThanOrEqual(before + 600_000);
    const late = await answer(token, code);
    expect(late.status).toBe(400);
    expect(late.body.error.code).toBe('QRY6');
  });

  it('resets one namespace, then everything', async () => {
    await gateway('2015106000', 'r1');
    await gateway('2015106000', 'r2');
    await mock.reset({ namespace: 'r1' });
    expect(await mock.messages.list({ namespace: 'r1' })).toEqual([]);
    expect((await mock.messages.list({ namespace: 'r2' })).length).toBe(1);
    await mock.reset();
    expect(await mock.messages.list()).toEqual([]);
  });

  it('exposes the app for inject() and the simulator', async () => {
    const health = await mock.app.inject({ method: 'GET', url: '/__admin/health' });
    expect(health.json()).toMatchObject({ status: 'ok' });
    expect(mock.simulator.scenarios.get('voip')).toBeDefined();
  });
});

describe('startMock with an admin token, and connectMock', () => {
  it('passes the token on every helper call, and connectMock reaches a mock started elsewhere', async () => {
    const mock = await startMock({ watchScenarios: false, logLevel: 'silent', adminToken: 's3cret', scenarios: null });
    try {
      expect((await fetch(`${mock.url}/__admin/messages`)).status).toBe(401);
      await post(`${mock.url}/process/comprehensive/gateway`, { ...SMS, target: { phone: '2015106000' } });
      expect((await mock.messages.list()).length).toBe(1);
      expect((await mock.scenarios.list()).scenarios).toEqual([]);

      const remote = connectMock(`${mock.url}/`, { adminToken: 's3cret' });
      expect(remote.url).toBe(mock.url);
      expect(await remote.messages.waitForCode('2015106000')).toMatch(/^\d{6}$/);
      await expect(connectMock(mock.url).messages.list()).rejects.toMatchObject({ status: 401, code: 'ADM401' });
    } finally {
      await mock.close();
    }
    await mock.close(); // closing twice is harmless
    await expect(fetch(`${mock.url}/__admin/health`)).rejects.toThrow();
  });
});
