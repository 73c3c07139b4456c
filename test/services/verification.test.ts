/**
 * Phone Verification (`PhoneMatch5.0`) through `app.inject`: every documented outcome by test
 * key, by scenario (header, activation, magic number) and by the default; the envelope the
 * samples show; the request errors of its schema. Every answer is checked against openapi.yaml.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { gateway, makeApp } from '../helpers/app.js';
import { BARBARA, DECEASED, LINCOLN, NO_MATCH, PASS, review } from '../helpers/identities.js';
import { expectSpecResponse } from '../helpers/spec.js';

function verification(target: Record<string, unknown>, service = 'PhoneMatch5.0') {
  return { user: 'user@company.com', pass: 'PASSWORD', service, reference: '12345', target };
}

async function verify(app: FastifyInstance, target: Record<string, unknown>, headers: Record<string, string> = {}) {
  const { status, body } = await gateway(app, verification(target), headers);
  expect(status, JSON.stringify(body)).toBe(200);
  expectSpecResponse('gateway', 200, body);
  return body;
}

describe('Phone Verification: the envelope', () => {
  it('has meta then result, no output and no continuations; meta in the family order, confirmation a number', async () => {
    const app = await makeApp({ scenarios: null });
    const body = await verify(app, { fn: 'Ada', ln: 'Lovelace', phone: '2015106000' });
    expect(Object.keys(body)).toEqual(['meta', 'result']);
    expect(Object.keys(body.meta)).toEqual(['confirmation', 'reference', 'service', 'timestamp', 'company', 'user']);
    expect(body.meta).toMatchObject({ reference: '12345', service: 'PhoneMatch5.0', user: 'user@company.com' });
    expect(typeof body.meta.confirmation).toBe('number');
    expect(body.result).toEqual(PASS);
  });

  it('records a transaction with no token and the identity verdict; nothing is sent', async () => {
    const app = await makeApp({ scenarios: null });
    await verify(app, { ...BARBARA, dob: '19740822' });
    const txs = (await app.inject({ method: 'GET', url: '/__admin/transactions' })).json().transactions;
    expectSpecResponse('listTransactions', 200, { transactions: txs }, 'admin-openapi.yaml');
    expect(txs).toHaveLength(1);
    expect(txs[0]).toMatchObject({
      token: null,
      channel: null,
      pin: null,
      state: 'failed',
      outcome: { action: 'REVIEW', detail: 'TRANSACTION REQUIRES FURTHER ATTENTION' },
      identity: { testKey: 'general_identity', issues: ['DATE OF BIRTH CHECK FAILED'], vpin: null },
    });
    expect((await app.inject({ method: 'GET', url: '/__admin/messages' })).json().messages).toEqual([]);
  });
});

describe('Phone Verification: the documented test keys', () => {
  it('general_identity with every attribute agreeing: PASS', async () => {
    const app = await makeApp({ scenarios: null });
    expect((await verify(app, BARBARA)).result).toEqual(PASS);
    // Case, punctuation and written-out street words do not count.
    const written = { ...BARBARA, fn: 'BARBARA', addr: '123 main street.', zip: '06614-1234', email: 'BMiller@Veratad.com' };
    expect((await verify(app, written)).result).toEqual(PASS);
  });

  it('general_identity with the documented sample (names, phone): PASS', async () => {
    const app = await makeApp({ scenarios: null });
    expect((await verify(app, { fn: 'Barbara', ln: 'Miller', phone: '2015106000', test_key: 'general_identity' })).result).toEqual(PASS);
  });

  it('a changed first name is FAIL / NO MATCH (the test-case page: Steve)', async () => {
    const app = await makeApp({ scenarios: null });
    expect((await verify(app, { ...BARBARA, fn: 'Steve' })).result).toEqual(NO_MATCH);
  });

  it.each([
    ['addr', '9 Elm St', 'ADDRESS CHECK FAILED'],
    ['zip', '10001', 'ADDRESS CHECK FAILED'],
    ['dob', '19740822', 'DATE OF BIRTH CHECK FAILED'],
    ['ssn', '5699', 'SSN CHECK FAILED'],
    ['phone', '2015550199', 'PHONE CHECK FAILED'],
    ['email', 'someone@else.com', 'EMAIL CHECK FAILED'],
    ['age', '<21', 'AGE CHECK FAILED'],
  ])('a changed %s (%s) is REVIEW with %s', async (attribute, value, issue) => {
    const app = await makeApp({ scenarios: null });
    expect((await verify(app, { ...BARBARA, [attribute]: value })).result).toEqual(review(issue));
  });

  it('several changed attributes list every issue', async () => {
    const app = await makeApp({ scenarios: null });
    const body = await verify(app, { ...BARBARA, phone: '2015550199', city: 'Hartford', dob: '19750821' });
    expect(body.result).toEqual(review('PHONE CHECK FAILED', 'ADDRESS CHECK FAILED', 'DATE OF BIRTH CHECK FAILED'));
  });

  it('a four-digit SSN is checked against the last four', async () => {
    const app = await makeApp({ scenarios: null });
    expect((await verify(app, { ...BARBARA, ssn: '5698' })).result).toEqual(PASS);
  });

  it('deceased2 is FAIL / TARGET IS DECEASED; another name with that key is NO MATCH', async () => {
    const app = await makeApp({ scenarios: null });
    expect((await verify(app, LINCOLN)).result).toEqual(DECEASED);
    expect((await verify(app, { ...LINCOLN, fn: 'Mary' })).result).toEqual(NO_MATCH);
  });

  it('an unknown test key is QRY2, naming the documented keys', async () => {
    const app = await makeApp({ scenarios: null });
    const { status, body } = await gateway(app, verification({ ...BARBARA, test_key: 'general' }));
    expect(status).toBe(400);
    expectSpecResponse('gateway', 400, body);
    expect(body.error).toMatchObject({
      code: 'QRY2',
      message: 'Input Failed Validation',
      detail: 'Test Key input must conform to (^general_identity$|^deceased2$).',
    });
  });
});

describe('Phone Verification: without a test key or scenario (the default)', () => {
  it('the person is found and every other attribute given is taken as matching', async () => {
    const app = await makeApp({ scenarios: null });
    const { test_key: _, ...anyone } = { ...BARBARA, fn: 'Steve', dob: '20010101' };
    expect((await verify(app, anyone)).result).toEqual(PASS);
  });
});

describe('Phone Verification: scenarios', () => {
  it.each([
    ['identity-deceased', DECEASED],
    ['identity-no-match', NO_MATCH],
    ['identity-review', review('ADDRESS CHECK FAILED', 'DATE OF BIRTH CHECK FAILED')],
  ])('%s by header wins over the test key', async (name, result) => {
    const app = await makeApp();
    expect((await verify(app, BARBARA, { 'x-phonematch-scenario': name })).result).toEqual(result);
  });

  it('by magic number and by activation', async () => {
    const app = await makeApp();
    expect((await verify(app, { fn: 'Ada', ln: 'Lovelace', phone: '+1 201 555 0120' })).result).toEqual(DECEASED);
    const put = await app.inject({ method: 'PUT', url: '/__admin/scenarios/active', payload: { name: 'identity-no-match' } });
    expect(put.statusCode).toBe(200);
    expect((await verify(app, { fn: 'Ada', ln: 'Lovelace', phone: '2015106000' })).result).toEqual(NO_MATCH);
  });

  it('a scenario without identity leaves the verdict to the test key', async () => {
    const app = await makeApp();
    expect((await verify(app, { ...BARBARA, fn: 'Steve' }, { 'x-phonematch-scenario': 'happy-path' })).result).toEqual(NO_MATCH);
  });
});

describe('Phone Verification: request errors', () => {
  it.each([
    ['fn', 'First Name'],
    ['ln', 'Last Name'],
    ['phone', 'Phone'],
  ])('no %s is QRY1 naming %s', async (attribute, name) => {
    const app = await makeApp({ scenarios: null });
    for (const value of [undefined, '']) {
      const target: Record<string, unknown> = { fn: 'Ada', ln: 'Lovelace', phone: '2015106000', [attribute]: value };
      const { status, body } = await gateway(app, verification(target));
      expect(status).toBe(400);
      expect(body.error).toMatchObject({ code: 'QRY1', detail: `Service requires ${name} to be specified.` });
    }
  });

  it.each([
    ['age', '21', 'Age input must conform to (^[<>]=?[0-9]{1,3}$|^[0-9]{1,3}[+-]$|^[0-9]{1,3}-[0-9]{1,3}$).'],
    ['dob', '1974-08-21', 'DOB input must conform to (^[0-9]{4}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$).'],
    ['dob', '19741321', 'DOB input must conform to (^[0-9]{4}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])$).'],
    ['ssn', '85412', 'SSN input must conform to (^[0-9]{4}$|^[0-9]{9}$).'],
    ['ssn', '854-12-5698', 'SSN input must conform to (^[0-9]{4}$|^[0-9]{9}$).'],
    ['email', 'bmiller', 'Email input must conform to (^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$).'],
  ])('%s %s is QRY2 with the documented form', async (attribute, value, detail) => {
    const app = await makeApp({ scenarios: null });
    const { status, body } = await gateway(app, verification({ ...BARBARA, [attribute]: value }));
    expect(status).toBe(400);
    expectSpecResponse('gateway', 400, body);
    expect(body.error).toEqual({ message: 'Input Failed Validation', code: 'QRY2', detail });
  });

  it('no target is QRY0; nothing is stored by a refused request', async () => {
    const app = await makeApp({ scenarios: null });
    const { status, body } = await gateway(app, { user: 'user@company.com', pass: 'PASSWORD', service: 'PhoneMatch5.0' });
    expect(status).toBe(400);
    expect(body.error.code).toBe('QRY0');
    expect((await app.inject({ method: 'GET', url: '/__admin/transactions' })).json().transactions).toEqual([]);
  });
});
