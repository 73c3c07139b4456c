import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPhoneMatchClient, type PhoneMatchClientOptions } from '../../src/client/index.js';
import { type RunningMock, startMock } from '../../src/start.js';
import { makeApp, pinFor } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

/** A fetch that hands the request to `app.inject`: the client's real HTTP code path, no socket. */
function injectFetch(app: FastifyInstance): (request: Request) => Promise<Response> {
  return async (request) => {
    const url = new URL(request.url);
    const res = await app.inject({
      method: request.method as 'POST',
      url: `${url.pathname}${url.search}`,
      headers: Object.fromEntries(request.headers),
      payload: await request.text(),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers.set(name, String(value));
    return new Response(res.body, { status: res.statusCode, headers });
  };
}

async function clientFor(options: Partial<PhoneMatchClientOptions> = {}, config = {}) {
  const app = await makeApp(config);
  const client = createPhoneMatchClient({
    baseUrl: 'http://mock.test/',
    user: 'user@company.com',
    pass: 'PASSWORD',
    fetch: injectFetch(app),
    ...options,
  });
  return { app, client };
}

describe('createPhoneMatchClient', () => {
  it('sends a code (PENDING, with the token) and checks it (PASS); the bodies are the spec’s', async () => {
    const { app, client } = await clientFor();
    const sent = await client.sendCode({ phone: '2015106000', reference: 'order-1', target: { fn: 'John' } });
    expect(sent.kind).toBe('processed');
    if (sent.kind !== 'processed') return;
    expectSpecResponse('gateway', 200, sent.body);
    expect(sent.body.result.action).toBe('PENDING');
    expect(sent.body.meta.reference).toBe('order-1');
    expect(sent.token).toMatch(/^[a-z0-9]{32}$/);
    const token = sent.token ?? '';
    const checked = await client.checkCode(token, await pinFor(app, token));
    expect(checked.kind).toBe('processed');
    if (checked.kind !== 'processed') return;
    expectSpecResponse('continue', 200, checked.body);
    expect(checked.body.result).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] });
  });

  it('sends the documented request shape: options.outofband and the target attributes', async () => {
    const { app, client } = await clientFor();
    await client.sendCode({
      phone: '2015106000',
      service: 'PhoneMatch5.0.SMS',
      message: 'Hi {fn}: {pin}',
      doNotSendToTypes: ['voip'],
      country: { whitelist: ['US'] },
      target: { fn: 'John', phone: 'ignored' },
    });
    const [entry] = app.simulator.store.journal({}).entries;
    expect(entry?.body).toEqual({
      user: 'user@company.com',
      pass: expect.any(String),
      service: 'PhoneMatch5.0.SMS',
      options: { outofband: { message: 'Hi {fn}: {pin}', do_not_send_to_types: ['voip'], country: { whitelist: ['US'] } } },
      target: { fn: 'John', phone: '2015106000' },
    });
  });

  it('gives the FAIL rows as processed results without a token', async () => {
    const { client } = await clientFor();
    const suppressed = await client.sendCode({ phone: '2015550102', doNotSendToTypes: ['voip'] });
    expect(suppressed.kind === 'processed' && [suppressed.body.result.detail, suppressed.token]).toEqual(['SUPPRESSED SENDING CODE', null]);
    const invalid = await client.sendCode({ phone: '2015550104' });
    expect(invalid.kind === 'processed' && invalid.body.result.detail).toBe('DATA CHECK FAILED');
  });

  it('a wrong entry is a processed FAIL / FAILED OUT-OF-BAND CHECK', async () => {
    const { client } = await clientFor();
    const sent = await client.sendCode({ phone: '2015550100' });
    const checked = await client.checkCode(sent.kind === 'processed' ? (sent.token ?? '') : '', 999999);
    expect(checked.kind === 'processed' && checked.body.result.detail).toBe('FAILED OUT-OF-BAND CHECK');
  });

  it.each([
    ['a bad login', { user: 'nobody', pass: 'wrong' }, { phone: '2015106000' }, 'AUTH0', 400],
    ['a missing phone', {}, { phone: '' }, 'QRY1', 400],
    ['an unknown service', {}, { phone: '2015106000', service: 'PhoneMatch9.SMS' }, 'SVC0', 404],
  ])('returns %s as a typed request error', async (_, options, input, code, status) => {
    const { client } = await clientFor(options, { accounts: [{ user: 'user@company.com', pass: 'PASSWORD' }] });
    const sent = await client.sendCode(input);
    expect(sent.kind).toBe('request-error');
    if (sent.kind !== 'request-error') return;
    expectSpecResponse('gateway', status, sent.body);
    expect([sent.status, sent.code, sent.body.error.code]).toEqual([status, code, code]);
    expect(sent.message).toBe(sent.body.error.message);
  });

  it('returns a bad token as QRY6', async () => {
    const { client } = await clientFor();
    const checked = await client.checkCode('nosuchtoken', '123456');
    expect(checked.kind === 'request-error' && [checked.status, checked.code, checked.message]).toEqual([
      400,
      'QRY6',
      'Token Bad or Expired',
    ]);
  });

  it('passes extra headers (a namespace) on every request', async () => {
    const { app, client } = await clientFor({ headers: { 'x-phonematch-namespace': 'client-test' } });
    await client.sendCode({ phone: '2015106000' });
    expect(app.simulator.store.transactions({ namespace: 'client-test' })).toHaveLength(1);
  });

  it('an error envelope with another status (a scenario’s 503) is still a typed request error', async () => {
    const { client } = await clientFor();
    const sent = await client.sendCode({ phone: '2015550107' });
    expect(sent.kind === 'request-error' && [sent.status, sent.code]).toEqual([503, 'SVC503']);
  });

  it('never throws: no answer, a broken body, or an undocumented answer is a failure with an Error', async () => {
    const refused = createPhoneMatchClient({
      baseUrl: 'http://mock.test',
      user: 'u',
      pass: 'p',
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    const none = await refused.sendCode({ phone: '2015106000' });
    expect(none.kind === 'failure' && [none.status, none.error.message]).toEqual([null, 'fetch failed']);

    const truncated = createPhoneMatchClient({
      baseUrl: 'http://mock.test',
      user: 'u',
      pass: 'p',
      fetch: async () => new Response('{"output":', { status: 200, headers: { 'content-type': 'application/json' } }),
    });
    const broken = await truncated.checkCode('t', 1);
    expect(broken.kind === 'failure' && broken.error).toBeInstanceOf(Error);

    const html = createPhoneMatchClient({
      baseUrl: 'http://mock.test',
      user: 'u',
      pass: 'p',
      fetch: async () => new Response('<h1>Bad Gateway</h1>', { status: 502 }),
    });
    const undocumented = await html.sendCode({ phone: '2015106000' });
    expect(undocumented.kind === 'failure' && [undocumented.status, undocumented.error.message]).toEqual([
      502,
      expect.stringContaining('<h1>Bad Gateway</h1>'),
    ]);
  });

  it('verifies a phone (Phone Verification) with a test key, and with the V-PIN add-on', async () => {
    const { app, client } = await clientFor({}, { scenarios: null });
    const person = { fn: 'Barbara', ln: 'Miller', phone: '2015106000', dob: '19740822', testKey: 'general_identity' } as const;
    const verified = await client.verifyPhone({ ...person, reference: 'r-1' });
    expect(verified.kind).toBe('processed');
    if (verified.kind !== 'processed') return;
    expectSpecResponse('gateway', 200, verified.body);
    expect(verified.body.result).toEqual({
      action: 'REVIEW',
      detail: 'TRANSACTION REQUIRES FURTHER ATTENTION',
      issues: ['DATE OF BIRTH CHECK FAILED'],
    });
    const withVpin = await client.verifyPhone({ ...person, dob: '19740821', vpin: true });
    expect(withVpin.kind === 'processed' && withVpin.body.meta.service).toBe('PhoneMatch5.0.VPIN');
    expect(withVpin.kind === 'processed' && 'output' in withVpin.body && withVpin.body.output.vpin.uuid).toMatch(/^[0-9a-f-]{36}$/);
    const journal = (await app.inject({ method: 'GET', url: '/__admin/requests?endpoint=gateway' })).json().requests;
    expect(journal[journal.length - 1].body.target).toEqual({
      fn: 'Barbara',
      ln: 'Miller',
      phone: '2015106000',
      dob: '19740822',
      test_key: 'general_identity',
    });
  });

  it('runs Smart 2FA: a code by call, then the identity verdict', async () => {
    const { app, client } = await clientFor({}, { scenarios: null });
    const started = await client.startSmart2fa({
      fn: 'Abraham',
      ln: 'Lincoln',
      phone: '2015106000',
      testKey: 'deceased2',
      channel: 'call',
    });
    expect(started.kind).toBe('processed');
    if (started.kind !== 'processed' || started.token === null) throw new Error('no token');
    expectSpecResponse('gateway', 200, started.body);
    expect(started.body.meta.service).toBe('PhoneMatch5.0.Smart2FA.Call');
    expect(started.body.continuations?.outofband.hint).toBe('Enter the six-digit code');
    const checked = await client.checkSmart2faCode(started.token, await pinFor(app, started.token));
    expect(checked.kind === 'processed' && checked.body.result).toEqual({ action: 'FAIL', detail: 'TARGET IS DECEASED', issues: [] });
  });
});

describe('createPhoneMatchClient: Validate and the Dialer', () => {
  it('validate(): PASS with the number described, FAIL for an excluded type; the bodies are the spec’s', async () => {
    const { app, client } = await clientFor();
    const passed = await client.validate({ phone: '2015106000', reference: 'v-1', invalidLineTypes: ['voip'] });
    expect(passed.kind === 'processed' && passed.body.result).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] });
    expect(passed.kind === 'processed' && passed.body.output.data.PhoneNumber[0]?.country).toBe('United States');
    expect(passed.kind === 'processed' && passed.body.meta.reference).toBe('v-1');
    const excluded = await client.validate({ phone: '2015550102', invalidLineTypes: ['voip'] });
    expect(excluded.kind === 'processed' && excluded.body.result.detail).toBe('PHONE TYPE CHECK FAILED');
    const journal = (await app.inject({ method: 'GET', url: '/__admin/requests?endpoint=gateway' })).json().requests;
    expect(journal[1].body).toEqual({
      user: 'user@company.com',
      pass: '[redacted]',
      service: 'PhoneMatch5.0.Validate',
      reference: 'v-1',
      target: { phone: '2015106000', invalid_phonelinetypes: ['voip'] },
    });
    for (const result of [passed, excluded]) if (result.kind === 'processed') expectSpecResponse('gateway', 200, result.body);
  });

  it('dial() then dialStatus(): PENDING with a token, then the final result; a suppressed call has no token', async () => {
    const { app, client } = await clientFor();
    const dialled = await client.dial({ phone: '2015106000', reference: 'd-1', audio: 'test.message', doNotSendToTypes: ['voip'] });
    expect(dialled.kind === 'processed' && dialled.body.result.action).toBe('PENDING');
    if (dialled.kind !== 'processed' || !dialled.token) throw new Error('no token');
    const statusOf = await client.dialStatus(dialled.token);
    expect(statusOf.kind === 'processed' && statusOf.body.result).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] });
    const journal = (await app.inject({ method: 'GET', url: '/__admin/requests?endpoint=continue' })).json().requests;
    expect(journal[0].body).toEqual({ token: dialled.token, dialer: { return: 'status' } });
    const suppressed = await client.dial({ phone: '2015550102', doNotSendToTypes: ['voip'] });
    expect(suppressed.kind === 'processed' && [suppressed.body.result.detail, suppressed.token]).toEqual(['SUPPRESSED SENDING CODE', null]);
    const unknown = await client.dialStatus('n0t1ssu3dn0t1ssu3dn0t1ssu3dn0t1s');
    expect(unknown.kind === 'request-error' && [unknown.status, unknown.message]).toEqual([400, 'Token Bad or Expired']);
  });
});

describe('createPhoneMatchClient against a listening mock: namespace, limits, headers', () => {
  let mock: RunningMock;
  beforeAll(async () => {
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
  });
  afterAll(() => mock.close());
  const make = (options: Partial<PhoneMatchClientOptions> = {}) =>
    createPhoneMatchClient({ baseUrl: mock.url, user: 'user@company.com', pass: 'PASSWORD', ...options });

  it('files its requests under its namespace', async () => {
    const sent = await make({ namespace: 'client-ns' }).sendCode({ phone: '2015106020' });
    expect(sent.kind).toBe('processed');
    expect(await mock.messages.list({ phone: '2015106020', namespace: 'client-ns' })).toHaveLength(1);
    expect(await mock.messages.list({ phone: '2015106020', namespace: 'user@company.com' })).toHaveLength(0);
  });

  it('gives up after timeoutMs with a TimeoutError failure', async () => {
    const slow = make({ headers: { 'x-phonematch-scenario': 'slow-provider' }, timeoutMs: 100 });
    const result = await slow.sendCode({ phone: '2015106021' });
    expect(result).toMatchObject({ kind: 'failure', status: null, headers: null });
    if (result.kind === 'failure') expect(result.error.name).toBe('TimeoutError');
    // A call's own limit, on a client without one.
    const perCall = await make({ headers: { 'x-phonematch-scenario': 'slow-provider' } }).sendCode(
      { phone: '2015106021' },
      { timeoutMs: 100 },
    );
    expect(perCall).toMatchObject({ kind: 'failure' });
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const pending = make({ headers: { 'x-phonematch-scenario': 'slow-provider' }, signal: controller.signal }).sendCode({
      phone: '2015106022',
    });
    controller.abort(new Error('test over'));
    const result = await pending;
    expect(result.kind).toBe('failure');
    if (result.kind === 'failure') expect(result.error.message).toBe('test over');
  });

  it('shows the answer headers on every kind of result: Retry-After of a rate limit', async () => {
    const limited = await make({ headers: { 'x-phonematch-scenario': 'rate-limited' } }).sendCode({ phone: '2015106023' });
    expect(limited).toMatchObject({ kind: 'request-error', status: 429, code: 'RATE429' });
    expect(limited.headers?.get('retry-after')).toBe('60');
    const ok = await make().sendCode({ phone: '2015106023' });
    expect(ok.headers?.get('content-type')).toMatch(/application\/json/);
  });
});
