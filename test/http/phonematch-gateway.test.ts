/**
 * The gateway request through `app.inject`: every result row of reference section 3, the paths,
 * the transport decisions of section 1, and the envelope's details. Every body is checked
 * against openapi.yaml.
 */
import { describe, expect, it } from 'vitest';
import { createClock, transactionTimestamp } from '../../src/domain/clock.js';
import type { LoadedScenario } from '../../src/scenarios/loader.js';
import { gateway, gatewayBody, makeApp, SMS_REQUEST } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const NO_SCENARIOS = { scenarios: null };

/** A scenario given in code and forced by header: the only way the base ruleset's delivery fails. */
const undeliverable: LoadedScenario = {
  scenario: { name: 'undeliverable', description: 'Delivery fails.', delivery: { fail: true } },
  source: 'inline',
  phoneKeys: null,
};

const messagesOf = async (app: Awaited<ReturnType<typeof makeApp>>, query = '') =>
  (await app.inject({ method: 'GET', url: `/__admin/messages${query}` })).json().messages as Record<string, any>[];

describe('gateway results (reference section 3)', () => {
  it('PENDING / MORE INFORMATION IS REQUIRED: valid number, allowed type, code sent', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { status, body } = await gateway(app, gatewayBody());
    expect(status).toBe(200);
    expectSpecResponse('gateway', 200, body);
    expect(body.result).toEqual({ action: 'PENDING', detail: 'MORE INFORMATION IS REQUIRED', issues: [] });
    expect(body.output).toEqual({ outofband: {} });
    expect(body.continuations).toEqual({
      outofband: {
        url: '/process/continue',
        template: { token: expect.stringMatching(/^[a-z0-9]{32}$/), codematch: { key: null } },
        instructions: 'A code has been delivered to the provided number.  Please resubmit the code to complete the transaction.',
      },
    });
    const [message] = await messagesOf(app);
    expect(message).toMatchObject({ text: `Hello John, your one-time password is ${message?.pin}`, status: 'delivered' });
    expect(message?.token).toBe(body.continuations.outofband.template.token);
  });

  it.each([
    ['mobile', '2015106000'],
    ['landline', '+44 20 7183 8750'],
    ['voip', '+44 56 1234 5678'],
  ])('FAIL / SUPPRESSED SENDING CODE: the %s line type is in do_not_send_to_types', async (type, phone) => {
    const app = await makeApp(NO_SCENARIOS);
    const send = await gateway(app, gatewayBody({ options: { outofband: { do_not_send_to_types: [] } } }, { phone }));
    expect(send.body.result.action).toBe('PENDING');
    const { status, body } = await gateway(app, gatewayBody({ options: { outofband: { do_not_send_to_types: [type] } } }, { phone }));
    expect(status).toBe(200);
    expectSpecResponse('gateway', 200, body);
    expect(body.result).toEqual({ action: 'FAIL', detail: 'SUPPRESSED SENDING CODE', issues: [] });
    expect(body).not.toHaveProperty('continuations');
    // Nothing was sent for the suppressed one.
    expect(await messagesOf(app)).toHaveLength(1);
  });

  it('FAIL / SUPPRESSED SENDING CODE: a US (ambiguous) number is mobile by default, landline when configured', async () => {
    const app = await makeApp({ ...NO_SCENARIOS, ambiguousLineType: 'landline' });
    const landline = await gateway(app, gatewayBody({ options: { outofband: { do_not_send_to_types: ['landline'] } } }));
    expect(landline.body.result.detail).toBe('SUPPRESSED SENDING CODE');
    const mobile = await gateway(app, gatewayBody({ options: { outofband: { do_not_send_to_types: ['mobile'] } } }));
    expect(mobile.body.result.action).toBe('PENDING');
  });

  it.each([
    ['in the blacklist', { blacklist: ['US'] }],
    ['in the blacklist, lower case', { blacklist: ['cu', 'us'] }],
    ['outside the whitelist', { whitelist: ['CA', 'GB'] }],
  ])('FAIL / SUPPRESSED SENDING CODE: the country is %s', async (_, country) => {
    const app = await makeApp(NO_SCENARIOS);
    const { body } = await gateway(app, gatewayBody({ options: { outofband: { country } } }));
    expectSpecResponse('gateway', 200, body);
    expect(body.result).toEqual({ action: 'FAIL', detail: 'SUPPRESSED SENDING CODE', issues: [] });
    expect(body).not.toHaveProperty('continuations');
    expect(await messagesOf(app)).toEqual([]);
  });

  it('PENDING when the country is in the whitelist (any case) and outside the blacklist', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { body } = await gateway(
      app,
      gatewayBody({ options: { outofband: { country: { blacklist: ['CU'], whitelist: ['us', 'CA'] } } } }),
    );
    expect(body.result.action).toBe('PENDING');
  });

  it('FAIL / FAILED TO SEND TO NUMBER: the delivery failed; the failed message is recorded', async () => {
    const app = await makeApp(NO_SCENARIOS, { inlineScenarios: [undeliverable] });
    const { status, body } = await gateway(app, gatewayBody(), { 'x-phonematch-scenario': 'undeliverable' });
    expect(status).toBe(200);
    expectSpecResponse('gateway', 200, body);
    expect(body.result).toEqual({ action: 'FAIL', detail: 'FAILED TO SEND TO NUMBER', issues: [] });
    expect(body).not.toHaveProperty('continuations');
    const [message] = await messagesOf(app);
    expect(message).toMatchObject({ status: 'failed', token: null, scenario: 'undeliverable' });
  });

  it.each(['123', '0000000000', '(000) 000-0000', '---', '+882345678901', '1234567890123456789'])(
    'FAIL / DATA CHECK FAILED: %j is not a valid number; nothing is sent',
    async (phone) => {
      const app = await makeApp(NO_SCENARIOS, { inlineScenarios: [undeliverable] });
      const { status, body } = await gateway(app, gatewayBody({}, { phone }));
      expect(status).toBe(200);
      expectSpecResponse('gateway', 200, body);
      expect(body.result).toEqual({ action: 'FAIL', detail: 'DATA CHECK FAILED', issues: [] });
      expect(body).not.toHaveProperty('continuations');
      // An invalid number wins over the country rules, the line types and a failing delivery.
      const all = await gateway(
        app,
        gatewayBody({ options: { outofband: { do_not_send_to_types: ['mobile'], country: { blacklist: ['US'] } } } }, { phone }),
        { 'x-phonematch-scenario': 'undeliverable' },
      );
      expect(all.body.result.detail).toBe('DATA CHECK FAILED');
      expect(await messagesOf(app)).toEqual([]);
    },
  );

  it('checks the country before the line type and both before the delivery', async () => {
    const app = await makeApp(NO_SCENARIOS, { inlineScenarios: [undeliverable] });
    const { body } = await gateway(app, gatewayBody({ options: { outofband: { do_not_send_to_types: ['mobile'] } } }), {
      'x-phonematch-scenario': 'undeliverable',
    });
    expect(body.result.detail).toBe('SUPPRESSED SENDING CODE');
    expect(await messagesOf(app)).toEqual([]);
  });
});

describe('phone numbers as clients send them (reference section 2)', () => {
  it.each([
    ['2015106000', '+12015106000'],
    ['1 (201) 510-6000', '+12015106000'],
    ['201.510.6000', '+12015106000'],
    ['+1 201-510-6000', '+12015106000'],
    ['447400123456', '+447400123456'],
    ['+44 7400 123456', '+447400123456'],
  ])('%j is sent to %s', async (phone, e164) => {
    const app = await makeApp(NO_SCENARIOS);
    const { body } = await gateway(app, gatewayBody({}, { phone }));
    expect(body.result.action).toBe('PENDING');
    expect((await messagesOf(app))[0]).toMatchObject({ phone: e164, phoneInput: phone });
  });

  it('reads 10 digits in the configured default region', async () => {
    const app = await makeApp({ ...NO_SCENARIOS, defaultRegion: 'GB' });
    const { body } = await gateway(app, gatewayBody({}, { phone: '7400 123456' }));
    expect(body.result.action).toBe('PENDING');
    expect((await messagesOf(app))[0]?.phone).toBe('+447400123456');
  });
});

describe('gateway transport (reference section 1)', () => {
  it.each(['/process/comprehensive/gateway', '/process/5/gateway', '/process/multi/gateway'])('%s is the gateway', async (url) => {
    const app = await makeApp(NO_SCENARIOS);
    const res = await app.inject({ method: 'POST', url, payload: gatewayBody() });
    expect(res.statusCode).toBe(200);
    const operation = {
      '/process/comprehensive/gateway': 'gateway',
      '/process/5/gateway': 'gatewayV5',
      '/process/multi/gateway': 'gatewayMulti',
    }[url];
    expectSpecResponse(operation ?? 'gateway', 200, res.json());
    expect(res.json().result.action).toBe('PENDING');
  });

  it('accepts a JSON body sent with no Content-Type header', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const res = await app.inject({ method: 'POST', url: '/process/comprehensive/gateway', payload: JSON.stringify(gatewayBody()) });
    expect(res.raw.req.headers['content-type']).toBeUndefined();
    expect(res.statusCode).toBe(200);
    expectSpecResponse('gateway', 200, res.json());
    expect(res.json().result.action).toBe('PENDING');
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=utf-8', 'application/octet-stream'])(
    'accepts a JSON body sent as %s',
    async (type) => {
      const app = await makeApp(NO_SCENARIOS);
      const res = await app.inject({
        method: 'POST',
        url: '/process/comprehensive/gateway',
        payload: JSON.stringify(gatewayBody()),
        headers: { 'content-type': type },
      });
      expect(res.statusCode).toBe(200);
      expectSpecResponse('gateway', 200, res.json());
    },
  );

  it('answers JSON, every processed transaction with HTTP 200', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { res } = await gateway(app, gatewayBody({}, { phone: '123' }));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('the gateway envelope', () => {
  it('has its keys in the documented order, PENDING and FAIL alike', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const pending = await gateway(app, gatewayBody());
    expect(Object.keys(pending.body)).toEqual(['output', 'meta', 'result', 'continuations']);
    expect(Object.keys(pending.body.meta)).toEqual(['confirmation', 'reference', 'service', 'timestamp', 'company', 'user']);
    expect(Object.keys(pending.body.result)).toEqual(['action', 'detail', 'issues']);
    expect(Object.keys(pending.body.continuations.outofband)).toEqual(['url', 'template', 'instructions']);
    // Key order on the wire, not only after parsing.
    expect(pending.res.body.indexOf('"output"')).toBeLessThan(pending.res.body.indexOf('"meta"'));
    const fail = await gateway(app, gatewayBody({}, { phone: '123' }));
    expect(Object.keys(fail.body)).toEqual(['output', 'meta', 'result']);
  });

  it('repeats the reference, service and user; meta.reference is null when none was sent', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { body } = await gateway(app, gatewayBody({ reference: 'ref-1' }));
    expect(body.meta).toMatchObject({ reference: 'ref-1', service: 'PhoneMatch5.0.SMS', user: 'user@company.com' });
    const { reference: _, ...withoutReference } = gatewayBody();
    const none = await gateway(app, withoutReference);
    expectSpecResponse('gateway', 200, none.body);
    expect(none.body.meta.reference).toBeNull();
    const failed = await gateway(app, { ...withoutReference, target: { phone: '123' } });
    expect(failed.body.meta.reference).toBeNull();
  });

  it('numbers transactions with increasing confirmation numbers (JSON numbers), continues included', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const numbers: number[] = [];
    for (const phone of ['2015106000', '123', '2015106000'])
      numbers.push((await gateway(app, gatewayBody({}, { phone }))).body.meta.confirmation);
    const token = (await gateway(app, gatewayBody())).body;
    numbers.push(token.meta.confirmation);
    const next = await app.inject({
      method: 'POST',
      url: '/process/continue',
      payload: { token: token.continuations.outofband.template.token, codematch: { key: '0' } },
    });
    numbers.push(next.json().meta.confirmation);
    for (const n of numbers) expect(Number.isInteger(n)).toBe(true);
    for (let i = 1; i < numbers.length; i++) expect(numbers[i]).toBeGreaterThan(numbers[i - 1] ?? 0);
  });

  it('stamps meta.timestamp as YYYY-MM-DD HH:MM:SS in UTC, from the mock clock', async () => {
    const at = Date.UTC(2019, 0, 7, 12, 35, 9, 500);
    const app = await makeApp(NO_SCENARIOS, { clock: createClock(() => at) });
    const { body } = await gateway(app, gatewayBody());
    expect(body.meta.timestamp).toBe('2019-01-07 12:35:09');
    await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceMs: 3_600_000 } });
    expect((await gateway(app, gatewayBody())).body.meta.timestamp).toBe(transactionTimestamp(at + 3_600_000));
  });

  it('says TRANSACTION REQUIRES FURTHER ATTENTION when pendingDetail is "table"', async () => {
    const app = await makeApp({ ...NO_SCENARIOS, pendingDetail: 'table' });
    const { body } = await gateway(app, gatewayBody());
    expectSpecResponse('gateway', 200, body);
    expect(body.result).toEqual({ action: 'PENDING', detail: 'TRANSACTION REQUIRES FURTHER ATTENTION', issues: [] });
  });
});

describe('the code and the message', () => {
  it('sends a 6-digit pin by default, and the configured number of digits', async () => {
    const six = await makeApp(NO_SCENARIOS);
    await gateway(six, gatewayBody());
    expect((await messagesOf(six))[0]?.pin).toMatch(/^\d{6}$/);
    const eight = await makeApp({ ...NO_SCENARIOS, pinLength: 8 });
    await gateway(eight, gatewayBody());
    expect((await messagesOf(eight))[0]?.pin).toMatch(/^\d{8}$/);
  });

  it('renders {pin}, {fn}, {ln} and any target attribute; unknown placeholders and internals stay as written', async () => {
    const app = await makeApp(NO_SCENARIOS);
    await gateway(
      app,
      gatewayBody(
        { options: { outofband: { message: '{fn} {ln} {account} {pin} {nope} {__proto__} {constructor} {toString} {hasOwnProperty}' } } },
        { account: 'A-7' },
      ),
    );
    const [message] = await messagesOf(app);
    expect(message?.text).toBe(`John Smith A-7 ${message?.pin} {nope} {__proto__} {constructor} {toString} {hasOwnProperty}`);
  });

  it('sends a default message containing the pin when none is given', async () => {
    const app = await makeApp(NO_SCENARIOS);
    await gateway(app, { ...gatewayBody(), options: undefined });
    const [message] = await messagesOf(app);
    expect(message?.text).toContain(message?.pin);
  });

  it('caps the rendered SMS at 1600 characters', async () => {
    const app = await makeApp(NO_SCENARIOS);
    await gateway(app, gatewayBody({ options: { outofband: { message: '{fn}'.repeat(400) } } }, { fn: 'Bartholomew' }));
    expect((await messagesOf(app))[0]?.text).toHaveLength(1600);
  });

  it('PhoneMatch5.0.Call speaks the code and ignores the message option', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { body } = await gateway(app, gatewayBody({ service: 'PhoneMatch5.0.Call', options: { outofband: { message: 'SMS {pin}' } } }));
    expectSpecResponse('gateway', 200, body);
    expect(body.meta.service).toBe('PhoneMatch5.0.Call');
    expect(body.result.action).toBe('PENDING');
    const [message] = await messagesOf(app);
    expect(message?.channel).toBe('call');
    expect(message?.text).not.toContain('SMS');
    expect(message?.text).toContain(String(message?.pin).split('').join(', '));
  });

  it('applies the same rules to the Call service', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { body } = await gateway(
      app,
      gatewayBody({ service: 'PhoneMatch5.0.Call', options: { outofband: { do_not_send_to_types: ['mobile'] } } }),
    );
    expect(body.result.detail).toBe('SUPPRESSED SENDING CODE');
  });
});

describe('accounts and company', () => {
  it('logs in any user under the configured company by default', async () => {
    const app = await makeApp({ ...NO_SCENARIOS, company: 'Company ABC, Inc.' });
    const { body } = await gateway(app, gatewayBody({ user: 'someone@else.com', pass: 'x' }));
    expect(body.meta).toMatchObject({ company: 'Company ABC, Inc.', user: 'someone@else.com' });
  });

  it('takes the company of the account when accounts are configured, the default otherwise', async () => {
    const app = await makeApp({
      ...NO_SCENARIOS,
      company: 'Fallback Co',
      accounts: [
        { user: 'user@company.com', pass: 'PASSWORD', company: 'Company ABC, Inc.' },
        { user: 'plain@company.com', pass: 'pw' },
      ],
    });
    expect((await gateway(app, gatewayBody())).body.meta.company).toBe('Company ABC, Inc.');
    const plain = await gateway(app, gatewayBody({ user: 'plain@company.com', pass: 'pw' }));
    expect(plain.body.meta).toMatchObject({ company: 'Fallback Co', user: 'plain@company.com' });
  });

  it('has the documented request sample work as is', async () => {
    const app = await makeApp(NO_SCENARIOS);
    const { body } = await gateway(app, {
      ...SMS_REQUEST,
      options: {
        outofband: {
          message: 'Hello {fn}, your one-time password is {pin}',
          do_not_send_to_types: ['voip', 'landline'],
          country: { blacklist: ['CU'], whitelist: ['US', 'CA'] },
        },
      },
    });
    expect(body.result.action).toBe('PENDING');
  });
});

describe('the answer as sent', () => {
  it('is UTF-8 with its length in bytes, and the journal holds the same answer', async () => {
    // The handler sets the answer's Content-Length itself (phonematch-routes.ts): a reference
    // outside ASCII must come back intact, with a length that counts bytes, not characters.
    const app = await makeApp(NO_SCENARIOS);
    const reference = 'réf-☎-𝄞';
    const { status, body, res } = await gateway(app, gatewayBody({ reference }));
    expect(status).toBe(200);
    expect(body.meta.reference).toBe(reference);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(Number(res.headers['content-length'])).toBe(Buffer.byteLength(res.body));
    expect(Buffer.byteLength(res.body)).toBeGreaterThan(res.body.length);
    const journal = (await app.inject({ method: 'GET', url: '/__admin/requests?endpoint=gateway' })).json();
    expect(journal.requests[0].response).toEqual(body);
  });
});
