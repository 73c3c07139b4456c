/**
 * The base ruleset, as documented (reference section 4): PASS when the number is valid, its line
 * type is allowed, the code was sent and the entry matched; PENDING while the entry is awaited;
 * FAIL when any of those does not hold. Pure functions of their inputs.
 */
import type { PhoneFacts } from './phone.js';

export const DETAIL = {
  suppressed: 'SUPPRESSED SENDING CODE',
  sendFailed: 'FAILED TO SEND TO NUMBER',
  dataCheckFailed: 'DATA CHECK FAILED',
  voipNotAllowed: 'VOIP NOT ALLOWED',
  passed: 'ALL CHECKS PASSED',
  outOfBandFailed: 'FAILED OUT-OF-BAND CHECK',
} as const;

export interface OutOfBandRules {
  do_not_send_to_types?: readonly string[];
  country?: { blacklist?: readonly string[]; whitelist?: readonly string[] };
}

export type GatewayDecision =
  | { action: 'PENDING'; reason: string }
  | { action: 'FAIL'; detail: (typeof DETAIL)['suppressed' | 'sendFailed' | 'dataCheckFailed' | 'voipNotAllowed']; reason: string };

/**
 * Whether a country list names `country` (upper case), in any case (the spec takes `us` as well as
 * `US`). Compared as written first: clients send upper case, and upper-casing a copy of each list
 * on every gateway was two arrays and a call into ICU per code.
 */
const names = (list: readonly string[] | undefined, country: string) =>
  list?.some((code) => code === country || code.toUpperCase() === country) === true;

/**
 * Decides the gateway answer. The order is the real service's as far as its documentation shows:
 * an invalid number is never sent to, a suppressed one is not attempted, and only then can the
 * delivery itself fail.
 *
 * `refuseVoip` is Smart 2FA's rule: a VoIP line is FAIL / VOIP NOT ALLOWED whatever
 * `do_not_send_to_types` says. mock decision (the order is not documented): it comes right after
 * the validity check, before the country lists and `do_not_send_to_types`, because it is a fixed
 * rule of the service rather than a choice of the request; a VoIP line listed in
 * `do_not_send_to_types` is therefore VOIP NOT ALLOWED, not SUPPRESSED SENDING CODE.
 */
export function decideGateway(
  phone: PhoneFacts,
  rules: OutOfBandRules | undefined,
  deliveryFails: boolean,
  refuseVoip = false,
): GatewayDecision {
  if (!phone.valid) return { action: 'FAIL', detail: DETAIL.dataCheckFailed, reason: 'the phone number is not valid' };
  if (refuseVoip && phone.lineType === 'voip') return { action: 'FAIL', detail: DETAIL.voipNotAllowed, reason: 'the line is VoIP' };
  const country = phone.country?.toUpperCase() ?? null;
  const lists = rules?.country;
  // mock decision (not documented): the country lists suppress like the line types do.
  if (country !== null && names(lists?.blacklist, country))
    return { action: 'FAIL', detail: DETAIL.suppressed, reason: `the country ${country} is in the blacklist` };
  if ((lists?.whitelist?.length ?? 0) > 0 && (country === null || !names(lists?.whitelist, country)))
    return { action: 'FAIL', detail: DETAIL.suppressed, reason: `the country ${country ?? 'unknown'} is not in the whitelist` };
  if (phone.lineType !== null && (rules?.do_not_send_to_types ?? []).includes(phone.lineType))
    return { action: 'FAIL', detail: DETAIL.suppressed, reason: `the line type ${phone.lineType} is in do_not_send_to_types` };
  if (deliveryFails) return { action: 'FAIL', detail: DETAIL.sendFailed, reason: 'the delivery failed' };
  return { action: 'PENDING', reason: 'the code was sent' };
}

export type EntryDecision = { action: 'PASS'; detail: typeof DETAIL.passed } | { action: 'FAIL'; detail: typeof DETAIL.outOfBandFailed };

export function decideEntry(matched: boolean): EntryDecision {
  return matched ? { action: 'PASS', detail: DETAIL.passed } : { action: 'FAIL', detail: DETAIL.outOfBandFailed };
}
