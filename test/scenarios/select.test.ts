import { describe, expect, it } from 'vitest';
import { analysePhone } from '../../src/domain/phone.js';
import { compileScenario, type LoadedScenario } from '../../src/scenarios/loader.js';
import { ScenarioRegistry } from '../../src/scenarios/registry.js';
import { matches, type SelectionRequest, selectOutcome } from '../../src/scenarios/select.js';

const OPTIONS = { defaultRegion: 'US', ambiguousLineType: 'mobile' } as const;

function scenario(value: Record<string, unknown>): LoadedScenario {
  const compiled = compileScenario({ description: 'test', ...value }, 'inline', OPTIONS);
  if (typeof compiled === 'string') throw new Error(compiled);
  return compiled;
}

function request(overrides: Partial<Omit<SelectionRequest, 'phone'>> & { phone?: string } = {}): SelectionRequest {
  const { phone = '2015106000', ...rest } = overrides;
  return {
    endpoint: 'gateway',
    phone: analysePhone(phone, OPTIONS),
    user: 'user@company.com',
    reference: '12345',
    service: 'PhoneMatch5.0.SMS',
    ...rest,
  };
}

describe('matches', () => {
  it('compares numbers in their normalised form', () => {
    const voip = scenario({ name: 'voip', match: { phone: '2015550102' } });
    for (const phone of ['2015550102', '+1 201-555-0102', '(201) 555-0102', '1.201.555.0102'])
      expect(matches(voip, request({ phone })), phone).toBe(true);
    expect(matches(voip, request({ phone: '2015550103' }))).toBe(false);
  });

  it('needs every given field to fit; a list fits any of its values', () => {
    const narrow = scenario({
      name: 'narrow',
      match: { user: ['a@x.com', 'b@x.com'], reference: 'r1', service: 'PhoneMatch5.0.Call', endpoint: 'continue' },
    });
    const fits = request({ user: 'b@x.com', reference: 'r1', service: 'PhoneMatch5.0.Call', endpoint: 'continue' });
    expect(matches(narrow, fits)).toBe(true);
    expect(matches(narrow, { ...fits, user: 'c@x.com' })).toBe(false);
    expect(matches(narrow, { ...fits, reference: null })).toBe(false);
    expect(matches(narrow, { ...fits, service: 'PhoneMatch5.0.SMS' })).toBe(false);
    expect(matches(narrow, { ...fits, endpoint: 'gateway' })).toBe(false);
  });

  it('never matches a scenario without match: it is for the header and activation only', () => {
    expect(matches(scenario({ name: 'quiet' }), request())).toBe(false);
  });
});

describe('selectOutcome precedence: header > namespace activation > global activation > match', () => {
  const byNumber = scenario({ name: 'by-number', match: { phone: '2015106000' } });
  const forNamespace = scenario({ name: 'for-namespace' });
  const forAll = scenario({ name: 'for-all' });
  const byHeader = scenario({ name: 'by-header' });
  const registry = new ScenarioRegistry(null, OPTIONS, [byNumber, forNamespace, forAll, byHeader]);
  registry.reload();

  /** What the simulator does: the header's scenario, else the activation for the namespace. */
  function pick(namespace: string, header?: string) {
    const headerScenario = header === undefined ? undefined : registry.get(header);
    const active = registry.activeFor(namespace);
    const forced = headerScenario
      ? { scenario: headerScenario, via: 'header' as const }
      : active
        ? { scenario: active, via: 'active' as const }
        : undefined;
    const selection = selectOutcome(request(), registry.list(), forced);
    return selection && [selection.scenario.scenario.name, selection.via];
  }

  it('goes down the levels as each one is taken away', () => {
    registry.activate('for-all');
    registry.activate('for-namespace', 'ns1');
    expect(pick('ns1', 'by-header')).toEqual(['by-header', 'header']);
    expect(pick('ns1')).toEqual(['for-namespace', 'active']);
    expect(pick('ns2')).toEqual(['for-all', 'active']);
    registry.deactivate();
    expect(pick('ns2')).toEqual(['by-number', 'match']);
    expect(pick('ns1')).toEqual(['for-namespace', 'active']);
    registry.deactivate('ns1');
    expect(pick('ns1')).toEqual(['by-number', 'match']);
    expect(selectOutcome(request({ phone: '2015106001' }), registry.list())).toBeNull();
  });

  it('is pure: the same request and scenarios give the same answer', () => {
    const first = selectOutcome(request(), [byNumber]);
    expect(selectOutcome(request(), [byNumber])).toEqual(first);
  });

  it('takes the first matching file in name order', () => {
    const a = scenario({ name: 'a-first', match: { phone: '2015106000' } });
    const b = scenario({ name: 'b-second', match: { phone: '2015106000' } });
    expect(selectOutcome(request(), [a, b])?.scenario.scenario.name).toBe('a-first');
  });
});
