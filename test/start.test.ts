import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, connectMock, DEFAULT_WAIT_MS, MockControlError, type RunningMock, startMock } from '../src/index.js';

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

describe('a namespace-bound handle (parallel test files)', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
  });
  afterAll(() => mock.close());

  it('binds its client and every helper to its namespace', async () => {
    const a = mock.scoped('file-a');
    const b = mock.scoped('file-b');
    expect([a.namespace, b.namespace, mock.namespace]).toEqual(['file-a', 'file-b', undefined]);
    const sentA = await a.client().sendCode({ phone: '2015106010' });
    const sentB = await b.client().sendCode({ phone: '2015106010' });
    expect([sentA.kind, sentB.kind]).toEqual(['processed', 'processed']);
    const [pinA, pinB] = [await a.messages.waitForCode('2015106010'), await b.messages.waitForCode('2015106010')];
    expect((await a.messages.list()).map((m) => m.pin)).toEqual([pinA]);
    expect((await b.messages.list()).map((m) => m.pin)).toEqual([pinB]);
    expect((await a.transactions.list()).map((t) => t.namespace)).toEqual(['file-a']);

    // b's reset, scenario and clock leave a alone.
    await b.scenarios.use('send-failure');
    expect(await a.client().sendCode({ phone: '2015106011' })).toMatchObject({
      kind: 'processed',
      body: { result: { action: 'PENDING' } },
    });
    expect(await b.client().sendCode({ phone: '2015106011' })).toMatchObject({ body: { result: { detail: 'FAILED TO SEND TO NUMBER' } } });
    await b.scenarios.clear();
    await b.clock.advance(60_000);
    expect((await b.clock.now()) - (await a.clock.now())).toBeGreaterThanOrEqual(59_000);
    await b.reset();
    expect(await b.messages.list()).toEqual([]);
    expect((await a.messages.list()).length).toBe(2);
    // The unbound handle still sees everything.
    expect((await mock.messages.list({ phone: '2015106010' })).length).toBe(1);
    expect((await mock.messages.list({ phone: '2015106010', namespace: 'file-a' })).length).toBe(1);
  });

  it('counts and lists what the app sent, from the journal', async () => {
    const c = mock.scoped('journal-c');
    expect(await c.requests.count()).toBe(0);
    const sent = await c.client().sendCode({ phone: '2015106012' });
    if (sent.kind !== 'processed' || !sent.token) throw new Error('no token');
    await c.client().checkCode(sent.token, '000000');
    expect(await c.requests.count()).toBe(2);
    expect(await c.requests.count({ endpoint: 'continue' })).toBe(1);
    const [last] = await c.requests.list({ limit: 1 });
    expect(last).toMatchObject({ endpoint: 'continue', namespace: 'journal-c', status: 200 });
    expect(await mock.scoped('journal-d').requests.count()).toBe(0);
  });

  it('waits 3 s by default, below the 5 s test timeouts, and says what did arrive for that number and namespace', async () => {
    expect(DEFAULT_WAIT_MS).toBeLessThan(5000);
    const wait = mock.scoped('late');
    await wait.client().sendCode({ phone: '2015106013' });
    const first = await wait.messages.waitFor('2015106013');
    await mock.scoped('elsewhere').client().sendCode({ phone: '2015106013' });
    const error = (await wait.messages
      .waitFor('2015106013', { after: first.id, timeoutMs: 50 })
      .catch((e: unknown) => e)) as MockControlError;
    expect(error).toBeInstanceOf(MockControlError);
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toContain(`no message to 2015106013 in namespace "late" after #${first.id} arrived within 50 ms.`);
    expect(error.message).toContain(`Earlier messages to that number in namespace "late": #${first.id} at`);
    expect(error.message).toMatch(/In other namespaces .*namespace "elsewhere"/);

    const none = (await mock
      .scoped('empty')
      .messages.waitFor('2015106099', { timeoutMs: 10 })
      .catch((e: unknown) => e)) as Error;
    expect(none.message).toMatch(/Nothing at all reached that number in namespace "empty"/);
  });
});

describe("startMock options: the CLI's, in camelCase", () => {
  it('takes them as the CLI does', async () => {
    const mock = await startMock({ tokenTtl: '1m', scenarios: 'none', accounts: 'shop@example.com:pw', noWatch: true, logLevel: 'silent' });
    try {
      expect(mock.simulator.config).toMatchObject({ tokenTtlMs: 60_000, scenarios: null, watchScenarios: false });
      expect(mock.simulator.config.accounts).toEqual([{ user: 'shop@example.com', pass: 'pw' }]);
    } finally {
      await mock.close();
    }
  });

  it("refuses an unknown key or a bad value with the CLI's error, before listening", async () => {
    await expect(startMock({ tokenTl: '1m' } as never)).rejects.toThrow(/unknown option 'tokenTl'\. Did you mean tokenTtl\?/);
    await expect(startMock({ tokenTtl: '10 minutes' })).rejects.toThrow(ConfigError);
  });
});
