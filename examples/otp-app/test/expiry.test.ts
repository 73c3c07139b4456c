import { describe, expect, it } from 'vitest';
import { mockForFile } from './mock.js';

const { mock, app } = mockForFile(import.meta.filename);

describe('an old code', () => {
  it.each(['2015106000', '2015106001', '2015106002'])('typed after ten minutes on %s is expired', async (phone) => {
    const sent = await app.sendCode(phone);
    if (sent.status !== 'sent') throw new Error(`expected a code, got ${sent.status}`);
    const code = await mock.messages.waitForCode(phone);
    await mock.clock.advance(10 * 60_000); // no waiting: this namespace's clock jumps, no other file's
    expect(await app.checkCode(sent.verificationId, code)).toEqual({ verified: false, reason: 'expired' });
  });
});
