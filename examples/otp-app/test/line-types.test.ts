import { describe, expect, it } from 'vitest';
import { mockForFile } from './mock.js';

const { mock, app } = mockForFile(import.meta.filename);

describe('numbers a code cannot reach', () => {
  it('does not send a code to a VoIP line', async () => {
    // 2015550102 is a magic number of the mock: a VoIP line.
    expect(await app.sendCode('2015550102')).toEqual({ status: 'suppressed', detail: 'SUPPRESSED SENDING CODE' });
    expect(await mock.messages.list({ phone: '2015550102' })).toEqual([]);
  });

  it('tells the user when the code could not be delivered', async () => {
    // 2015550103: delivery fails.
    expect(await app.sendCode('2015550103')).toEqual({ status: 'failed', detail: 'FAILED TO SEND TO NUMBER' });
  });
});
