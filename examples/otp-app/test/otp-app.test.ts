import { connectMock } from 'phonematch-mock';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { createOtpApp } from '../src/otp-app.js';

const mock = connectMock(inject('phonematchUrl'));
const app = createOtpApp({ baseUrl: mock.url, user: 'shop@example.com', pass: 'secret' });

afterEach(() => mock.reset());

describe('phone verification against the PhoneMatch mock', () => {
  it('verifies the number when the user types the code they received', async () => {
    const sent = await app.sendCode('2015550100', { firstName: 'Ada' });
    expect(sent.status).toBe('sent');
    // What the user would read on their phone.
    const code = await mock.messages.waitForCode('2015550100', { timeoutMs: 2000 });
    if (sent.status !== 'sent') throw new Error('no code was sent');
    expect(await app.checkCode(sent.verificationId, code)).toEqual({ verified: true });
  });

  it('refuses a wrong code, and the verification cannot be retried', async () => {
    const sent = await app.sendCode('2015106000');
    if (sent.status !== 'sent') throw new Error(`expected a code, got ${sent.status}`);
    const code = await mock.messages.waitForCode('2015106000');
    const wrong = code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
    expect(await app.checkCode(sent.verificationId, wrong)).toEqual({ verified: false, reason: 'wrong-code' });
    expect(await app.checkCode(sent.verificationId, code)).toEqual({ verified: false, reason: 'expired' });
  });

  it('does not send a code to a VoIP line', async () => {
    // 2015550102 is a magic number of the mock: a VoIP line.
    expect(await app.sendCode('2015550102')).toEqual({ status: 'suppressed', detail: 'SUPPRESSED SENDING CODE' });
    expect(await mock.messages.list({ phone: '2015550102' })).toEqual([]);
  });

  it('tells the user when the code could not be delivered', async () => {
    // 2015550103: delivery fails.
    expect(await app.sendCode('2015550103')).toEqual({ status: 'failed', detail: 'FAILED TO SEND TO NUMBER' });
  });

  it('treats a code typed after ten minutes as expired', async () => {
    const sent = await app.sendCode('2015106001');
    if (sent.status !== 'sent') throw new Error(`expected a code, got ${sent.status}`);
    const code = await mock.messages.waitForCode('2015106001');
    await mock.clock.advance(10 * 60_000); // no waiting: the mock's clock jumps
    expect(await app.checkCode(sent.verificationId, code)).toEqual({ verified: false, reason: 'expired' });
  });

  it('fails any number while a scenario says delivery is down', async () => {
    await mock.scenarios.use('send-failure');
    expect(await app.sendCode('2015106000')).toMatchObject({ status: 'failed' });
  });
});
