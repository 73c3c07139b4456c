import { describe, expect, it } from 'vitest';
import { createClock, errorTimestamp, transactionTimestamp } from '../../src/domain/clock.js';

const T = Date.UTC(2019, 0, 7, 12, 35, 9, 987);

describe('timestamps (UTC, no zone)', () => {
  it('formats a transaction timestamp as YYYY-MM-DD HH:MM:SS', () => {
    expect(transactionTimestamp(T)).toBe('2019-01-07 12:35:09');
    expect(transactionTimestamp(Date.UTC(2019, 9, 21, 3, 4, 5))).toBe('2019-10-21 03:04:05');
  });

  it('formats an error timestamp in ISO form with a T and no fraction or zone', () => {
    expect(errorTimestamp(T)).toBe('2019-01-07T12:35:09');
    expect(errorTimestamp(Date.UTC(2019, 9, 21, 13, 4, 26))).toBe('2019-10-21T13:04:26');
  });
});

describe('createClock', () => {
  it('follows its source', () => {
    let now = T;
    const clock = createClock(() => now);
    expect(clock.now()).toBe(T);
    now += 5;
    expect(clock.now()).toBe(T + 5);
  });

  it('uses the real time by default', () => {
    const before = Date.now();
    const now = createClock().now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });

  it('moves forward for everyone, and for one namespace on top', () => {
    const clock = createClock(() => T);
    clock.advance(1000);
    expect(clock.now()).toBe(T + 1000);
    expect(clock.now('a')).toBe(T + 1000);
    clock.advance(500, 'a');
    clock.advance(250, 'a');
    expect(clock.now('a')).toBe(T + 1750);
    expect(clock.now('b')).toBe(T + 1000);
    expect(clock.now()).toBe(T + 1000);
    expect(clock.offset()).toBe(1000);
    expect(clock.offset('a')).toBe(1750);
    expect(clock.offset('b')).toBe(1000);
  });

  it('resets one namespace, or everything', () => {
    const clock = createClock(() => T);
    clock.advance(1000);
    clock.advance(10, 'a');
    clock.advance(20, 'b');
    clock.reset('a');
    expect(clock.now('a')).toBe(T + 1000);
    expect(clock.now('b')).toBe(T + 1020);
    clock.reset();
    expect(clock.now()).toBe(T);
    expect(clock.now('b')).toBe(T);
  });
});
