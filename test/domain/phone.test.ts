import { describe, expect, it } from 'vitest';
import {
  analysePhone,
  LINE_TYPE_MAPPING,
  LINE_TYPES,
  type LineType,
  type PhoneOptions,
  phoneKeys,
  stripPunctuation,
} from '../../src/domain/phone.js';

const US: PhoneOptions = { defaultRegion: 'US', ambiguousLineType: 'mobile' };

describe('stripPunctuation', () => {
  it.each([
    ['1 (201) 510-6000', '12015106000'],
    ['+44 20 1541 2653', '+442015412653'],
    ['  +1.201.510.6000  ', '+12015106000'],
    ['201/510 6000', '2015106000'],
    ['ab+c', ''],
  ])('%j → %j (digits and a leading + only)', (raw, stripped) => {
    expect(stripPunctuation(raw)).toBe(stripped);
  });

  it('keeps the + only when it leads', () => {
    expect(stripPunctuation('1+2015106000')).toBe('12015106000');
  });
});

describe('analysePhone: normalisation (reference section 2)', () => {
  it('strips punctuation and reads a leading 1 as the calling code: 1 (201) 510-6000', () => {
    const facts = analysePhone('1 (201) 510-6000', US);
    expect(facts).toMatchObject({
      input: '1 (201) 510-6000',
      digits: '12015106000',
      e164: '+12015106000',
      valid: true,
      country: 'US',
      countryCallingCode: '1',
      nationalNumber: '2015106000',
      lineType: 'mobile',
      carrier: null,
    });
  });

  it('reads a + number with spaces: +44 20 1541 2653', () => {
    expect(analysePhone('+44 20 1541 2653', US)).toMatchObject({
      e164: '+442015412653',
      valid: true,
      country: 'GB',
      countryCallingCode: '44',
      nationalNumber: '2015412653',
      lineType: 'landline',
    });
  });

  it('reads digits that start with the country calling code: 442015412653', () => {
    expect(analysePhone('442015412653', US)).toMatchObject({ e164: '+442015412653', valid: true, country: 'GB' });
  });

  it('reads exactly 10 digits as a number of the default region (US)', () => {
    expect(analysePhone('2015106000', US)).toMatchObject({ e164: '+12015106000', valid: true, country: 'US' });
  });

  it('reads exactly 10 digits as a number of a configured non-US default region', () => {
    const gb: PhoneOptions = { defaultRegion: 'GB', ambiguousLineType: 'mobile' };
    expect(analysePhone('2071838750', gb)).toMatchObject({ e164: '+442071838750', valid: true, country: 'GB', lineType: 'landline' });
    expect(analysePhone('7400123456', gb)).toMatchObject({ e164: '+447400123456', valid: true, country: 'GB', lineType: 'mobile' });
    // The default region applies to 10 digits only: 11 digits still start with the calling code.
    expect(analysePhone('12015106000', gb)).toMatchObject({ e164: '+12015106000', country: 'US' });
    // The same 10 digits under the US default are a US number.
    expect(analysePhone('2071838750', US).country).not.toBe('GB');
  });

  it.each([
    ['', 'empty'],
    ['   ', 'white space only'],
    ['---', 'punctuation only'],
    ['abc', 'letters only'],
    ['123', 'too short'],
    ['0000000000', '10 digits that are no US number'],
    ['1234567890123456789', 'longer than any phone number'],
    ['+882345678901', 'an unassigned international number'],
  ])('%j is invalid (%s) and has no line type', (raw) => {
    const facts = analysePhone(raw, US);
    expect(facts.valid).toBe(false);
    expect(facts.lineType).toBeNull();
    expect(facts.carrier).toBeNull();
  });

  it('keeps the digits of an invalid number for look-ups', () => {
    expect(analysePhone('(000) 000-0000', US).digits).toBe('0000000000');
  });
});

describe('analysePhone: line types (documented mapping)', () => {
  // One real number per libphonenumber type: the mapping is checked against the metadata, not only as a table.
  const cases: [string, string, LineType][] = [
    ['+447400123456', 'MOBILE', 'mobile'],
    ['+447640123456', 'PAGER', 'mobile'],
    ['+442071838750', 'FIXED_LINE', 'landline'],
    ['+18002345678', 'TOLL_FREE', 'landline'],
    ['+19002345678', 'PREMIUM_RATE', 'landline'],
    ['+33810123456', 'SHARED_COST', 'landline'],
    ['+445512345678', 'UAN', 'landline'],
    ['+39335123456789', 'VOICEMAIL', 'landline'],
    ['+445612345678', 'VOIP', 'voip'],
    ['+447012345678', 'PERSONAL_NUMBER', 'voip'],
  ];

  it.each(cases)('%s (%s) is %s', (number, type, lineType) => {
    expect(LINE_TYPE_MAPPING[type as keyof typeof LINE_TYPE_MAPPING]).toBe(lineType);
    expect(analysePhone(number, US).lineType).toBe(lineType);
    // The configurable ambiguous type never changes a number the metadata can tell apart.
    expect(analysePhone(number, { defaultRegion: 'US', ambiguousLineType: lineType === 'voip' ? 'mobile' : 'voip' }).lineType).toBe(
      lineType,
    );
  });

  it('maps exactly the documented types; FIXED_LINE_OR_MOBILE is the ambiguous one', () => {
    expect(Object.keys(LINE_TYPE_MAPPING).sort()).toEqual(cases.map(([, type]) => type).sort());
    expect(LINE_TYPE_MAPPING).not.toHaveProperty('FIXED_LINE_OR_MOBILE');
  });

  it.each(LINE_TYPES)('a US number (FIXED_LINE_OR_MOBILE) takes the configured ambiguous type %s', (ambiguous) => {
    expect(analysePhone('2015106000', { defaultRegion: 'US', ambiguousLineType: ambiguous }).lineType).toBe(ambiguous);
  });

  it('defaults the ambiguous type to mobile in the shipped configuration', async () => {
    const { DEFAULT_CONFIG } = await import('../../src/config.js');
    expect(DEFAULT_CONFIG.ambiguousLineType).toBe('mobile');
    expect(DEFAULT_CONFIG.defaultRegion).toBe('US');
  });

  it('gives a valid non-geographic number a line type but no country', () => {
    expect(analysePhone('+80012345678', US)).toMatchObject({ valid: true, country: null, lineType: 'landline' });
  });
});

describe('phoneKeys', () => {
  it('finds a number by its E.164 form and by its digits, whatever the punctuation', () => {
    expect(phoneKeys('1 (201) 510-6000', US).sort()).toEqual(['+12015106000', '12015106000']);
    expect(phoneKeys('2015106000', US).sort()).toEqual(['+12015106000', '2015106000']);
    expect(phoneKeys('+1 201-510-6000', US)).toContain('+12015106000');
  });

  it('keeps only the digits of an unreadable number', () => {
    expect(phoneKeys('12', US)).toEqual(['12']);
  });
});
