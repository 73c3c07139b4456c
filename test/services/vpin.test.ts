/**
 * The `.VPIN` add-on through `app.inject`: which services accept it, where the V-PIN goes, and
 * that the same person gets the same V-PIN across transactions.
 */
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../src/domain/errors.js';
import { continueWith, gateway, makeApp, pinFor } from '../helpers/app.js';
import { BARBARA } from '../helpers/identities.js';
import { expectSpecResponse } from '../helpers/spec.js';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const request = (service: string, target: Record<string, unknown>) => ({ user: 'user@company.com', pass: 'PASSWORD', service, target });

describe('.VPIN on Phone Verification', () => {
  it('meta.service echoes the full name; output.vpin.uuid is a v4 UUID between meta and result', async () => {
    const app = await makeApp({ scenarios: null });
    const { status, body } = await gateway(app, request('PhoneMatch5.0.VPIN', BARBARA));
    expect(status).toBe(200);
    expectSpecResponse('gateway', 200, body);
    expect(Object.keys(body)).toEqual(['meta', 'output', 'result']);
    expect(body.meta.service).toBe('PhoneMatch5.0.VPIN');
    expect(body.output.vpin.uuid).toMatch(V4);
    expect(body.result.action).toBe('PASS');
    const tx = (await app.inject({ method: 'GET', url: '/__admin/transactions' })).json().transactions[0];
    expect(tx.identity.vpin).toBe(body.output.vpin.uuid);
  });

  it('the same person gets the same V-PIN in every transaction and every mock; another person another', async () => {
    const one = await makeApp({ scenarios: null });
    const two = await makeApp({ scenarios: null });
    const ada = { fn: 'Ada', ln: 'Lovelace', phone: '2015106000' };
    const first = (await gateway(one, request('PhoneMatch5.0.VPIN', ada))).body.output.vpin.uuid;
    const again = (await gateway(two, request('PhoneMatch5.0.VPIN', { ...ada, fn: 'ADA', phone: '+1 (201) 510-6000', dob: '19001210' })))
      .body.output.vpin.uuid;
    const other = (await gateway(one, request('PhoneMatch5.0.VPIN', { ...ada, fn: 'Grace' }))).body.output.vpin.uuid;
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    // A test identity keeps its V-PIN however its attributes are written.
    const barbara = (await gateway(one, request('PhoneMatch5.0.VPIN', BARBARA))).body.output.vpin.uuid;
    const shorter = (await gateway(one, request('PhoneMatch5.0.VPIN', { ...BARBARA, fn: 'barbara', addr: undefined }))).body.output.vpin
      .uuid;
    expect(shorter).toBe(barbara);
  });

  it('no person found: the V-PIN is empty (the documented {"vpin": {}})', async () => {
    const app = await makeApp({ scenarios: null });
    const { body } = await gateway(app, request('PhoneMatch5.0.VPIN', { ...BARBARA, fn: 'Steve' }));
    expectSpecResponse('gateway', 200, body);
    expect(body.output).toEqual({ vpin: {} });
    expect(body.result.detail).toBe('NO MATCH');
  });

  it('REVIEW and TARGET IS DECEASED still carry the V-PIN (a person was found)', async () => {
    const app = await makeApp();
    const reviewed = await gateway(app, request('PhoneMatch5.0.VPIN', { ...BARBARA, dob: '19740822' }));
    expect(reviewed.body.output.vpin.uuid).toMatch(V4);
    const deceased = await gateway(app, request('PhoneMatch5.0.VPIN', BARBARA), { 'x-phonematch-scenario': 'identity-deceased' });
    expect(deceased.body.result.detail).toBe('TARGET IS DECEASED');
    expect(deceased.body.output.vpin.uuid).toBe(reviewed.body.output.vpin.uuid);
  });
});

describe('.VPIN on Smart 2FA', () => {
  it('the gateway has no V-PIN; the continue after a right code has it, after a wrong one it is empty', async () => {
    const app = await makeApp({ scenarios: null, maxAttempts: 2 });
    const sent = await gateway(app, request('PhoneMatch5.0.Smart2FA.Call.VPIN', BARBARA));
    expectSpecResponse('gateway', 200, sent.body);
    expect(sent.body.meta.service).toBe('PhoneMatch5.0.Smart2FA.Call.VPIN');
    expect(sent.body.output).toEqual({ outofband: {}, rescue: {} });
    const token = sent.body.continuations.outofband.template.token;
    const pin = await pinFor(app, token);
    const wrong = await continueWith(app, token, pin === '000000' ? '111111' : '000000');
    expectSpecResponse('continue', 200, wrong.body);
    expect(wrong.body.output).toEqual({ outofband: {}, rescue: {}, vpin: {} });
    const right = await continueWith(app, token, pin);
    expectSpecResponse('continue', 200, right.body);
    expect(right.body.result.action).toBe('PASS');
    expect(right.body.output.vpin.uuid).toMatch(V4);
    const messages = (await app.inject({ method: 'GET', url: '/__admin/messages' })).json().messages;
    expect(messages[0].channel).toBe('call');
  });
});

describe('.VPIN where it does not apply', () => {
  it.each([
    'PhoneMatch5.0.SMS.VPIN',
    'PhoneMatch5.0.Call.VPIN',
    'PhoneMatch5.0.VPIN.VPIN',
    'PhoneMatch5.0.Bouncer',
    'PhoneMatch5.0.VPIN.SMS',
    'VPIN',
  ])('%s is No Such Service', async (service) => {
    const app = await makeApp({ scenarios: null });
    const { status, body } = await gateway(app, request(service, BARBARA));
    expect(status).toBe(ERRORS.unknownService.status);
    expect(body.error).toMatchObject({ code: ERRORS.unknownService.code, message: ERRORS.unknownService.message });
  });
});
