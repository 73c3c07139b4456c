/**
 * `PhoneMatch5.0.Validate` (reference services section 6): one synchronous request, no continue.
 * The number's facts (as a scenario may override them) decide PASS or FAIL; the answer describes
 * the number in `output.data.PhoneNumber`. The transaction is stored without a token, so the
 * inbox and the control API show the check.
 */
import { decideValidate, describeNumber } from '../domain/validate.js';
import type { components } from '../generated/phonematch.js';
import type { ValidateTransaction } from '../store/types.js';
import { withOverrides } from './otp.js';
import type { ServiceModel } from './types.js';

export type ValidateRequest = components['schemas']['ValidateRequest'];
export type ValidateResponse = components['schemas']['ValidateResponse'];

export const validateService: ServiceModel<ValidateRequest, ValidateResponse> = {
  kind: 'validate',
  names: ['PhoneMatch5.0.Validate'],
  gatewayRequest: 'ValidateRequest',
  gatewayResponse: 'ValidateResponse',

  gateway(kit, { body, service, login, namespace, phone: base, scenario, now }) {
    const phone = withOverrides(base, scenario?.number, kit.phoneOptions);
    const invalidLineTypes = body.target.invalid_phonelinetypes ?? [];
    const verdict = decideValidate(phone, invalidLineTypes);
    const tx: ValidateTransaction = {
      kind: 'validate',
      id: kit.nextConfirmation(),
      namespace: kit.text(namespace),
      token: null,
      service: kit.text(service),
      user: kit.text(login.user),
      company: login.company,
      // mock decision: echoed like every other service's (the documented sample's null looks like a slip).
      reference: body.reference ?? null,
      phone,
      state: verdict.action === 'PASS' ? 'passed' : 'rejected',
      outcome: kit.outcome(verdict.action, verdict.detail),
      createdAt: now,
      expiresAt: null,
      updatedAt: now,
      scenario: scenario?.name ?? null,
      // The simulator records the scenario's variation (sequence step, chance) once the model has decided.
      variation: null,
      invalidLineTypes,
    };
    const described = describeNumber(phone, kit.phoneOptions.ambiguousLineType);
    return {
      tx,
      answer: {
        output: { data: { PhoneNumber: described ? [described] : [] } },
        meta: kit.meta(tx.id, tx, now),
        result: { action: verdict.action, detail: verdict.detail, issues: [] },
      },
    };
  },
};
