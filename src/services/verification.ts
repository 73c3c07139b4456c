/**
 * Phone Verification, `PhoneMatch5.0` (reference section 7): one synchronous request that
 * matches a person with a phone number. No code, no token, no continue.
 */
import type { components } from '../generated/phonematch.js';
import type { VerificationTransaction } from '../store/types.js';
import { identityRecord, verdictNow, vpinBlock } from './identity-step.js';
import { settledFields } from './settled.js';
import type { ServiceModel } from './types.js';

export type VerificationRequest = components['schemas']['VerificationRequest'];
export type VerificationResponse = components['schemas']['VerificationResponse'] | components['schemas']['VerificationVpinResponse'];

export const verificationService: ServiceModel<VerificationRequest, VerificationResponse> = {
  kind: 'verification',
  names: ['PhoneMatch5.0'],
  addOns: ['VPIN'],
  gatewayRequest: 'VerificationRequest',
  gatewayResponse: 'VerificationResponse',
  gatewayResponseWith: { VPIN: 'VerificationVpinResponse' },

  gateway(kit, call) {
    const { body, addOns, phone, scenario, now } = call;
    const identity = identityRecord(body.target, phone, addOns, now);
    const verdict = verdictNow(identity, scenario);
    identity.issues = verdict.issues;
    // A synchronous answer ends the transaction: passed, or failed for any other verdict.
    const tx: VerificationTransaction = {
      kind: 'verification',
      ...settledFields(kit, call, phone, verdict, verdict.action === 'PASS' ? 'passed' : 'failed'),
      identity,
    };
    const result = { action: verdict.action, detail: verdict.detail, issues: [...verdict.issues] };
    const vpin = vpinBlock(identity, result);
    // mock decision: `meta` before `result` and no `output`, as the samples show; `.VPIN` adds
    // `output` between them, as the PhoneMatch5.0.VPIN sample has it (the schema fixes the order).
    const answer: VerificationResponse =
      vpin === undefined ? { meta: kit.meta(tx.id, tx, now), result } : { meta: kit.meta(tx.id, tx, now), output: { vpin }, result };
    return { tx, answer };
  },
};
