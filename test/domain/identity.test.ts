import { describe, expect, it } from 'vitest';
import {
  ageSatisfies,
  decideIdentity,
  matchTestIdentity,
  normaliseAddress,
  normaliseText,
  TEST_IDENTITIES,
  verdictOf,
  vpinOf,
} from '../../src/domain/identity.js';

const BARBARA = TEST_IDENTITIES.general_identity;
const LINCOLN = TEST_IDENTITIES.deceased2;
if (!BARBARA || !LINCOLN) throw new Error('the documented test identities are missing');

const NOW = Date.UTC(2026, 5, 15);
const base = { fn: 'Barbara', ln: 'Miller', phone: '+12015106000' };

describe('normalisation', () => {
  it('ignores case, accents, punctuation and runs of spaces', () => {
    expect(normaliseText("  O'Brien-Smith ")).toBe('obriensmith');
    expect(normaliseText('José   María')).toBe('jose maria');
    expect(normaliseText('ST. LOUIS')).toBe(normaliseText('st louis'));
  });

  it('abbreviates street words in addresses', () => {
    expect(normaliseAddress('1600 Pennsylvania Avenue Northwest')).toBe(normaliseAddress('1600 Pennsylvania Ave NW'));
    expect(normaliseAddress('123 Main Street')).toBe('123 main st');
  });
});

describe('age checks', () => {
  const dob = '20050615'; // 21 on NOW exactly
  it.each([
    ['21+', true],
    ['22+', false],
    ['21-', true],
    ['20-', false],
    ['>=21', true],
    ['>21', false],
    ['<22', true],
    ['<=20', false],
    ['18-25', true],
    ['22-30', false],
  ])('%s → %s', (check, ok) => {
    expect(ageSatisfies(check, dob, NOW)).toBe(ok);
  });

  it('the birthday counts only once reached', () => {
    expect(ageSatisfies('21+', '20050616', NOW)).toBe(false);
  });
});

describe('matching a test identity', () => {
  it('every attribute agreeing passes; no optional attribute given passes too', () => {
    const all = { ...base, addr: '123 Main St', city: 'Stratford', state: 'CT', zip: '06614', dob: '19740821', ssn: '854125698' };
    expect(matchTestIdentity(BARBARA, { ...all, email: 'bmiller@veratad.com', age: '21+' }, NOW).action).toBe('PASS');
    expect(matchTestIdentity(BARBARA, base, NOW).action).toBe('PASS');
  });

  it('the names decide whether the person is found', () => {
    expect(matchTestIdentity(BARBARA, { ...base, fn: 'Steve' }, NOW)).toEqual({ action: 'FAIL', detail: 'NO MATCH', issues: [] });
    expect(matchTestIdentity(BARBARA, { ...base, ln: 'Mueller' }, NOW).detail).toBe('NO MATCH');
  });

  it('a found deceased person is TARGET IS DECEASED whatever the other attributes', () => {
    expect(matchTestIdentity(LINCOLN, { fn: 'abraham', ln: 'LINCOLN', phone: '+15555555555', dob: '20000101' }, NOW).detail).toBe(
      'TARGET IS DECEASED',
    );
  });

  it('mismatches are issues of a REVIEW, in a fixed order', () => {
    const verdict = matchTestIdentity(BARBARA, { ...base, phone: '+12015550100', age: '<18', city: 'Boston', ssn: '0000' }, NOW);
    expect(verdict).toEqual({
      action: 'REVIEW',
      detail: 'TRANSACTION REQUIRES FURTHER ATTENTION',
      issues: ['PHONE CHECK FAILED', 'ADDRESS CHECK FAILED', 'SSN CHECK FAILED', 'AGE CHECK FAILED'],
    });
  });
});

describe('deciding', () => {
  it('a scenario wins over the test key, the test key over the default', () => {
    expect(decideIdentity({ ...base, fn: 'Steve' }, 'general_identity', { outcome: 'match' }, NOW).action).toBe('PASS');
    expect(decideIdentity({ ...base, fn: 'Steve' }, 'general_identity', undefined, NOW).detail).toBe('NO MATCH');
    expect(decideIdentity({ ...base, fn: 'Steve' }, undefined, undefined, NOW).action).toBe('PASS');
  });

  it('a scenario review without issues lists the documented sample issue', () => {
    expect(verdictOf({ outcome: 'review' }).issues).toEqual(['PHONE CHECK FAILED']);
    expect(verdictOf({ outcome: 'review', issues: ['SSN CHECK FAILED'] }).issues).toEqual(['SSN CHECK FAILED']);
    expect(verdictOf({ outcome: 'deceased' }).detail).toBe('TARGET IS DECEASED');
    expect(verdictOf({ outcome: 'no-match' }).detail).toBe('NO MATCH');
  });
});

describe('V-PIN', () => {
  const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
  it('is a v4 UUID, the same for the same person however written, different for another', () => {
    const one = vpinOf({ fn: 'Ada', ln: 'Lovelace', phone: '+12015106000' });
    expect(one).toMatch(V4);
    expect(vpinOf({ fn: ' ADA ', ln: 'lovelace', phone: '12015106000' })).toBe(one);
    expect(vpinOf({ fn: 'Ada', ln: 'Byron', phone: '+12015106000' })).not.toBe(one);
  });

  it('a test identity has one V-PIN whatever the input', () => {
    expect(vpinOf({ fn: 'Barbara', ln: 'Miller', phone: '1' }, 'general_identity')).toBe(
      vpinOf({ fn: 'BARBARA', ln: 'Miller', phone: '2' }, 'general_identity'),
    );
  });
});
