import { describe, expect, it } from 'vitest';
import { Ring } from '../../src/store/ring.js';

const all = <T>(ring: Ring<T>) => [...ring.newestFirst()];

describe('Ring', () => {
  it.each([0, -1, 1.5, Number.NaN])('refuses the capacity %d', (capacity) => {
    expect(() => new Ring(capacity)).toThrow(RangeError);
  });

  it('keeps entries newest first until it is full', () => {
    const ring = new Ring<number>(3);
    expect(all(ring)).toEqual([]);
    expect(ring.push(1)).toBeUndefined();
    expect(ring.push(2)).toBeUndefined();
    expect(ring.size).toBe(2);
    expect(all(ring)).toEqual([2, 1]);
  });

  it('evicts exactly the oldest entry per push once full, and returns it', () => {
    const ring = new Ring<number>(3);
    for (const n of [1, 2, 3]) ring.push(n);
    expect(ring.push(4)).toBe(1);
    expect(ring.push(5)).toBe(2);
    expect(ring.size).toBe(3);
    expect(all(ring)).toEqual([5, 4, 3]);
    // Many times round: still the capacity, still the newest three, each push evicting one.
    for (let n = 6; n <= 10_000; n++) expect(ring.push(n)).toBe(n - 3);
    expect(ring.size).toBe(3);
    expect(all(ring)).toEqual([10_000, 9_999, 9_998]);
  });

  it('works with a capacity of one', () => {
    const ring = new Ring<string>(1);
    expect(ring.push('a')).toBeUndefined();
    expect(ring.push('b')).toBe('a');
    expect(all(ring)).toEqual(['b']);
  });

  it('removes entries out of order, leaving holes the iteration skips', () => {
    const ring = new Ring<number>(5);
    for (const n of [1, 2, 3, 4, 5]) ring.push(n);
    expect(ring.removeWhere((n) => n % 2 === 0)).toEqual([2, 4]);
    expect(ring.size).toBe(3);
    expect(all(ring)).toEqual([5, 3, 1]);
    expect(ring.removeWhere(() => false)).toEqual([]);
  });

  it('fills a hole at the head without evicting, and never holds more than its capacity', () => {
    const ring = new Ring<number>(3);
    for (const n of [1, 2, 3]) ring.push(n);
    ring.removeWhere((n) => n === 1); // the slot the next push writes
    expect(ring.push(4)).toBeUndefined();
    expect(ring.size).toBe(3);
    expect(all(ring)).toEqual([4, 3, 2]);
    // A hole elsewhere: the head still evicts the oldest, the hole is filled when the head reaches it.
    ring.removeWhere((n) => n === 3);
    expect(ring.size).toBe(2);
    expect(ring.push(5)).toBe(2);
    expect(ring.size).toBe(2);
    expect(ring.push(6)).toBeUndefined();
    expect(ring.size).toBe(3);
    expect(all(ring)).toEqual([6, 5, 4]);
  });

  it('clears', () => {
    const ring = new Ring<number>(2);
    ring.push(1);
    ring.push(2);
    ring.clear();
    expect(ring.size).toBe(0);
    expect(all(ring)).toEqual([]);
    expect(ring.push(3)).toBeUndefined();
    expect(all(ring)).toEqual([3]);
  });
});

describe('Ring: slots', () => {
  it('tells the slot of the latest push, and what a slot holds', () => {
    const ring = new Ring<string>(2);
    expect(ring.lastSlot).toBe(-1);
    ring.push('a');
    expect(ring.lastSlot).toBe(0);
    ring.push('b');
    ring.push('c'); // wraps: evicts a
    expect(ring.lastSlot).toBe(0);
    expect(ring.at(0)).toBe('c');
    expect(ring.at(1)).toBe('b');
    expect(ring.at(2)).toBeUndefined();
    ring.removeWhere((e) => e === 'b');
    expect(ring.at(1)).toBeUndefined();
    ring.clear();
    expect(ring.lastSlot).toBe(-1);
    expect(ring.at(0)).toBeUndefined();
  });
});
