/**
 * `PhoneMatch5.0.Validate`'s ruleset (reference services section 6): PASS when the number is
 * valid and its line type is not excluded, FAIL otherwise; and how a number is described in
 * `output.data.PhoneNumber`. Pure functions of their inputs; the facts come from libphonenumber-js
 * (domain/phone.ts) and the country's name from `Intl`, never from a table of our own.
 */
import type { LineType, PhoneFacts } from './phone.js';

export const VALIDATE_DETAIL = {
  passed: 'ALL CHECKS PASSED',
  phoneCheckFailed: 'PHONE CHECK FAILED',
  phoneTypeCheckFailed: 'PHONE TYPE CHECK FAILED',
} as const;

export type ValidateDecision =
  | { action: 'PASS'; detail: typeof VALIDATE_DETAIL.passed }
  | { action: 'FAIL'; detail: typeof VALIDATE_DETAIL.phoneCheckFailed | typeof VALIDATE_DETAIL.phoneTypeCheckFailed };

/** The documented base ruleset (PhoneMatch+Validate): validity first, then the excluded types. */
export function decideValidate(phone: Pick<PhoneFacts, 'valid' | 'lineType'>, invalidLineTypes: readonly string[]): ValidateDecision {
  if (!phone.valid) return { action: 'FAIL', detail: VALIDATE_DETAIL.phoneCheckFailed };
  if (phone.lineType !== null && invalidLineTypes.includes(phone.lineType))
    return { action: 'FAIL', detail: VALIDATE_DETAIL.phoneTypeCheckFailed };
  return { action: 'PASS', detail: VALIDATE_DETAIL.passed };
}

/**
 * mock decision: how `phonelinetype` is written. The sample shows `Mobile` for an input written
 * `mobile`; the other two follow the usual spelling (`VoIP`, not `Voip`): a client that compares
 * case-insensitively with its `invalid_phonelinetypes` sees the same three words.
 */
export const LINE_TYPE_LABEL: Readonly<Record<LineType, 'Mobile' | 'Landline' | 'VoIP'>> = {
  mobile: 'Mobile',
  landline: 'Landline',
  voip: 'VoIP',
};

/**
 * mock decision: the carrier when no scenario names one (the mock has no carrier data). The same
 * names the shipped scenarios use, one per line type, so a screenshot never names a real company.
 */
export const DEFAULT_CARRIER: Readonly<Record<LineType, string>> = {
  mobile: 'Mock Wireless',
  landline: 'Mock Telephone Co.',
  voip: 'Mock VoIP Inc.',
};

const REGION_NAMES = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });

/** A country's English name (`US` → `United States`); '' for none. */
export function countryName(iso2: string | null): string {
  if (iso2 === null || iso2 === '') return '';
  try {
    return REGION_NAMES.of(iso2) ?? iso2;
  } catch {
    // Not a well-formed region code (a scenario's country is checked against ^[A-Z]{2}$, so only a bug gets here).
    return iso2;
  }
}

export interface PhoneNumberData {
  countrycode: string;
  countrycallingcode: string;
  country: string;
  phonelinetype: 'Mobile' | 'Landline' | 'VoIP';
  carrier: string;
  phonenumber: string;
}

/**
 * One item of `output.data.PhoneNumber`, every value a string as in the sample; null for a number
 * that is not valid (mock decision: PHONE CHECK FAILED gives an empty list). A number of no
 * country (`+800…`) has '' for its country code and name.
 */
export function describeNumber(phone: PhoneFacts, ambiguous: LineType): PhoneNumberData | null {
  if (!phone.valid) return null;
  const lineType = phone.lineType ?? ambiguous;
  return {
    countrycode: phone.country ?? '',
    countrycallingcode: phone.countryCallingCode ?? '',
    country: countryName(phone.country),
    phonelinetype: LINE_TYPE_LABEL[lineType],
    carrier: phone.carrier ?? DEFAULT_CARRIER[lineType],
    phonenumber: phone.nationalNumber ?? phone.digits,
  };
}
