/**
 * Every control-API call validates its input and answers bad input with the documented error
 * envelope (never a 500 or a stack).
 */
import { describe, expect, it } from 'vitest';
import { makeApp } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

type Case = [
  operationId: string,
  method: 'GET' | 'PUT' | 'POST' | 'DELETE',
  url: string,
  payload: string | object | undefined,
  status: number,
  code: string,
];

const JSON_TYPE = { 'content-type': 'application/json' };

const CASES: Case[] = [
  ['listMessages', 'GET', '/__admin/messages?limit=0', undefined, 400, 'ADM400'],
  ['listMessages', 'GET', '/__admin/messages?limit=lots', undefined, 400, 'ADM400'],
  ['listMessages', 'GET', '/__admin/messages?namespace=two%20words', undefined, 400, 'ADM400'],
  ['listMessages', 'GET', `/__admin/messages?phone=${'1'.repeat(65)}`, undefined, 400, 'ADM400'],
  ['latestMessage', 'GET', '/__admin/messages/latest?wait=60001', undefined, 400, 'ADM400'],
  ['latestMessage', 'GET', '/__admin/messages/latest?after=-1', undefined, 400, 'ADM400'],
  ['latestMessage', 'GET', '/__admin/messages/latest', undefined, 404, 'ADM404'],
  ['listTransactions', 'GET', '/__admin/transactions?limit=100001', undefined, 400, 'ADM400'],
  ['getTransaction', 'GET', `/__admin/transactions/${'t'.repeat(257)}`, undefined, 400, 'ADM400'],
  ['getTransaction', 'GET', '/__admin/transactions/no-such-token', undefined, 404, 'ADM404'],
  ['getTransaction', 'GET', '/__admin/transactions/%E0%A4%A', undefined, 400, 'ADM400'],
  ['listRequests', 'GET', '/__admin/requests?endpoint=other', undefined, 400, 'ADM400'],
  ['listRequests', 'GET', '/__admin/requests?status=600', undefined, 400, 'ADM400'],
  ['listRequests', 'GET', `/__admin/requests?scenario=${'s'.repeat(65)}`, undefined, 400, 'ADM400'],
  ['clearRequests', 'DELETE', '/__admin/requests?namespace=a/b', undefined, 400, 'ADM400'],
  ['activateScenario', 'PUT', '/__admin/scenarios/active', {}, 400, 'ADM400'],
  ['activateScenario', 'PUT', '/__admin/scenarios/active', { name: '' }, 400, 'ADM400'],
  ['activateScenario', 'PUT', '/__admin/scenarios/active', { name: 'happy-path', colour: 'red' }, 400, 'ADM400'],
  ['activateScenario', 'PUT', '/__admin/scenarios/active', { name: 'happy-path', namespace: 'bad namespace' }, 400, 'ADM400'],
  ['activateScenario', 'PUT', '/__admin/scenarios/active?namespace=a', { name: 'happy-path', namespace: 'b' }, 400, 'ADM400'],
  ['activateScenario', 'PUT', '/__admin/scenarios/active', { name: 'no-such-scenario' }, 404, 'ADM404'],
  ['activateScenario', 'PUT', '/__admin/scenarios/active', '{"name":', 400, 'ADM400'],
  ['activateScenario', 'PUT', '/__admin/scenarios/active', '', 400, 'ADM400'],
  ['activateScenario', 'PUT', '/__admin/scenarios/active', '["happy-path"]', 400, 'ADM400'],
  ['deactivateScenario', 'DELETE', '/__admin/scenarios/active?namespace=%00', undefined, 400, 'ADM400'],
  ['getClock', 'GET', '/__admin/clock?namespace=', undefined, 400, 'ADM400'],
  ['advanceClock', 'POST', '/__admin/clock', {}, 400, 'ADM400'],
  ['advanceClock', 'POST', '/__admin/clock', { advanceMs: -1 }, 400, 'ADM400'],
  ['advanceClock', 'POST', '/__admin/clock', { advanceMs: 1.5 }, 400, 'ADM400'],
  ['advanceClock', 'POST', '/__admin/clock', { advanceMs: 'soon' }, 400, 'ADM400'],
  ['advanceClock', 'POST', '/__admin/clock', { advanceMs: 31_536_000_001 }, 400, 'ADM400'],
  ['reset', 'POST', `/__admin/reset?namespace=${'n'.repeat(129)}`, undefined, 400, 'ADM400'],
];

describe('control API input validation', () => {
  it.each(CASES)('%s %s %s %j → %i %s', async (operationId, method, url, payload, status, code) => {
    const app = await makeApp();
    const res = await app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: typeof payload === 'string' ? payload : JSON.stringify(payload), headers: JSON_TYPE }),
    });
    expect(res.statusCode, res.payload).toBe(status);
    expectSpecResponse(operationId, status, res.json(), 'admin-openapi.yaml');
    expect(res.json().error.code).toBe(code);
    expect(res.json().meta.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    expect(res.payload).not.toMatch(/at .*\.(ts|js):\d+/); // no stack
  });

  it('a body that is not JSON at all is a 400 in the envelope, not a 415', async () => {
    const app = await makeApp();
    const res = await app.inject({
      method: 'PUT',
      url: '/__admin/scenarios/active',
      payload: 'name=happy-path',
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.statusCode).toBe(400);
    expectSpecResponse('activateScenario', 400, res.json(), 'admin-openapi.yaml');
  });

  it('an unknown admin path is a 404 in the same envelope', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/__admin/nothing-here' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ meta: { timestamp: expect.any(String) }, error: { code: 'NOTFOUND' } });
  });

  it('takes the namespace of PUT scenarios/active and POST clock from the query string too', async () => {
    const app = await makeApp();
    const put = await app.inject({ method: 'PUT', url: '/__admin/scenarios/active?namespace=q', payload: { name: 'voip' } });
    expect(put.statusCode).toBe(200);
    expectSpecResponse('activateScenario', 200, put.json(), 'admin-openapi.yaml');
    expect(put.json().active).toEqual([{ namespace: 'q', name: 'voip' }]);
    const same = await app.inject({
      method: 'PUT',
      url: '/__admin/scenarios/active?namespace=q',
      payload: { name: 'landline', namespace: 'q' },
    });
    expect(same.json().active).toEqual([{ namespace: 'q', name: 'landline' }]);
    const clock = await app.inject({ method: 'POST', url: '/__admin/clock?namespace=q', payload: { advanceMs: 1000 } });
    expectSpecResponse('advanceClock', 200, clock.json(), 'admin-openapi.yaml');
    expect(clock.json().offsetMs).toBe(1000);
    expect((await app.inject({ method: 'GET', url: '/__admin/clock' })).json().offsetMs).toBe(0);
  });
});
