import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/domain/random.js';
import type { Scenario } from '../../src/generated/scenario.js';
import { applyFields, concerns, drawLatency, SequenceMemory, stepAt, vary } from '../../src/scenarios/variation.js';

const base: Scenario = { name: 's', description: 'd', otp: { maxAttempts: 3 }, gateway: { latencyMs: 10 } };
const subject = { phone: '+12015550110', user: 'u', reference: 'r1' };

describe('drawLatency', () => {
  it('is fixed, uniform within a range, or normal and clipped', () => {
    expect(drawLatency(undefined, () => 0.5)).toBe(0);
    expect(drawLatency(250, () => 0.5)).toBe(250);
    expect(drawLatency({ min: 100, max: 200 }, () => 0)).toBe(100);
    expect(drawLatency({ min: 100, max: 200 }, () => 0.999_999)).toBe(200);
    expect(drawLatency({ mean: 300, sd: 0 }, () => 0.5)).toBe(300);
    const random = mulberry32(3);
    for (let i = 0; i < 200; i++) {
      const ms = drawLatency({ mean: 100, sd: 200, min: 20, max: 400 }, random);
      expect(ms).toBeGreaterThanOrEqual(20);
      expect(ms).toBeLessThanOrEqual(400);
    }
  });
});

describe('applyFields and concerns', () => {
  it('merges section by section; a fault and a response replace each other', () => {
    const merged = applyFields(
      { ...base, gateway: { latencyMs: 5, response: { status: 503 } } },
      { otp: { pin: '1' }, gateway: { fault: 'reset' } },
    );
    expect(merged.otp).toEqual({ maxAttempts: 3, pin: '1' });
    expect(merged.gateway).toEqual({ latencyMs: 5, fault: 'reset' });
    expect(base.otp).toEqual({ maxAttempts: 3 }); // the scenario itself is untouched
  });

  it('says which endpoint the fields concern', () => {
    expect(concerns({ delivery: { fail: true } }, 'gateway')).toBe(true);
    expect(concerns({ delivery: { fail: true } }, 'continue')).toBe(false);
    expect(concerns({ otp: { entry: 'fail' } }, 'continue')).toBe(true);
    expect(concerns({ otp: { entry: 'fail' } }, 'gateway')).toBe(false);
  });
});

describe('sequences', () => {
  const seq: Scenario = { ...base, sequence: { gateway: [{ delivery: { fail: true } }, {}, { number: { valid: false } }] } };

  it('keeps the last step, or starts again with repeat: true', () => {
    expect([0, 1, 2, 3, 4].map((p) => stepAt(seq, 'gateway', p)?.number)).toEqual([1, 2, 3, 3, 3]);
    const repeat = { ...seq, sequence: { ...seq.sequence, repeat: true } };
    expect([0, 1, 2, 3, 4].map((p) => stepAt(repeat, 'gateway', p)?.number)).toEqual([1, 2, 3, 1, 2]);
    expect(stepAt(seq, 'continue', 0)).toBeNull();
  });

  it('applies the step and says which it was', () => {
    const first = vary(seq, 'gateway', 0, () => 0.5);
    expect(first.scenario.delivery).toEqual({ fail: true });
    expect(first.note).toBe('gateway step 1 of 3');
    expect(first.latencyMs).toBe(10);
    expect(vary(seq, 'gateway', 1, () => 0.5).scenario.delivery).toBeUndefined();
    expect(vary(seq, 'continue', null, () => 0.5).note).toBeNull();
  });

  it('counts per phone, reference or user, per namespace; positions are listed and reset', () => {
    const memory = new SequenceMemory();
    expect(memory.next('ns', seq, 'gateway', subject)).toBe(0);
    expect(memory.next('ns', seq, 'gateway', subject)).toBe(1);
    expect(memory.next('ns', seq, 'gateway', { ...subject, phone: '+12015550111' })).toBe(0);
    expect(memory.next('other', seq, 'gateway', subject)).toBe(0);
    expect(memory.next('ns', seq, 'continue', subject)).toBeNull();
    const byReference = { ...seq, name: 'r', sequence: { ...seq.sequence, per: 'reference' as const } };
    expect(memory.next('ns', byReference, 'gateway', subject)).toBe(0);
    expect(memory.next('ns', byReference, 'gateway', { ...subject, phone: '+19999999999' })).toBe(1);
    expect(memory.positions('ns')).toContainEqual({
      namespace: 'ns',
      scenario: 's',
      endpoint: 'gateway',
      per: 'phone',
      key: '+12015550110',
      count: 2,
      nextStep: 3,
      steps: 3,
    });
    expect(memory.positions('ns').find((p) => p.scenario === 'r')).toMatchObject({ per: 'reference', key: 'r1', count: 2 });
    memory.reset('ns');
    expect(memory.positions('ns')).toEqual([]);
    expect(memory.positions()).toHaveLength(1);
    expect(memory.next('ns', seq, 'gateway', subject)).toBe(0);
  });
});

describe('chance', () => {
  const odds: Scenario = { ...base, chance: { probability: 0.5, delivery: { fail: true } } };

  it('applies on a hit, not on a miss, and draws only where its fields matter', () => {
    expect(vary(odds, 'gateway', null, () => 0.2)).toMatchObject({ scenario: { delivery: { fail: true } }, note: 'chance 0.5: hit' });
    expect(vary(odds, 'gateway', null, () => 0.7)).toMatchObject({ note: 'chance 0.5: miss' });
    expect(vary(odds, 'gateway', null, () => 0.7).scenario.delivery).toBeUndefined();
    let draws = 0;
    vary(odds, 'continue', null, () => {
      draws++;
      return 0;
    });
    expect(draws).toBe(0);
  });

  it('a step with a probability applies on a hit only', () => {
    const seq: Scenario = { ...base, sequence: { continue: [{ probability: 0.25, otp: { entry: 'fail' } }] } };
    expect(vary(seq, 'continue', 0, () => 0.1)).toMatchObject({
      note: 'continue step 1 of 1 (chance 0.25: hit)',
      scenario: { otp: { entry: 'fail' } },
    });
    expect(vary(seq, 'continue', 0, () => 0.9).note).toBe('continue step 1 of 1 (chance 0.25: miss)');
  });
});
