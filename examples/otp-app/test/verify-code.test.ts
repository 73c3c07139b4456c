import { describe, expect, it } from 'vitest';
import { mockForFile } from './mock.js';

const { mock, app } = mockForFile(import.meta.filename);

describe('verifying a number with the code the user received', () => {
  it('verifies the number when the user types the code they received', async () => {
    const sent = await app.sendCode('2015550100', { firstName: 'Ada' });
    if (sent.status !== 'sent') throw new Error(`expected a code, got ${sent.status}`);
    // What the user would read on their phone: the happy-path magic number's fixed pin.
    expect(await mock.messages.waitForCode('2015550100')).toBe('123456');
    expect(await app.checkCode(sent.verificationId, '123456')).toEqual({ verified: true });
  });

  it.each(['2015106000', '2015106001', '2015106002'])('verifies %s, a number other files use too', async (phone) => {
    const sent = await app.sendCode(phone);
    if (sent.status !== 'sent') throw new Error(`expected a code, got ${sent.status}`);
    const code = await mock.messages.waitForCode(phone);
    expect(await app.checkCode(sent.verificationId, code)).toEqual({ verified: true });
    expect(await mock.requests.count()).toBe(2); // this file's gateway and continue, nobody else's
  });
});
