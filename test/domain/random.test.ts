import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { between, chance, MAX_SEED, mulberry32, normal, RandomStreams, streamState } from '../../src/domain/random.js';

describe('mulberry32', () => {
  it('gives the published sequence for seed 0', () => {
    // Known answers of the original JavaScript mulberry32 with seed 0 (its first is 0.26642920868471265).
    const random = mulberry32(0);
    const first = [random(), random(), random()].map((x) => Math.floor(x * 4_294_967_296));
    expect(first).toEqual([1_144_304_738, 1_416_247, 958_946_056]);
  });

  it('stays in [0, 1) and the same seed replays the same sequence', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_SEED }), (seed) => {
        const a = mulberry32(seed);
        const b = mulberry32(seed);
        for (let i = 0; i < 20; i++) {
          const x = a();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
          expect(b()).toBe(x);
        }
      }),
    );
  });

  it('is roughly uniform: a 30% chance comes up about 30% of 10,000 times', () => {
    const random = mulberry32(12345);
    let hits = 0;
    for (let i = 0; i < 10_000; i++) if (chance(random, 0.3)) hits++;
    expect(hits).toBeGreaterThan(2_800);
    expect(hits).toBeLessThan(3_200);
  });
});

describe('helpers', () => {
  it('chance 0 never and 1 always, without depending on the draw', () => {
    expect(chance(() => 0, 0)).toBe(false);
    expect(chance(() => 0.999, 1)).toBe(true);
    expect(chance(() => 0.5, 0.5)).toBe(false);
    expect(chance(() => 0.49, 0.5)).toBe(true);
  });

  it('between covers both ends', () => {
    expect(between(() => 0, 100, 200)).toBe(100);
    expect(between(() => 0.999_999, 100, 200)).toBe(200);
  });

  it('normal is clipped to its bounds and centred on its mean', () => {
    const random = mulberry32(7);
    const values = Array.from({ length: 2_000 }, () => normal(random, 300, 100, 50, 2_000));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(50);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(mean).toBeGreaterThan(280);
    expect(mean).toBeLessThan(320);
    expect(normal(() => 0.5, 300, 0, 0, 1_000)).toBe(300);
  });
});

describe('RandomStreams', () => {
  it('gives each namespace its own stream: draws in one do not shift another', () => {
    const alone = new RandomStreams(42);
    const expected = [alone.draw('b'), alone.draw('b'), alone.draw('b')];
    const mixed = new RandomStreams(42);
    mixed.draw('a');
    const b1 = mixed.draw('b');
    mixed.draw('a');
    mixed.draw('a');
    const b2 = mixed.draw('b');
    const b3 = mixed.for('b')();
    expect([b1, b2, b3]).toEqual(expected);
    expect(mixed.draws('a')).toBe(3);
    expect(mixed.draws('b')).toBe(3);
  });

  it('differs by seed and by namespace, and a reset starts a stream over', () => {
    const streams = new RandomStreams(1);
    expect(new RandomStreams(2).draw('x')).not.toBe(streams.draw('x'));
    expect(streamState(1, 'x')).not.toBe(streamState(1, 'y'));
    const second = streams.draw('x');
    streams.reset('x');
    streams.draw('x');
    expect(streams.draw('x')).toBe(second);
    streams.reset();
    expect(streams.draws('x')).toBe(0);
  });
});
