import { describe, expect, it } from 'vitest';
import { analysePhone } from '../../src/domain/phone.js';
import type { Scenario } from '../../src/generated/scenario.js';
import { compileScenario, type LoadedScenario } from '../../src/scenarios/loader.js';
import { selectOutcome } from '../../src/scenarios/select.js';

const US = { defaultRegion: 'US', ambiguousLineType: 'mobile' } as const;

function scenario(name: string, match: Scenario['match']): LoadedScenario {
  const compiled = compileScenario({ name, description: name, ...(match ? { match } : {}) }, `${name}.yaml`, US);
  if (typeof compiled === 'string') throw new Error(compiled);
  return compiled;
}

const request = (phone: string, user = 'u') => ({
  endpoint: 'gateway' as const,
  phone: analysePhone(phone, US),
  user,
  reference: null,
  service: 'PhoneMatch5.0.SMS',
});

describe('selection by the number (indexed)', () => {
  it('keeps the order of the set between scenarios for that number and scenarios for any number', () => {
    const set = [
      scenario('a-user', { user: 'qa' }),
      scenario('b-number', { phone: '2015550102' }),
      scenario('c-number-too', { phone: ['+1 201 555 0102', '2015550103'] }),
      scenario('d-no-match', undefined),
    ];
    expect(selectOutcome(request('2015550102', 'qa'), set)?.scenario.scenario.name).toBe('a-user');
    expect(selectOutcome(request('(201) 555-0102'), set)?.scenario.scenario.name).toBe('b-number');
    expect(selectOutcome(request('2015550103'), set)?.scenario.scenario.name).toBe('c-number-too');
    expect(selectOutcome(request('2015550199'), set)).toBeNull();
    expect(selectOutcome(request('2015550199', 'qa'), set)?.scenario.scenario.name).toBe('a-user');
  });

  it('looks at a new set as soon as it replaces the old one', () => {
    const first = [scenario('one', { phone: '2015550102' })];
    const second = [scenario('two', { phone: '2015550102' })];
    expect(selectOutcome(request('2015550102'), first)?.scenario.scenario.name).toBe('one');
    expect(selectOutcome(request('2015550102'), second)?.scenario.scenario.name).toBe('two');
  });

  it('finds the one scenario of a number among a thousand', () => {
    const set = Array.from({ length: 1000 }, (_, i) => scenario(`n-${i}`, { phone: String(2016000000 + i) }));
    expect(selectOutcome(request('2016000777'), set)?.scenario.scenario.name).toBe('n-777');
  });
});
