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
import { settledFields } from './settled.js';
import type { ServiceModel } from './types.js';

export type ValidateRequest = components['schemas']['ValidateRequest'];
export type ValidateResponse = components['schemas']['ValidateResponse'];

export const validateService: ServiceModel<ValidateRequest, ValidateResponse> = {
  kind: 'validate',
  names: ['PhoneMatch5.0.Validate'],
  gatewayRequest: 'ValidateRequest',
  gatewayResponse: 'ValidateResponse',

  gateway(kit, call) {
    const { body, phone: base, scenario, now } = call;
    const phone = withOverrides(base, scenario?.number, kit.phoneOptions);
    const invalidLineTypes = body.target.invalid_phonelinetypes ?? [];
    const verdict = decideValidate(phone, invalidLineTypes);
    const tx: ValidateTransaction = {
      kind: 'validate',
      ...settledFields(kit, call, phone, verdict, verdict.action === 'PASS' ? 'passed' : 'rejected'),
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
