import { describe, expect, it } from 'vitest';
import { applyState, knownStates, matchState, ProviderStateError, ProviderStates, STATE_CATALOGUE } from '../../src/contracts/states.js';
import { continueWith, gateway, gatewayBody, makeApp } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const EXCLUDE_NOTHING = { options: { outofband: {} } };

describe('the provider-state catalogue', () => {
  it('has exactly the wording the README documents', () => {
    expect(STATE_CATALOGUE.map((d) => d.template)).toEqual([
      'the service is available',
      'the phone number {phone} is a {lineType} line',
      'the phone number {phone} is invalid',
      'delivery to {phone} fails',
      'a code {pin} was sent to {phone} with token {token}',
      'the person {fn} {ln} with phone {phone} is deceased',
      'no person {fn} {ln} has the phone {phone}',
      'the person {fn} {ln} with phone {phone} needs review for {issues}',
      'a call to {phone} with token {token} is in progress',
      'a call to {phone} with token {token} ended {outcome}',
      'the token {token} has expired',
      'the account {user} does not exist',
      'the account {user} is not active',
    ]);
  });

  it('reads the values from the name, or leaves braces for the params', () => {
    const named = matchState('a code 123456 was sent to +1 201-510-6000 with token abc');
    expect(named?.kind === 'catalogue' && named.values).toEqual({ pin: '123456', phone: '+1 201-510-6000', token: 'abc' });
    const templated = matchState('the phone number {phone} is a {lineType} line');
    expect(templated?.kind === 'catalogue' && templated.values).toEqual({ phone: '{phone}', lineType: '{lineType}' });
    expect(matchState('happy-path', ['happy-path'])).toEqual({ kind: 'scenario', name: 'happy-path' });
    expect(matchState('the shopper is logged in')).toBeUndefined();
  });

  it('fails with the known states for an unknown state, and names a missing param', async () => {
    const app = await makeApp();
    const unknown = (() => {
      try {
        applyState(app.simulator, 'the shopper is logged in');
      } catch (error) {
        return error;
      }
    })();
    expect(unknown).toBeInstanceOf(ProviderStateError);
    expect((unknown as ProviderStateError).known).toEqual(knownStates(app.simulator.scenarios.list().map((s) => s.scenario.name)));
    expect((unknown as Error).message).toContain('  - the phone number {phone} is invalid');
    expect(() => applyState(app.simulator, 'the phone number {phone} is invalid', {})).toThrow(/needs the param 'phone'/);
    expect(() => applyState(app.simulator, 'the phone number 2015106000 is a cellular line')).toThrow(/mobile, landline, voip/);
    expect(() => applyState(app.simulator, 'delivery to nowhere fails')).toThrow(/no digits/);
  });

  it('the phone number {phone} is a {lineType} line: the gateway sees that line type (params fill the braces)', async () => {
    const app = await makeApp();
    applyState(app.simulator, 'the phone number {phone} is a {lineType} line', { phone: '2015106000', lineType: 'voip' });
    const sent = await gateway(app, gatewayBody({ options: { outofband: { do_not_send_to_types: ['voip'] } } }));
    expect(sent.body.result.detail).toBe('SUPPRESSED SENDING CODE');
    expectSpecResponse('gateway', 200, sent.body);
  });

  it('the phone number {phone} is invalid, and two states about one number add up', async () => {
    const app = await makeApp();
    applyState(app.simulator, 'the phone number (201) 510-6000 is invalid');
    expect((await gateway(app, gatewayBody())).body.result.detail).toBe('DATA CHECK FAILED');
    applyState(app.simulator, 'the phone number 2015550102 is a landline line');
    applyState(app.simulator, 'delivery to 2015550102 fails');
    const landline = await gateway(app, gatewayBody(EXCLUDE_NOTHING, { phone: '2015550102' }));
    expect(landline.body.result.detail).toBe('FAILED TO SEND TO NUMBER');
    const excluded = await gateway(
      app,
      gatewayBody({ options: { outofband: { do_not_send_to_types: ['landline'] } } }, { phone: '2015550102' }),
    );
    expect(excluded.body.result.detail).toBe('SUPPRESSED SENDING CODE');
  });

  it('a code {pin} was sent to {phone} with token {token}: continue passes with that pin, meta from the params', async () => {
    const app = await makeApp();
    const token = 'k3v9q2m8x1c7b4n6z0a5s2d8f1g7h3j9';
    const values = applyState(app.simulator, `a code 123456 was sent to 2015106000 with token ${token}`, {
      reference: 'order-7',
      user: 'shop@example.com',
      service: 'PhoneMatch5.0.Call',
    });
    expect(values).toEqual({ pin: '123456', phone: '2015106000', token });
    const pass = await continueWith(app, token, '123456');
    expectSpecResponse('continue', 200, pass.body);
    expect(pass.body.result.action).toBe('PASS');
    expect(pass.body.meta).toMatchObject({ reference: 'order-7', user: 'shop@example.com', service: 'PhoneMatch5.0.Call' });
    expect(() => applyState(app.simulator, 'a code 1 was sent to 2015106000 with token t', { service: 'Nope' })).toThrow(/service/);
  });

  it('the token {token} has expired: QRY6 for a seeded token and for one never seen', async () => {
    const app = await makeApp();
    applyState(app.simulator, 'a code 123456 was sent to 2015106000 with token seeded');
    applyState(app.simulator, 'the token seeded has expired');
    applyState(app.simulator, 'the token never-seen has expired');
    for (const token of ['seeded', 'never-seen']) {
      const res = await continueWith(app, token, '123456');
      expect([res.status, res.body.error.code]).toEqual([400, 'QRY6']);
    }
  });

  it('the account {user} does not exist: AUTH0 even on an open mock', async () => {
    const app = await makeApp();
    applyState(app.simulator, 'the account nobody@company.com does not exist');
    const refused = await gateway(app, gatewayBody({ user: 'nobody@company.com' }));
    expect([refused.status, refused.body.error.code]).toEqual([400, 'AUTH0']);
  });

  it('a loaded scenario’s name activates it', async () => {
    const app = await makeApp();
    applyState(app.simulator, 'invalid-number');
    expect((await gateway(app, gatewayBody())).body.result.detail).toBe('DATA CHECK FAILED');
  });
});

describe('ProviderStates (Pact’s set-up / tear-down protocol)', () => {
  it('resets before an interaction’s first set-up and after its last tear-down, keeping its states together', async () => {
    const app = await makeApp();
    const states = new ProviderStates(app.simulator);
    await gateway(app, gatewayBody());
    states.change('setup', 'the phone number 2015106000 is a voip line');
    expect(app.simulator.store.counts().transactions).toBe(0);
    states.change('setup', 'delivery to 2015106000 fails');
    expect((await gateway(app, gatewayBody(EXCLUDE_NOTHING))).body.result.detail).toBe('FAILED TO SEND TO NUMBER');
    states.change('teardown', 'the phone number 2015106000 is a voip line');
    expect(app.simulator.scenarios.get('pact-state-12015106000')).toBeDefined();
    states.change('teardown', 'delivery to 2015106000 fails');
    expect(app.simulator.scenarios.get('pact-state-12015106000')).toBeUndefined();
    expect((await gateway(app, gatewayBody(EXCLUDE_NOTHING))).body.result.action).toBe('PENDING');
  });

  it('a state that fails to set up is not counted as open', async () => {
    const app = await makeApp();
    const states = new ProviderStates(app.simulator);
    expect(() => states.change('setup', 'nonsense')).toThrow(ProviderStateError);
    states.change('setup', 'the account a@b.c does not exist');
    states.change('teardown', 'the account a@b.c does not exist');
    expect((await gateway(app, gatewayBody({ user: 'a@b.c' }))).status).toBe(200);
  });

  it('the identity states give the identity services their verdict for that number, and add up with its line type', async () => {
    const app = await makeApp({ scenarios: null });
    applyState(app.simulator, 'the phone number 2015550140 is a mobile line');
    applyState(app.simulator, 'the person Ada Lovelace with phone 2015550140 needs review for SSN CHECK FAILED,  AGE CHECK FAILED');
    applyState(app.simulator, 'no person Grace Hopper has the phone 2015550141');
    const verify = async (phone: string) =>
      (
        await gateway(app, {
          user: 'user@company.com',
          pass: 'PASSWORD',
          service: 'PhoneMatch5.0',
          target: { fn: 'Ada', ln: 'Lovelace', phone },
        })
      ).body.result;
    expect(await verify('2015550140')).toEqual({
      action: 'REVIEW',
      detail: 'TRANSACTION REQUIRES FURTHER ATTENTION',
      issues: ['SSN CHECK FAILED', 'AGE CHECK FAILED'],
    });
    expect(await verify('2015550141')).toEqual({ action: 'FAIL', detail: 'NO MATCH', issues: [] });
    expect(await verify('2015106000')).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] });
    const sms = await gateway(app, gatewayBody({}, { phone: '2015550140' }));
    expect(sms.body.result.action).toBe('PENDING');
    expect(() => applyState(app.simulator, 'the person A B with phone 2015550140 needs review for LOOKS ODD')).toThrow(/unknown issue/);
  });

  it('a seeded Smart 2FA code runs the identity step of the number after a right entry', async () => {
    const app = await makeApp({ scenarios: null });
    const token = 'seededsmart2fatokenseededsmart2f';
    applyState(app.simulator, `a code 123456 was sent to 2015106000 with token ${token}`, { service: 'PhoneMatch5.0.Smart2FA.Call' });
    applyState(app.simulator, 'the person Abraham Lincoln with phone 2015106000 is deceased');
    const { status, body } = await continueWith(app, token, '123456');
    expect(status).toBe(200);
    expectSpecResponse('continue', 200, body);
    expect(body.output).toEqual({ outofband: {}, rescue: {} });
    expect(body.result).toEqual({ action: 'FAIL', detail: 'TARGET IS DECEASED', issues: [] });
  });
});

describe('the Dialer states', () => {
  const status = (token: string) => ({
    method: 'POST' as const,
    url: '/process/continue',
    payload: { token, dialer: { return: 'status' } },
  });

  it('a call to {phone} with token {token} is in progress: its status requests answer PENDING', async () => {
    const app = await makeApp();
    const token = 'c4ll1ngc4ll1ngc4ll1ngc4ll1ngc4ll';
    applyState(app.simulator, `a call to 2015106000 with token ${token} is in progress`, { reference: '12345' });
    const res = await app.inject(status(token));
    expectSpecResponse('continue', 200, res.json());
    expect(res.json().result.action).toBe('PENDING');
    expect(res.json().meta).toMatchObject({ reference: '12345', service: 'PhoneMatch5.0.Dialer' });
  });

  it.each([
    ['delivered', 'PASS', 'ALL CHECKS PASSED'],
    ['no-answer', 'FAIL', 'FAILED TO SEND TO NUMBER'],
    ['busy', 'FAIL', 'FAILED TO SEND TO NUMBER'],
    ['failed', 'FAIL', 'FAILED TO SEND TO NUMBER'],
  ])('a call … ended %s: %s / %s', async (outcome, action, detail) => {
    const app = await makeApp();
    const token = 'e4d3de4d3de4d3de4d3de4d3de4d3de4';
    applyState(app.simulator, 'a call to {phone} with token {token} ended {outcome}', { phone: '2015106000', token, outcome });
    const res = await app.inject(status(token));
    expect(res.json().result).toEqual({ action, detail, issues: [] });
  });

  it('refuses an ending it does not know, and re-seeding a token replaces its call', async () => {
    const app = await makeApp();
    expect(() => applyState(app.simulator, 'a call to 2015106000 with token abc ended hung-up')).toThrow(
      /delivered, no-answer, busy, failed/,
    );
    applyState(app.simulator, 'a call to 2015106000 with token abc is in progress');
    applyState(app.simulator, 'a call to 2015106000 with token abc ended busy');
    expect((await app.inject(status('abc'))).json().result.action).toBe('FAIL');
  });
});
