/**
 * Phone Verification, `PhoneMatch5.0` (reference section 7): one synchronous request that
 * matches a person with a phone number. No code, no token, no continue.
 */
import type { components } from '../generated/phonematch.js';
import type { VerificationTransaction } from '../store/types.js';
import { identityRecord, verdictNow, vpinBlock } from './identity-step.js';
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

  gateway(kit, { body, service, addOns, login, namespace, phone, scenario, now }) {
    const identity = identityRecord(kit, body.target, phone, addOns, now);
    const verdict = verdictNow(identity, scenario);
    identity.issues = verdict.issues;
    const tx: VerificationTransaction = {
      kind: 'verification',
      id: kit.nextConfirmation(),
      namespace: kit.text(namespace),
      token: null,
      service: kit.text(service),
      user: kit.text(login.user),
      company: login.company,
      reference: body.reference ?? null,
      phone,
      // A synchronous answer ends the transaction: passed, or failed for any other verdict.
      state: verdict.action === 'PASS' ? 'passed' : 'failed',
      // The simulator records the scenario step that applied, if any.
      variation: null,
      outcome: kit.outcome(verdict.action, verdict.detail),
      createdAt: now,
      expiresAt: null,
      updatedAt: now,
      scenario: scenario?.name ?? null,
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
