/**
 * `PhoneMatch5.0.Validate` through `inject`: every result row, the documented output, the
 * decisions (carrier, capitalisation, FAIL's output, reference), the stored transaction and the
 * request errors of its own schema.
 */
import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import { gateway, makeApp } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const VALIDATE = {
  user: 'user@company.com',
  pass: 'PASSWORD',
  service: 'PhoneMatch5.0.Validate',
  reference: '12345',
  target: { phone: '2015106000', invalid_phonelinetypes: ['voip'] },
};

function validate(
  app: FastifyInstance,
  target: Record<string, unknown> = {},
  headers: Record<string, string> = {},
  over: Record<string, unknown> = {},
) {
  return gateway(app, { ...VALIDATE, ...over, target: { ...VALIDATE.target, ...target } }, headers);
}

async function validated(app: FastifyInstance, target: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const res = await validate(app, target, headers);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  expectSpecResponse('gateway', 200, res.body);
  return res.body;
}

describe('PhoneMatch5.0.Validate', () => {
  it('PASS / ALL CHECKS PASSED: the documented sample, key for key, every value a string', async () => {
    const app = await makeApp();
    const res = await validate(app);
    expect(res.status).toBe(200);
    expectSpecResponse('gateway', 200, res.body);
    expect(Object.keys(res.body)).toEqual(['output', 'meta', 'result']);
    expect(res.body.output).toEqual({
      data: {
        PhoneNumber: [
          {
            countrycode: 'US',
            countrycallingcode: '1',
            country: 'United States',
            phonelinetype: 'Mobile',
            carrier: 'Mock Wireless',
            phonenumber: '2015106000',
          },
        ],
      },
    });
    expect(Object.keys(res.body.output.data.PhoneNumber[0])).toEqual([
      'countrycode',
      'countrycallingcode',
      'country',
      'phonelinetype',
      'carrier',
      'phonenumber',
    ]);
    expect(res.body.result).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] });
    // mock decision: the reference is echoed (the documented sample's null looks like a slip).
    expect(res.body.meta).toMatchObject({ reference: '12345', service: 'PhoneMatch5.0.Validate', user: 'user@company.com' });
    expect(Object.keys(res.body.meta)).toEqual(['confirmation', 'reference', 'service', 'timestamp', 'company', 'user']);
    expect('continuations' in res.body).toBe(false);
    // The wire text keeps the order too (the serializer is compiled from the spec).
    expect(res.res.body.indexOf('"output"')).toBeLessThan(res.res.body.indexOf('"meta"'));
  });

  it('FAIL / PHONE CHECK FAILED: an invalid number, with an empty PhoneNumber list (mock decision)', async () => {
    const app = await makeApp();
    const body = await validated(app, { phone: '2010123456' });
    expect(body.result).toEqual({ action: 'FAIL', detail: 'PHONE CHECK FAILED', issues: [] });
    expect(body.output).toEqual({ data: { PhoneNumber: [] } });
  });

  it('FAIL / PHONE CHECK FAILED: the invalid-number magic number', async () => {
    const body = await validated(await makeApp(), { phone: '2015550104' });
    expect(body.result.detail).toBe('PHONE CHECK FAILED');
  });

  it('FAIL / PHONE TYPE CHECK FAILED: the line type is excluded; the number is still described (mock decision)', async () => {
    const app = await makeApp();
    const body = await validated(app, { phone: '2015550102', invalid_phonelinetypes: ['voip'] });
    expect(body.result).toEqual({ action: 'FAIL', detail: 'PHONE TYPE CHECK FAILED', issues: [] });
    expect(body.output.data.PhoneNumber).toEqual([
      {
        countrycode: 'US',
        countrycallingcode: '1',
        country: 'United States',
        phonelinetype: 'VoIP',
        carrier: 'Mock VoIP Inc.',
        phonenumber: '2015550102',
      },
    ]);
  });

  it('PASS when the type is not excluded, or nothing is excluded', async () => {
    const app = await makeApp();
    expect((await validated(app, { phone: '2015550102', invalid_phonelinetypes: ['landline'] })).result.action).toBe('PASS');
    const none = await gateway(app, { ...VALIDATE, target: { phone: '2015550101' } });
    expect(none.body.result.action).toBe('PASS');
    expect(none.body.output.data.PhoneNumber[0].phonelinetype).toBe('Landline');
  });

  it('the line type and carrier of each type: Mobile, Landline, VoIP; a scenario names the carrier', async () => {
    const app = await makeApp();
    const landline = await validated(app, { phone: '2015550101', invalid_phonelinetypes: [] });
    expect(landline.output.data.PhoneNumber[0]).toMatchObject({ phonelinetype: 'Landline', carrier: 'Mock Telephone Co.' });
    const uk = await validated(app, { phone: '442015412653' }, { 'x-phonematch-scenario': 'foreign-number' });
    expect(uk.output.data.PhoneNumber[0]).toEqual({
      countrycode: 'GB',
      countrycallingcode: '44',
      country: 'United Kingdom',
      phonelinetype: 'Mobile',
      carrier: 'Mock Mobile UK',
      phonenumber: '2015412653',
    });
  });

  it('country data come from the number: a GB landline, a French mobile, a number of no country', async () => {
    const app = await makeApp();
    const gb = await validated(app, { phone: '+44 20 1541 2653' });
    expect(gb.output.data.PhoneNumber[0]).toMatchObject({
      countrycode: 'GB',
      countrycallingcode: '44',
      country: 'United Kingdom',
      phonelinetype: 'Landline',
      phonenumber: '2015412653',
    });
    const fr = await validated(app, { phone: '33612345678' });
    expect(fr.output.data.PhoneNumber[0]).toMatchObject({
      countrycode: 'FR',
      countrycallingcode: '33',
      country: 'France',
      phonelinetype: 'Mobile',
      phonenumber: '612345678',
    });
    const global = await validated(app, { phone: '+80012345678' });
    expect(global.output.data.PhoneNumber[0]).toMatchObject({ countrycode: '', countrycallingcode: '800', country: '' });
  });

  it('an ambiguous US number follows --ambiguous-line-type', async () => {
    const app = await makeApp({ ambiguousLineType: 'landline' });
    const body = await validated(app, { phone: '2015106000', invalid_phonelinetypes: ['landline'] });
    expect(body.result.detail).toBe('PHONE TYPE CHECK FAILED');
    expect(body.output.data.PhoneNumber[0].phonelinetype).toBe('Landline');
  });

  it('is stored without a token: the control API shows the check, nothing is "sent"', async () => {
    const app = await makeApp();
    const body = await validated(app, { phone: '2015550102' });
    const listed = await app.inject({ method: 'GET', url: '/__admin/transactions?phone=2015550102' });
    expectSpecResponse('listTransactions', 200, listed.json(), 'admin-openapi.yaml');
    const [tx] = listed.json().transactions;
    expect(tx).toMatchObject({
      id: body.meta.confirmation,
      service: 'PhoneMatch5.0.Validate',
      channel: null,
      token: null,
      pin: null,
      state: 'rejected',
      outcome: { action: 'FAIL', detail: 'PHONE TYPE CHECK FAILED' },
      phone: { lineType: 'voip', carrier: 'Mock VoIP Inc.' },
      call: null,
      expiresAt: null,
    });
    const passed = await validated(app, { phone: '2015106000' });
    const ok = (await app.inject({ method: 'GET', url: '/__admin/transactions?phone=2015106000' })).json().transactions[0];
    expect([ok.id, ok.state]).toEqual([passed.meta.confirmation, 'passed']);
    expect((await app.inject({ method: 'GET', url: '/__admin/messages' })).json().messages).toEqual([]);
  });

  it('request errors of its own schema, in the real order', async () => {
    const app = await makeApp();
    const noTarget = await gateway(app, { ...VALIDATE, target: undefined });
    expect([noTarget.status, noTarget.body.error.code]).toEqual([400, 'QRY0']);
    const noPhone = await validate(app, { phone: '  ' });
    expect(noPhone.body.error).toMatchObject({ code: 'QRY1', detail: 'Service requires Phone to be specified.' });
    const badType = await validate(app, { invalid_phonelinetypes: ['VOIP'] });
    expect(badType.body.error).toMatchObject({ code: 'QRY2' });
    expect(badType.body.error.detail).toContain('target.invalid_phonelinetypes.0');
    const notList = await validate(app, { invalid_phonelinetypes: 'voip' });
    expect(notList.body.error.detail).toBe('The attribute target.invalid_phonelinetypes failed validation: must be array.');
    const badLogin = await validate(app, {}, {}, { pass: '' });
    expect(badLogin.body.error.code).toBe('AUTH0');
    for (const res of [noTarget, noPhone, badType, notList, badLogin]) expectSpecResponse('gateway', 400, res.body);
  });

  it('has no continue: it hands out no token', async () => {
    const body = await validated(await makeApp());
    expect(JSON.stringify(body)).not.toContain('token');
  });
});
