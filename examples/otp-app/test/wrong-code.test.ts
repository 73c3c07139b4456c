import { describe, expect, it } from 'vitest';
import { mockForFile } from './mock.js';

const { mock, app } = mockForFile(import.meta.filename);

describe('a wrong code', () => {
  it.each(['2015106000', '2015106001', '2015106002'])('is refused for %s, and the verification cannot be retried', async (phone) => {
    const sent = await app.sendCode(phone);
    if (sent.status !== 'sent') throw new Error(`expected a code, got ${sent.status}`);
    const code = await mock.messages.waitForCode(phone);
    const wrong = code.replace(/\d$/, (d) => String((Number(d) + 1) % 10));
    expect(await app.checkCode(sent.verificationId, wrong)).toEqual({ verified: false, reason: 'wrong-code' });
    expect(await app.checkCode(sent.verificationId, code)).toEqual({ verified: false, reason: 'expired' });
  });
});
