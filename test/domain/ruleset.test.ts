import { describe, expect, it } from 'vitest';
import type { PhoneFacts } from '../../src/domain/phone.js';
import { DETAIL, decideEntry, decideGateway, type OutOfBandRules } from '../../src/domain/ruleset.js';

function phone(facts: Partial<PhoneFacts> = {}): PhoneFacts {
  return {
    input: '2015106000',
    digits: '2015106000',
    e164: '+12015106000',
    valid: true,
    country: 'US',
    countryCallingCode: '1',
    nationalNumber: '2015106000',
    lineType: 'mobile',
    carrier: null,
    ...facts,
  };
}

const invalid = phone({ valid: false, lineType: null });

describe('decideGateway: every row of the gateway results table', () => {
  it('PENDING: valid number, allowed type and country, delivered', () => {
    expect(decideGateway(phone(), undefined, false).action).toBe('PENDING');
    expect(decideGateway(phone(), {}, false).action).toBe('PENDING');
    expect(decideGateway(phone(), { do_not_send_to_types: ['voip', 'landline'] }, false).action).toBe('PENDING');
  });

  it.each(['mobile', 'landline', 'voip'] as const)('FAIL / SUPPRESSED SENDING CODE: the line type %s is excluded', (lineType) => {
    const decision = decideGateway(phone({ lineType }), { do_not_send_to_types: [lineType] }, false);
    expect(decision).toMatchObject({ action: 'FAIL', detail: 'SUPPRESSED SENDING CODE' });
    expect(decision.reason).toContain(lineType);
  });

  it('FAIL / SUPPRESSED SENDING CODE: the country is in the blacklist (case-insensitive)', () => {
    for (const blacklist of [['US'], ['us'], ['Us', 'CU']]) {
      expect(decideGateway(phone(), { country: { blacklist } }, false)).toMatchObject({ action: 'FAIL', detail: DETAIL.suppressed });
    }
    expect(decideGateway(phone({ country: 'gb' }), { country: { blacklist: ['GB'] } }, false).action).toBe('FAIL');
    expect(decideGateway(phone(), { country: { blacklist: ['CU'] } }, false).action).toBe('PENDING');
  });

  it('FAIL / SUPPRESSED SENDING CODE: the country is outside a non-empty whitelist (case-insensitive)', () => {
    expect(decideGateway(phone(), { country: { whitelist: ['CA', 'GB'] } }, false)).toMatchObject({
      action: 'FAIL',
      detail: DETAIL.suppressed,
    });
    expect(decideGateway(phone(), { country: { whitelist: ['us', 'CA'] } }, false).action).toBe('PENDING');
    expect(decideGateway(phone(), { country: { whitelist: [] } }, false).action).toBe('PENDING');
    // A number with no country (non-geographic) is outside every whitelist, inside no blacklist.
    expect(decideGateway(phone({ country: null }), { country: { whitelist: ['US'] } }, false).action).toBe('FAIL');
    expect(decideGateway(phone({ country: null }), { country: { blacklist: ['US'] } }, false).action).toBe('PENDING');
  });

  it('FAIL / FAILED TO SEND TO NUMBER: delivery failed', () => {
    expect(decideGateway(phone(), undefined, true)).toMatchObject({ action: 'FAIL', detail: 'FAILED TO SEND TO NUMBER' });
  });

  it('FAIL / DATA CHECK FAILED: the number is invalid', () => {
    expect(decideGateway(invalid, undefined, false)).toMatchObject({ action: 'FAIL', detail: 'DATA CHECK FAILED' });
  });
});

describe('decideGateway: the order of the checks', () => {
  const everything: OutOfBandRules = { do_not_send_to_types: ['mobile'], country: { blacklist: ['US'], whitelist: ['CA'] } };

  it('an invalid number wins over every other reason', () => {
    expect(decideGateway(invalid, everything, true)).toMatchObject({ detail: DETAIL.dataCheckFailed });
  });

  it('the country lists come before the line type', () => {
    expect(decideGateway(phone(), everything, true).reason).toMatch(/blacklist/);
    expect(decideGateway(phone(), { ...everything, country: { whitelist: ['CA'] } }, true).reason).toMatch(/whitelist/);
  });

  it('a suppressed number is never attempted, so delivery cannot fail', () => {
    expect(decideGateway(phone(), { do_not_send_to_types: ['mobile'] }, true)).toMatchObject({ detail: DETAIL.suppressed });
  });

  it('a valid number with no line type is never suppressed by type', () => {
    expect(decideGateway(phone({ lineType: null }), { do_not_send_to_types: ['mobile', 'landline', 'voip'] }, false).action).toBe(
      'PENDING',
    );
  });
});

describe('decideEntry: every row of the continue results table', () => {
  it('PASS / ALL CHECKS PASSED when the entry matches', () => {
    expect(decideEntry(true)).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED' });
  });
  it('FAIL / FAILED OUT-OF-BAND CHECK when it does not', () => {
    expect(decideEntry(false)).toEqual({ action: 'FAIL', detail: 'FAILED OUT-OF-BAND CHECK' });
  });
});
