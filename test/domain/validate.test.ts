import { describe, expect, it } from 'vitest';
import { analysePhone } from '../../src/domain/phone.js';
import { countryName, decideValidate, describeNumber } from '../../src/domain/validate.js';

const US = { defaultRegion: 'US', ambiguousLineType: 'mobile' } as const;

describe('Validate ruleset', () => {
  it('validity first, then the excluded line types', () => {
    expect(decideValidate({ valid: false, lineType: null }, ['voip'])).toEqual({ action: 'FAIL', detail: 'PHONE CHECK FAILED' });
    expect(decideValidate({ valid: true, lineType: 'voip' }, ['voip'])).toEqual({ action: 'FAIL', detail: 'PHONE TYPE CHECK FAILED' });
    expect(decideValidate({ valid: true, lineType: 'voip' }, ['mobile', 'landline'])).toEqual({
      action: 'PASS',
      detail: 'ALL CHECKS PASSED',
    });
    expect(decideValidate({ valid: true, lineType: 'mobile' }, [])).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED' });
  });

  it('names countries in English from Intl, and shows a code it cannot name as it is', () => {
    expect(countryName('US')).toBe('United States');
    expect(countryName('DE')).toBe('Germany');
    expect(countryName(null)).toBe('');
    expect(countryName('XX')).toBe('XX');
  });

  it('describes a valid number with strings only; nothing for an invalid one', () => {
    const described = describeNumber(analysePhone('+1 (201) 510-6000', US), 'mobile');
    expect(described).toEqual({
      countrycode: 'US',
      countrycallingcode: '1',
      country: 'United States',
      phonelinetype: 'Mobile',
      carrier: 'Mock Wireless',
      phonenumber: '2015106000',
    });
    for (const value of Object.values(described ?? {})) expect(typeof value).toBe('string');
    expect(describeNumber(analysePhone('2010123456', US), 'mobile')).toBeNull();
    expect(describeNumber({ ...analysePhone('2015106000', US), lineType: 'voip', carrier: 'Acme Tel' }, 'mobile')).toMatchObject({
      phonelinetype: 'VoIP',
      carrier: 'Acme Tel',
    });
  });
});
