import { describe, expect, it } from 'vitest';
import { mockForFile } from './mock.js';

const { mock, app } = mockForFile(import.meta.filename);

describe('while delivery is down', () => {
  it.each(['2015106000', '2015106001', '2015106002'])('fails %s, in this file only', async (phone) => {
    await mock.scenarios.use('send-failure'); // this namespace's requests only; the reset after each test clears it
    expect(await app.sendCode(phone)).toMatchObject({ status: 'failed' });
    expect(await mock.requests.count({ endpoint: 'gateway' })).toBe(1);
  });
});
