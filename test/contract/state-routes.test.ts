import { describe, expect, it } from 'vitest';
import { continueWith, gateway, gatewayBody, makeApp } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const post = (payload: object, headers: Record<string, string> = {}) => ({
  method: 'POST' as const,
  url: '/__admin/states',
  payload,
  headers,
});

describe('POST /__admin/states (the catalogue over HTTP, Pact’s state-change body)', () => {
  it('sets a state up from its name or its params, and answers its values', async () => {
    const app = await makeApp();
    const res = await app.inject(
      post({ state: 'a code {pin} was sent to {phone} with token {token}', params: { pin: 4321, phone: '2015106000', token: 'tok' } }),
    );
    expect(res.statusCode).toBe(200);
    expectSpecResponse('setProviderState', 200, res.json(), 'admin-openapi.yaml');
    expect(res.json()).toEqual({
      state: 'a code {pin} was sent to {phone} with token {token}',
      action: 'setup',
      values: { pin: '4321', phone: '2015106000', token: 'tok' },
    });
    expect((await continueWith(app, 'tok', '4321')).body.result.action).toBe('PASS');
  });

  it('resets after the last tear-down', async () => {
    const app = await makeApp();
    await app.inject(post({ state: 'the phone number 2015106000 is invalid', action: 'setup' }));
    expect((await gateway(app, gatewayBody())).body.result.detail).toBe('DATA CHECK FAILED');
    const down = await app.inject(post({ state: 'the phone number 2015106000 is invalid', params: null, action: 'teardown' }));
    expect(down.json()).toEqual({ state: 'the phone number 2015106000 is invalid', action: 'teardown', values: {} });
    expect((await gateway(app, gatewayBody())).body.result.action).toBe('PENDING');
  });

  it('an unknown state is a 400 in the envelope, listing the known states', async () => {
    const app = await makeApp();
    const res = await app.inject(post({ state: 'the shopper is logged in' }));
    expect(res.statusCode).toBe(400);
    expectSpecResponse('setProviderState', 400, res.json(), 'admin-openapi.yaml');
    expect(res.json().error.code).toBe('ADM400');
    expect(res.json().error.detail).toContain('the account {user} does not exist');
    const bad = await app.inject(post({ state: 'x', action: 'destroy' }));
    expect([bad.statusCode, bad.json().error.code]).toEqual([400, 'ADM400']);
  });

  it('a refused state leaves what is stored alone', async () => {
    const app = await makeApp();
    const sent = await gateway(app, gatewayBody());
    const token = sent.body.continuations.outofband.template.token as string;
    expect((await app.inject(post({ state: 'the shopper is logged in' }))).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/__admin/transactions/${token}` })).statusCode).toBe(200);
  });

  it('needs the admin token when the mock has one', async () => {
    const app = await makeApp({ adminToken: 'sesame' });
    expect((await app.inject(post({ state: 'the service is available' }))).statusCode).toBe(401);
    expect((await app.inject(post({ state: 'the service is available' }, { 'x-admin-token': 'sesame' }))).statusCode).toBe(200);
  });
});
