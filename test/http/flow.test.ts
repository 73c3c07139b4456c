import { describe, expect, it } from 'vitest';
import { continueWith, gateway, gatewayBody, makeApp, pinFor } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

describe('the SMS flow through inject', () => {
  it('sends a code, passes the right entry once, then refuses the spent token', async () => {
    const app = await makeApp();
    const sent = await gateway(app, gatewayBody());
    expect(sent.status).toBe(200);
    expectSpecResponse('gateway', 200, sent.body);
    expect(Object.keys(sent.body)).toEqual(['output', 'meta', 'result', 'continuations']);
    const token = sent.body.continuations.outofband.template.token as string;
    const pass = await continueWith(app, token, await pinFor(app, token));
    expectSpecResponse('continue', 200, pass.body);
    expect(pass.body.result).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] });
    const again = await continueWith(app, token, '000000');
    expect(again.status).toBe(400);
    expectSpecResponse('continue', 400, again.body);
    expect(again.body.error.code).toBe('TKN0');
  });
});
