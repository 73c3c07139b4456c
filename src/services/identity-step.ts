/**
 * The identity step the identity services share (Phone Verification, Smart 2FA after a right
 * code): what the transaction keeps of the person, the verdict in force and the V-PIN block.
 * The matching itself is the pure domain module `domain/identity.ts`.
 */
import { decideIdentity, IDENTITY_DETAIL, type IdentityInput, type IdentityVerdict, verdictOf, vpinOf } from '../domain/identity.js';
import type { PhoneFacts } from '../domain/phone.js';
import type { components } from '../generated/phonematch.js';
import type { Scenario } from '../generated/scenario.js';
import type { IdentityRecord } from '../store/types.js';
import type { AddOn } from './types.js';

export type IdentityTarget = components['schemas']['IdentityTarget'];
export type IdentityResult = components['schemas']['IdentityResult'];
export type Vpin = components['schemas']['Vpin'];

/** The target's identity attributes, the number as its key (E.164 when readable). */
export function identityInput(target: IdentityTarget, phone: PhoneFacts): IdentityInput {
  return {
    fn: target.fn,
    ln: target.ln,
    phone: phone.e164 ?? phone.digits,
    addr: target.addr,
    city: target.city,
    state: target.state,
    zip: target.zip,
    dob: target.dob,
    ssn: target.ssn,
    email: target.email,
    age: target.age,
  };
}

/**
 * What a transaction keeps of the person, decided at the gateway: the test key's (or the
 * default's) verdict and, with `.VPIN`, the person's V-PIN. A scenario in force when the verdict
 * is given may still override it (`verdictNow`).
 */
export function identityRecord(target: IdentityTarget, phone: PhoneFacts, addOns: readonly AddOn[], now: number): IdentityRecord {
  const input = identityInput(target, phone);
  const verdict = decideIdentity(input, target.test_key, undefined, now);
  return {
    testKey: target.test_key ?? null,
    verdict: { action: verdict.action, detail: verdict.detail },
    issues: verdict.issues,
    vpin: addOns.includes('VPIN') ? vpinOf(input, target.test_key) : null,
  };
}

/** The verdict in force: the scenario's identity outcome, else the one decided at the gateway. */
export function verdictNow(record: IdentityRecord, scenario: Scenario | undefined): IdentityVerdict {
  if (scenario?.identity) return verdictOf(scenario.identity);
  return { action: record.verdict.action, detail: record.verdict.detail, issues: record.issues } as IdentityVerdict;
}

/**
 * The `output.vpin` block of a `.VPIN` answer, undefined without `.VPIN`. mock decision: the
 * V-PIN is given when a person was found (every verdict but NO MATCH, and only once the
 * identity step ran); otherwise the block is empty, as the documentation allows.
 */
export function vpinBlock(record: IdentityRecord, verdict: IdentityResult | null): Vpin | undefined {
  if (record.vpin === null) return undefined;
  return verdict !== null && verdict.detail !== IDENTITY_DETAIL.noMatch && verdict.detail !== 'FAILED OUT-OF-BAND CHECK'
    ? { uuid: record.vpin }
    : {};
}
