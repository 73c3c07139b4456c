/**
 * Smart 2FA, `PhoneMatch5.0.Smart2FA.SMS` and `.Call` (reference section 4): the code of SMS and
 * Call first (sent and checked with otp.ts's pieces), then, after a right entry, the identity
 * match of Phone Verification. Differences from SMS/Call: a VoIP line is refused, the pin has six
 * digits, the output has `rescue`, the continuation a `hint` and a `prompt`.
 */
import type { Channel } from '../domain/otp.js';
import type { components } from '../generated/phonematch.js';
import type { Smart2faTransaction } from '../store/types.js';
import { identityRecord, verdictNow, vpinBlock } from './identity-step.js';
import { CONTINUE_URL, type ContinueRequest, enterCode, gatewayResult, INSTRUCTIONS, sendCode, settleEntry } from './otp.js';
import type { ServiceModel } from './types.js';

export type Smart2faRequest = components['schemas']['Smart2faRequest'];
export type Smart2faGatewayResponse = components['schemas']['Smart2faGatewayResponse'];
export type Smart2faContinueResponse = components['schemas']['Smart2faContinueResponse'];

const CHANNEL_OF: Readonly<Record<string, Channel>> = {
  'PhoneMatch5.0.Smart2FA.SMS': 'sms',
  'PhoneMatch5.0.Smart2FA.Call': 'call',
};

/**
 * mock decision: the pin always has six digits, as the documented hint says ("Enter the
 * six-digit code"); `--pin-length` is the SMS and Call services' setting. A scenario's fixed pin
 * still applies.
 */
export const SMART2FA_PIN_LENGTH = 6;
const HINT = 'Enter the six-digit code';
const PROMPT = 'One Time Passcode';

export const smart2faService: ServiceModel<Smart2faRequest, Smart2faGatewayResponse, ContinueRequest, Smart2faContinueResponse> = {
  kind: 'smart2fa',
  names: Object.keys(CHANNEL_OF),
  addOns: ['VPIN'],
  gatewayRequest: 'Smart2faRequest',
  gatewayResponse: 'Smart2faGatewayResponse',
  continueRequest: 'ContinueRequest',
  continueShape: 'codematch',
  continueResponse: 'Smart2faContinueResponse',

  gateway(kit, call) {
    const base = call.service.replace(/\.VPIN$/, '');
    const options = { channel: CHANNEL_OF[base] ?? 'sms', pinLength: SMART2FA_PIN_LENGTH, refuseVoip: true };
    const identity = identityRecord(call.body.target, call.phone, call.addOns, call.now);
    const tx = sendCode<Smart2faTransaction>(kit, call, options, { kind: 'smart2fa', identity });
    const output = { outofband: {}, rescue: {} };
    const meta = kit.meta(tx.id, tx, call.now);
    const result = gatewayResult<Smart2faGatewayResponse['result']['detail']>(tx);
    const answer: Smart2faGatewayResponse = tx.token
      ? {
          output,
          meta,
          result,
          continuations: {
            outofband: {
              url: CONTINUE_URL,
              hint: HINT,
              prompt: PROMPT,
              template: { token: tx.token, codematch: { key: null } },
              instructions: INSTRUCTIONS,
            },
          },
        }
      : { output, meta, result };
    return { tx, answer };
  },

  continue(kit, { body, tx, scenario, now }) {
    if (tx.kind !== 'smart2fa') throw new Error(`an ${tx.kind} transaction reached the Smart 2FA continue`);
    const key = body.codematch.key;
    const matched = enterCode(kit, tx, key, scenario, now);
    if (matched === null) return null;
    // A wrong code is the OTP's FAIL and the identity step does not run; a right one ends the
    // transaction with the identity verdict, whatever it is (nothing left to retry).
    const result = matched
      ? verdictNow(tx.identity, scenario)
      : ({ action: 'FAIL', detail: 'FAILED OUT-OF-BAND CHECK', issues: [] } as const);
    settleEntry(kit, tx, key, result, scenario, now, matched);
    if (matched) tx.identity.issues = result.issues;
    const answer = { action: result.action, detail: result.detail, issues: [...result.issues] };
    const vpin = vpinBlock(tx.identity, answer);
    return {
      output: vpin === undefined ? { outofband: {}, rescue: {} } : { outofband: {}, rescue: {}, vpin },
      meta: kit.meta(kit.nextConfirmation(), tx, now),
      result: answer,
    };
  },
};
