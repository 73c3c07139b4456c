import { describe, expect, it } from 'vitest';
import { callEnded, callResult, callStatus, placeCall } from '../../src/domain/dialer.js';

describe('a Dialer call', () => {
  it('by default is over at once and delivered', () => {
    const call = placeCall('test.message', undefined, 1000);
    expect(call).toEqual({ audio: 'test.message', outcome: 'delivered', endsAt: 1000, pendingPolls: 0, polls: 0 });
    expect(callEnded(call, 1000)).toBe(true);
    expect(callResult(call)).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED' });
  });

  it('lasts its duration and its pending polls, whichever comes last', () => {
    const call = placeCall('a', { durationMs: 500, pendingPolls: 2, outcome: 'busy' }, 1000);
    expect(callStatus(call, 1499)).toBe('calling');
    expect(callStatus(call, 1500)).toBe('calling');
    call.polls = 2;
    expect(callStatus(call, 1499)).toBe('calling');
    expect(callStatus(call, 1500)).toBe('busy');
  });

  it.each(['no-answer', 'busy', 'failed'] as const)('%s is FAIL / FAILED TO SEND TO NUMBER', (outcome) => {
    expect(callResult(placeCall('a', { outcome }, 0))).toEqual({ action: 'FAIL', detail: 'FAILED TO SEND TO NUMBER' });
  });
});
