/**
 * `PhoneMatch5.0.Dialer` through `inject`: every result row of the gateway and of the status
 * request, the call in the mock's clock (scenario `dialer` block), what the control API shows,
 * and the clear errors for a body of the wrong service.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { createClock } from '../../src/domain/clock.js';
import { continueWith, gateway, makeApp } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const DIALER = {
  user: 'user@company.com',
  pass: 'PASSWORD',
  service: 'PhoneMatch5.0.Dialer',
  reference: '12345',
  options: { outofband: { message: 'test.message', do_not_send_to_types: ['voip'] } },
  target: { phone: '2015106000' },
};
const INSTRUCTIONS = 'A call has been placed to the provided number.  Please resubmit the template to retrieve the status of the call.';

async function dial(app: FastifyInstance, phone = '2015106000', headers: Record<string, string> = {}, over: Record<string, unknown> = {}) {
  const res = await gateway(app, { ...DIALER, ...over, target: { phone } }, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expectSpecResponse('gateway', 200, res.body);
  return res.body;
}

async function status(app: FastifyInstance, token: string, body: Record<string, unknown> = { dialer: { return: 'status' } }) {
  const res = await app.inject({ method: 'POST', url: '/process/continue', payload: { token, ...body } });
  const json = res.json();
  expectSpecResponse('continue', res.statusCode, json);
  return { status: res.statusCode, body: json };
}

async function advance(app: FastifyInstance, advanceMs: number) {
  const res = await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceMs } });
  expect(res.statusCode).toBe(200);
}

async function txOf(app: FastifyInstance, token: string) {
  const res = await app.inject({ method: 'GET', url: `/__admin/transactions/${token}` });
  expectSpecResponse('getTransaction', res.statusCode, res.json(), 'admin-openapi.yaml');
  return res.json().transaction;
}

async function messagesTo(app: FastifyInstance, phone: string) {
  const res = await app.inject({ method: 'GET', url: `/__admin/messages?phone=${phone}` });
  expectSpecResponse('listMessages', 200, res.json(), 'admin-openapi.yaml');
  return res.json().messages;
}

const PASS = { action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] };
const NOT_DELIVERED = { action: 'FAIL', detail: 'FAILED TO SEND TO NUMBER', issues: [] };
const PENDING = { action: 'PENDING', detail: 'MORE INFORMATION IS REQUIRED', issues: [] };

describe('PhoneMatch5.0.Dialer gateway', () => {
  it('PENDING / MORE INFORMATION IS REQUIRED: the call is placed; the template is the status request', async () => {
    const app = await makeApp();
    const body = await dial(app);
    expect(Object.keys(body)).toEqual(['output', 'meta', 'result', 'continuations']);
    expect(body.output).toEqual({ outofband: {} });
    expect(body.result).toEqual(PENDING);
    expect(body.meta).toMatchObject({ reference: '12345', service: 'PhoneMatch5.0.Dialer' });
    const { token } = body.continuations.outofband.template;
    expect(token).toMatch(/^[a-z0-9]{32}$/);
    expect(body.continuations).toEqual({
      outofband: { url: '/process/continue', template: { token, dialer: { return: 'status' } }, instructions: INSTRUCTIONS },
    });
    const [message] = await messagesTo(app, '2015106000');
    expect(message).toMatchObject({
      channel: 'dialer',
      text: 'test.message',
      pin: null,
      token,
      status: 'delivered',
      transactionId: body.meta.confirmation,
    });
  });

  it('the call plays default.message when no audio file is named (mock decision)', async () => {
    const app = await makeApp();
    const body = await dial(app, '2015106000', {}, { options: undefined });
    expect(body.result.action).toBe('PENDING');
    expect((await messagesTo(app, '2015106000'))[0].text).toBe('default.message');
  });

  it('FAIL / SUPPRESSED SENDING CODE: the line type is in do_not_send_to_types; nobody is called', async () => {
    const app = await makeApp();
    const body = await dial(app, '2015550102');
    expect(body.result).toEqual({ action: 'FAIL', detail: 'SUPPRESSED SENDING CODE', issues: [] });
    expect('continuations' in body).toBe(false);
    expect(await messagesTo(app, '2015550102')).toEqual([]);
    const [tx] = (await app.inject({ method: 'GET', url: '/__admin/transactions?phone=2015550102' })).json().transactions;
    expect(tx).toMatchObject({ channel: 'dialer', state: 'rejected', token: null, call: null });
  });

  it('FAIL / SUPPRESSED SENDING CODE: the country rules apply as for SMS', async () => {
    const app = await makeApp();
    const body = await dial(app, '2015106000', {}, { options: { outofband: { country: { whitelist: ['GB'] } } } });
    expect(body.result.detail).toBe('SUPPRESSED SENDING CODE');
  });

  it('FAIL / DATA CHECK FAILED: the number is invalid; nobody is called', async () => {
    const app = await makeApp();
    const body = await dial(app, '2010123456');
    expect(body.result).toEqual({ action: 'FAIL', detail: 'DATA CHECK FAILED', issues: [] });
    expect(await messagesTo(app, '2010123456')).toEqual([]);
  });

  it('FAIL / FAILED TO SEND TO NUMBER: the call could not be placed; it is recorded as failed', async () => {
    const app = await makeApp();
    const body = await dial(app, '2015550103');
    expect(body.result).toEqual({ action: 'FAIL', detail: 'FAILED TO SEND TO NUMBER', issues: [] });
    expect('continuations' in body).toBe(false);
    const [message] = await messagesTo(app, '2015550103');
    expect(message).toMatchObject({ channel: 'dialer', text: 'test.message', token: null, status: 'failed' });
  });

  it('request errors of its own schema', async () => {
    const app = await makeApp();
    const noPhone = await gateway(app, { ...DIALER, target: { phone: '' } });
    expect(noPhone.body.error).toMatchObject({ code: 'QRY1', detail: 'Service requires Phone to be specified.' });
    const badAudio = await gateway(app, { ...DIALER, options: { outofband: { message: 42 } } });
    expect(badAudio.body.error).toMatchObject({
      code: 'QRY2',
      detail: 'The attribute options.outofband.message failed validation: must be string.',
    });
    const badType = await gateway(app, { ...DIALER, options: { outofband: { do_not_send_to_types: ['fax'] } } });
    expect(badType.body.error.code).toBe('QRY2');
    for (const res of [noPhone, badAudio, badType]) expectSpecResponse('gateway', 400, res.body);
  });
});

describe('PhoneMatch5.0.Dialer status request (POST /process/continue)', () => {
  it('by default the call is delivered by the first status request: PASS, repeated until the token expires', async () => {
    const app = await makeApp();
    const { continuations, meta } = await dial(app);
    const { template } = continuations.outofband;
    const first = await status(app, template.token, { dialer: template.dialer });
    expect(first.status).toBe(200);
    expect(Object.keys(first.body)).toEqual(['output', 'meta', 'result']);
    expect(first.body.result).toEqual(PASS);
    expect(first.body.meta).toMatchObject({ reference: '12345', service: 'PhoneMatch5.0.Dialer' });
    expect(first.body.meta.confirmation).toBeGreaterThan(meta.confirmation);
    const again = await status(app, template.token);
    expect(again.body.result).toEqual(PASS);
    expect(again.body.meta.confirmation).toBeGreaterThan(first.body.meta.confirmation);
    expect(await txOf(app, template.token)).toMatchObject({
      state: 'passed',
      outcome: { action: 'PASS', detail: 'ALL CHECKS PASSED' },
      call: { audio: 'test.message', status: 'delivered', pendingPolls: 0, polls: 2 },
    });
    // The token lives 10 minutes (--token-ttl) after the call ended.
    await advance(app, 600_000);
    const expired = await status(app, template.token);
    expect([expired.status, expired.body.error.message, expired.body.error.detail]).toEqual([
      400,
      'Token Bad or Expired',
      expect.any(String),
    ]);
    expect(Object.hasOwn(expired.body, 'result')).toBe(false);
  });

  it('PENDING while the call lasts (dialer.durationMs, in the mock clock), then PASS; the message follows the call', async () => {
    // A clock that only moves when told to: the edge of the call is exact.
    const app = await makeApp({}, { clock: createClock(() => 1_700_000_000_000) });
    const { continuations } = await dial(app, '2015550132');
    const { token } = continuations.outofband.template;
    const [calling] = await messagesTo(app, '2015550132');
    expect(calling.status).toBe('calling');
    const pending = await status(app, token);
    expect(pending.body.result).toEqual(PENDING);
    // A PENDING answer carries the same template again, so a client can always send it back as is.
    expect(pending.body.continuations).toEqual(continuations);
    expect((await txOf(app, token)).call).toMatchObject({ status: 'calling', polls: 1 });
    await advance(app, 59_999);
    expect((await status(app, token)).body.result.action).toBe('PENDING');
    await advance(app, 1);
    expect((await messagesTo(app, '2015550132'))[0].status).toBe('delivered');
    const done = await status(app, token);
    expect(done.body.result).toEqual(PASS);
    expect('continuations' in done.body).toBe(false);
    // The token's life is counted from the end of the call: still there 9 minutes later.
    await advance(app, 540_000);
    expect((await status(app, token)).body.result).toEqual(PASS);
  });

  it('PENDING for dialer.pendingPolls status requests, whatever the clock says', async () => {
    const app = await makeApp();
    const { continuations } = await dial(app, '2015106000', { 'x-phonematch-scenario': 'dialer-slow-status' });
    const { token } = continuations.outofband.template;
    expect((await status(app, token)).body.result).toEqual(PENDING);
    expect((await status(app, token)).body.result).toEqual(PENDING);
    expect((await status(app, token)).body.result).toEqual(PASS);
    expect((await txOf(app, token)).call).toMatchObject({ status: 'delivered', pendingPolls: 2, polls: 3 });
  });

  it.each([
    ['2015550130', 'no-answer'],
    ['2015550131', 'busy'],
  ])('FAIL / FAILED TO SEND TO NUMBER: %s ends %s', async (phone, ending) => {
    const app = await makeApp();
    const { continuations } = await dial(app, phone);
    const { token } = continuations.outofband.template;
    expect((await status(app, token)).body.result).toEqual(NOT_DELIVERED);
    expect((await status(app, token)).body.result).toEqual(NOT_DELIVERED);
    expect(await txOf(app, token)).toMatchObject({ state: 'failed', call: { status: ending } });
    expect((await messagesTo(app, phone))[0].status).toBe('failed');
  });

  it('a pending call whose token expires before anyone asked reads as expired', async () => {
    const app = await makeApp({ tokenTtlMs: 1000 });
    const { continuations } = await dial(app, '2015550132');
    const { token } = continuations.outofband.template;
    await advance(app, 61_000);
    const res = await status(app, token);
    expect([res.status, res.body.error.code, res.body.error.detail]).toEqual([400, 'QRY6', token]);
    expect((await txOf(app, token)).state).toBe('expired');
  });

  it('a code entry on a Dialer token, or a status request on an SMS token, is a clear QRY1 (never a 500)', async () => {
    const app = await makeApp();
    const { continuations } = await dial(app);
    const dialerToken = continuations.outofband.template.token;
    const codeOnCall = await continueWith(app, dialerToken, '123456');
    expect([codeOnCall.status, codeOnCall.body.error]).toEqual([
      400,
      { message: 'Missing Required Input', code: 'QRY1', detail: 'Service requires Dialer to be specified.' },
    ]);
    expectSpecResponse('continue', 400, codeOnCall.body);
    const sms = await gateway(app, { ...DIALER, service: 'PhoneMatch5.0.SMS', options: undefined });
    const smsToken = sms.body.continuations.outofband.template.token;
    const statusOnSms = await status(app, smsToken);
    expect([statusOnSms.status, statusOnSms.body.error]).toEqual([
      400,
      { message: 'Missing Required Input', code: 'QRY1', detail: 'Service requires Codematch to be specified.' },
    ]);
    // Neither wrong body spent anything: both tokens still work.
    expect((await status(app, dialerToken)).body.result).toEqual(PASS);
    const pin = (await txOf(app, smsToken)).pin;
    expect((await continueWith(app, smsToken, pin)).body.result.action).toBe('PASS');
  });

  it('a malformed status request: QRY1 for a missing return, QRY2 for another value; a made-up token is a bad token', async () => {
    const app = await makeApp();
    const { continuations } = await dial(app);
    const { token } = continuations.outofband.template;
    const noReturn = await status(app, token, { dialer: {} });
    expect(noReturn.body.error).toMatchObject({ code: 'QRY1', detail: 'Service requires Dialer Return to be specified.' });
    const other = await status(app, token, { dialer: { return: 'recording' } });
    expect(other.body.error).toMatchObject({
      code: 'QRY2',
      detail: 'The attribute dialer.return failed validation: must be equal to one of the allowed values.',
    });
    const notObject = await status(app, token, { dialer: 'status' });
    expect(notObject.body.error.code).toBe('QRY2');
    const madeUp = await status(app, 'n0t1ssu3dn0t1ssu3dn0t1ssu3dn0t1s');
    expect([madeUp.status, madeUp.body.error]).toEqual([
      400,
      { message: 'Token Bad or Expired', code: 'QRY6', detail: 'n0t1ssu3dn0t1ssu3dn0t1ssu3dn0t1s' },
    ]);
    const malformedMadeUp = await status(app, 'n0t1ssu3dn0t1ssu3dn0t1ssu3dn0t1s', { dialer: { return: 'x' } });
    expect(malformedMadeUp.body.error.code).toBe('QRY2');
  });
});
