/**
 * Smart 2FA (`PhoneMatch5.0.Smart2FA.SMS` / `.Call`) through `app.inject`: the gateway's result
 * rows, the envelope of the sample, the six-digit pin, and the continue: a wrong code, then every
 * identity outcome by test key, by scenario (header, activation, magic number) and by default.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { continueWith, gateway, makeApp, pinFor } from '../helpers/app.js';
import { BARBARA, DECEASED, LINCOLN, NO_MATCH, PASS, review } from '../helpers/identities.js';
import { expectSpecResponse } from '../helpers/spec.js';

const SERVICE = 'PhoneMatch5.0.Smart2FA.SMS';

function smart2fa(target: Record<string, unknown>, outofband: Record<string, unknown> = {}, service = SERVICE) {
  return {
    user: 'user@company.com',
    pass: 'PASSWORD',
    service,
    reference: '195599',
    options: { outofband: { message: 'Hello {fn}, your one-time password is {pin}', ...outofband } },
    target,
  };
}

const ADA = { fn: 'Ada', ln: 'Lovelace', phone: '2015106000' };

async function start(app: FastifyInstance, body: unknown, headers: Record<string, string> = {}) {
  const { status, body: answer } = await gateway(app, body, headers);
  expect(status, JSON.stringify(answer)).toBe(200);
  expectSpecResponse('gateway', 200, answer);
  return answer;
}

/** The gateway, then the code entry (the pin sent, or a wrong one): the continue's answer. */
async function run(app: FastifyInstance, body: unknown, entry: 'pin' | 'wrong' = 'pin', headers: Record<string, string> = {}) {
  const sent = await start(app, body, headers);
  const token = sent.continuations.outofband.template.token as string;
  const pin = await pinFor(app, token);
  const key = entry === 'pin' ? pin : String((Number(pin[0]) + 1) % 10) + pin.slice(1);
  const { status, body: answer } = await continueWith(app, token, key);
  expect(status, JSON.stringify(answer)).toBe(200);
  expectSpecResponse('continue', 200, answer);
  return { answer, token };
}

const OOB_FAIL = { action: 'FAIL', detail: 'FAILED OUT-OF-BAND CHECK', issues: [] };

describe('Smart 2FA gateway (reference section 4.2, 4.3)', () => {
  it('PENDING has the sample envelope: rescue in output, hint and prompt in the continuation, in order', async () => {
    const app = await makeApp({ scenarios: null });
    const body = await start(app, smart2fa(ADA));
    expect(Object.keys(body)).toEqual(['output', 'meta', 'result', 'continuations']);
    expect(body.output).toEqual({ outofband: {}, rescue: {} });
    expect(body.meta).toMatchObject({ service: SERVICE, reference: '195599' });
    expect(body.result).toEqual({ action: 'PENDING', detail: 'MORE INFORMATION IS REQUIRED', issues: [] });
    expect(Object.keys(body.continuations.outofband)).toEqual(['url', 'hint', 'prompt', 'template', 'instructions']);
    expect(body.continuations.outofband).toMatchObject({ hint: 'Enter the six-digit code', prompt: 'One Time Passcode' });
  });

  it('sends a six-digit code whatever --pin-length says; SMS renders the message, Call speaks', async () => {
    const app = await makeApp({ scenarios: null, pinLength: 4 });
    await start(app, smart2fa(ADA));
    await start(app, smart2fa(ADA, {}, 'PhoneMatch5.0.Smart2FA.Call'));
    const messages = (await app.inject({ method: 'GET', url: '/__admin/messages' })).json().messages;
    expect(messages.map((m: { pin: string }) => m.pin)).toEqual([expect.stringMatching(/^\d{6}$/), expect.stringMatching(/^\d{6}$/)]);
    const [call, sms] = messages;
    expect(sms).toMatchObject({ channel: 'sms', text: `Hello Ada, your one-time password is ${sms.pin}` });
    expect(call.channel).toBe('call');
  });

  it('FAIL / VOIP NOT ALLOWED for a VoIP line, whatever do_not_send_to_types says (before it)', async () => {
    const app = await makeApp();
    for (const types of [[], ['voip'], ['voip', 'landline']]) {
      const body = await start(app, smart2fa(ADA, { do_not_send_to_types: types }), { 'x-phonematch-scenario': 'voip' });
      expect(body.result).toEqual({ action: 'FAIL', detail: 'VOIP NOT ALLOWED', issues: [] });
      expect(body).not.toHaveProperty('continuations');
      expect(body.output).toEqual({ outofband: {}, rescue: {} });
    }
    // The SMS service still sends to it.
    const sms = await start(app, { ...smart2fa(ADA), service: 'PhoneMatch5.0.SMS' }, { 'x-phonematch-scenario': 'voip' });
    expect(sms.result.action).toBe('PENDING');
  });

  it.each([
    ['landline', 'SUPPRESSED SENDING CODE', { do_not_send_to_types: ['landline'] }],
    ['send-failure', 'FAILED TO SEND TO NUMBER', {}],
    ['invalid-number', 'DATA CHECK FAILED', {}],
  ])('%s: FAIL / %s', async (scenario, detail, outofband) => {
    const app = await makeApp();
    const body = await start(app, smart2fa(ADA, outofband), { 'x-phonematch-scenario': scenario });
    expect(body.result).toEqual({ action: 'FAIL', detail, issues: [] });
  });

  it('an invalid VoIP-looking number is DATA CHECK FAILED first', async () => {
    const app = await makeApp({ scenarios: null });
    const body = await start(app, smart2fa({ ...ADA, phone: '123' }));
    expect(body.result.detail).toBe('DATA CHECK FAILED');
  });

  it.each([
    ['fn', 'First Name'],
    ['ln', 'Last Name'],
    ['phone', 'Phone'],
  ])('no %s is QRY1 naming %s', async (attribute, name) => {
    const app = await makeApp({ scenarios: null });
    const { [attribute as 'fn']: _, ...target } = ADA;
    const { status, body } = await gateway(app, smart2fa(target));
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'QRY1', detail: `Service requires ${name} to be specified.` });
  });

  it('an age not in the documented form is the documented QRY2', async () => {
    const app = await makeApp({ scenarios: null });
    const { status, body } = await gateway(app, smart2fa({ ...ADA, age: 'adult' }));
    expect(status).toBe(400);
    expect(body.error.detail).toBe('Age input must conform to (^[<>]=?[0-9]{1,3}$|^[0-9]{1,3}[+-]$|^[0-9]{1,3}-[0-9]{1,3}$).');
  });
});

describe('Smart 2FA continue (reference section 4.4)', () => {
  it('a wrong code is FAIL / FAILED OUT-OF-BAND CHECK and the identity step does not run', async () => {
    const app = await makeApp({ scenarios: null });
    const { answer, token } = await run(app, smart2fa({ ...BARBARA, fn: 'Steve' }), 'wrong');
    expect(answer.result).toEqual(OOB_FAIL);
    expect(Object.keys(answer)).toEqual(['output', 'meta', 'result']);
    expect(answer.output).toEqual({ outofband: {}, rescue: {} });
    const tx = (await app.inject({ method: 'GET', url: `/__admin/transactions/${token}` })).json().transaction;
    expect(tx).toMatchObject({ state: 'failed', outcome: { action: 'FAIL', detail: 'FAILED OUT-OF-BAND CHECK' } });
  });

  it('a right code without test key or scenario: PASS (the default)', async () => {
    const app = await makeApp({ scenarios: null });
    expect((await run(app, smart2fa({ ...ADA, dob: '19990101', age: '21+' }))).answer.result).toEqual(PASS);
  });

  it('a right code with general_identity: PASS, NO MATCH, REVIEW as the attributes say', async () => {
    const app = await makeApp({ scenarios: null });
    expect((await run(app, smart2fa(BARBARA))).answer.result).toEqual(PASS);
    expect((await run(app, smart2fa({ ...BARBARA, fn: 'Steve' }))).answer.result).toEqual(NO_MATCH);
    const { answer, token } = await run(app, smart2fa({ ...BARBARA, addr: '1 Other Rd', dob: '19740812' }));
    expect(answer.result).toEqual(review('ADDRESS CHECK FAILED', 'DATE OF BIRTH CHECK FAILED'));
    const tx = (await app.inject({ method: 'GET', url: `/__admin/transactions/${token}` })).json().transaction;
    expectSpecResponse('getTransaction', 200, { transaction: tx }, 'admin-openapi.yaml');
    expect(tx).toMatchObject({
      state: 'failed',
      outcome: { action: 'REVIEW' },
      identity: { testKey: 'general_identity', issues: ['ADDRESS CHECK FAILED', 'DATE OF BIRTH CHECK FAILED'] },
      attempts: [{ action: 'REVIEW' }],
    });
  });

  it('a right code with deceased2: FAIL / TARGET IS DECEASED; the token is spent', async () => {
    const app = await makeApp({ scenarios: null, maxAttempts: 3 });
    const { answer, token } = await run(app, smart2fa(LINCOLN));
    expect(answer.result).toEqual(DECEASED);
    const again = await continueWith(app, token, await pinFor(app, token));
    expect(again.status).toBe(400);
  });

  it('a wrong code keeps the token usable while attempts are left', async () => {
    const app = await makeApp({ scenarios: null, maxAttempts: 2 });
    const { token } = await run(app, smart2fa(BARBARA), 'wrong');
    const second = await continueWith(app, token, await pinFor(app, token));
    expect(second.body.result).toEqual(PASS);
  });

  it.each([
    ['identity-deceased', DECEASED],
    ['identity-no-match', NO_MATCH],
    ['identity-review', review('ADDRESS CHECK FAILED', 'DATE OF BIRTH CHECK FAILED')],
  ])('%s by header (inherited by the continue) wins over the test key', async (name, result) => {
    const app = await makeApp();
    expect((await run(app, smart2fa(BARBARA), 'pin', { 'x-phonematch-scenario': name })).answer.result).toEqual(result);
  });

  it('by magic number and by activation', async () => {
    const app = await makeApp();
    expect((await run(app, smart2fa({ ...ADA, phone: '2015550122' }))).answer.result).toEqual(
      review('ADDRESS CHECK FAILED', 'DATE OF BIRTH CHECK FAILED'),
    );
    await app.inject({ method: 'PUT', url: '/__admin/scenarios/active', payload: { name: 'identity-deceased' } });
    expect((await run(app, smart2fa(ADA))).answer.result).toEqual(DECEASED);
  });
});
