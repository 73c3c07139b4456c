/**
 * Phone numbers: normalisation, validity, country and line type, all read from
 * libphonenumber-js's full ("max") metadata rather than hand-written rules.
 */
import { type CountryCode, isSupportedCountry, type NumberType, parsePhoneNumberFromString } from 'libphonenumber-js/max';

export const LINE_TYPES = ['mobile', 'landline', 'voip'] as const;
export type LineType = (typeof LINE_TYPES)[number];

export interface PhoneOptions {
  /** ISO2 region of a bare 10-digit number (reference section 2: US by default). */
  defaultRegion: string;
  /** Line type of numbers the metadata cannot tell apart (US numbers are FIXED_LINE_OR_MOBILE). */
  ambiguousLineType: LineType;
}

export interface PhoneFacts {
  /** The number as the client sent it. */
  input: string;
  /** Digits only, with nothing stripped but punctuation: the form matching uses for invalid input. */
  digits: string;
  /** E.164 (`+12015106000`) when the input could be read as a number at all, else null. */
  e164: string | null;
  valid: boolean;
  /** ISO2 country, null when unknown. */
  country: string | null;
  countryCallingCode: string | null;
  /** The national significant number, as the real Validate service reports `phonenumber`. */
  nationalNumber: string | null;
  lineType: LineType | null;
  carrier: string | null;
}

/**
 * Mapping from libphonenumber's number types to PhoneMatch's three line types. The real service
 * uses carrier data we do not have; this is the documented approximation (README, "Decisions").
 */
export const LINE_TYPE_MAPPING: Readonly<Partial<Record<NumberType & string, LineType>>> = {
  MOBILE: 'mobile',
  PAGER: 'mobile',
  FIXED_LINE: 'landline',
  TOLL_FREE: 'landline',
  PREMIUM_RATE: 'landline',
  SHARED_COST: 'landline',
  UAN: 'landline',
  VOICEMAIL: 'landline',
  VOIP: 'voip',
  PERSONAL_NUMBER: 'voip',
};

/** A region the metadata knows: an unknown default region would make every 10-digit number invalid. */
export function isKnownRegion(iso2: string): boolean {
  return isSupportedCountry(iso2);
}

/** Keeps digits and a leading `+`; everything else is punctuation (reference section 2). */
export function stripPunctuation(raw: string): string {
  const trimmed = raw.trim();
  const digits = trimmed.replace(/\D+/g, '');
  return trimmed.startsWith('+') ? `+${digits}` : digits;
}

/**
 * The international form to parse. mock decision (reference section 2): a leading `+` is
 * international; exactly 10 digits belong to the default region; any other digit string starts
 * with the country calling code.
 */
function toParsable(stripped: string, defaultRegion: string): { text: string; region?: CountryCode } {
  if (stripped.startsWith('+')) return { text: stripped };
  if (stripped.length === 10) return { text: stripped, region: defaultRegion as CountryCode };
  return { text: `+${stripped}` };
}

export function analysePhone(raw: string, options: PhoneOptions): PhoneFacts {
  const stripped = stripPunctuation(raw);
  const digits = stripped.replace('+', '');
  const facts: PhoneFacts = {
    input: raw,
    digits,
    e164: null,
    valid: false,
    country: null,
    countryCallingCode: null,
    nationalNumber: null,
    lineType: null,
    carrier: null,
  };
  // E.164 allows at most 15 digits; longer input is not worth handing to the parser.
  if (digits.length === 0 || digits.length > 17) return facts;
  const { text, region } = toParsable(stripped, options.defaultRegion);
  const parsed = region ? parsePhoneNumberFromString(text, region) : parsePhoneNumberFromString(text);
  if (!parsed) return facts;
  facts.e164 = parsed.number;
  facts.countryCallingCode = parsed.countryCallingCode;
  facts.nationalNumber = parsed.nationalNumber;
  facts.country = parsed.country ?? null;
  facts.valid = parsed.isValid();
  if (facts.valid) {
    const type = parsed.getType();
    facts.lineType = (type && LINE_TYPE_MAPPING[type]) || options.ambiguousLineType;
  }
  return facts;
}

/**
 * The keys under which a number is found by admin look-ups: its E.164 form and its bare digits,
 * so `2015550100`, `+1 201-555-0100` and `(201) 555-0100` all find the same messages.
 */
export function phoneKeys(raw: string, options: PhoneOptions): string[] {
  const facts = analysePhone(raw, options);
  const keys = new Set<string>();
  if (facts.e164) keys.add(facts.e164);
  if (facts.digits) keys.add(facts.digits);
  return [...keys];
}
