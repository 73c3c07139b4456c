/**
 * `PhoneMatch5.0.Dialer` (reference services section 5): the gateway checks the number and the
 * sending rules and "places a call" that plays a recorded message, answering PENDING with a
 * template; status requests on the continue (`{"token": …, "dialer": {"return": "status"}}`, the
 * body Veratad's own client sends) answer PENDING while the call is in progress, then its final
 * result, again and again until the token expires (a cron that re-polls only PENDING ones, like
 * Veratad's Magento module, may ask once more). How long a call lasts and how it ends come from
 * the scenario's `dialer` block, in the mock's clock.
 */
import { callEnded, callResult, callStatus, DEFAULT_AUDIO, DIALER_INSTRUCTIONS, type PlacedCall, placeCall } from '../domain/dialer.js';
import { newToken } from '../domain/otp.js';
import type { PhoneFacts } from '../domain/phone.js';
import { decideGateway } from '../domain/ruleset.js';
import type { components } from '../generated/phonematch.js';
import type { DialerTransaction, Message, MessageStatus, Outcome, Transaction } from '../store/types.js';
import { CONTINUE_URL, withOverrides } from './otp.js';
import type { ServiceKit, ServiceModel } from './types.js';

export type DialerRequest = components['schemas']['DialerRequest'];
export type DialerResponse = components['schemas']['DialerResponse'];
export type DialerStatusRequest = components['schemas']['DialerStatusRequest'];
export type DialerStatusResponse = components['schemas']['DialerStatusResponse'];
type Continuations = components['schemas']['DialerContinuations'];

/** The template a client sends back as is to learn the call's status (mock decision: not documented). */
function continuations(token: string): Continuations {
  return { outofband: { url: CONTINUE_URL, template: { token, dialer: { return: 'status' } }, instructions: DIALER_INSTRUCTIONS } };
}

/** What a Dialer transaction is made of besides its call (the gateway's request, or a provider state's seed). */
export interface CallFields {
  id: number;
  namespace: string;
  service: string;
  user: string;
  company: string;
  reference: string | null;
  phone: PhoneFacts;
  scenario: string | null;
}

/**
 * A Dialer transaction: PENDING with a token while a call was placed, else the gateway's FAIL.
 * mock decision: the token lives the usual token life (or the scenario's `otp.ttlMs`) counted
 * from the end of the call, so a long call never outlives its token.
 */
export function dialerTransaction(
  kit: ServiceKit,
  fields: CallFields,
  placed: { token: string; call: PlacedCall; ttlMs?: number | undefined } | { failed: Outcome },
  now: number,
): DialerTransaction {
  const pending = 'token' in placed;
  return {
    kind: 'dialer',
    ...fields,
    token: pending ? placed.token : null,
    state: pending ? 'pending' : 'rejected',
    outcome: pending ? { action: 'PENDING', detail: kit.pendingDetail } : placed.failed,
    createdAt: now,
    expiresAt: pending ? placed.call.endsAt + (placed.ttlMs ?? kit.config.tokenTtlMs) : null,
    updatedAt: now,
    call: pending ? placed.call : null,
    messageId: null,
    variation: null,
  };
}

export const dialerService: ServiceModel<DialerRequest, DialerResponse, DialerStatusRequest, DialerStatusResponse> = {
  kind: 'dialer',
  names: ['PhoneMatch5.0.Dialer'],
  gatewayRequest: 'DialerRequest',
  gatewayResponse: 'DialerResponse',
  continueRequest: 'DialerStatusRequest',
  continueShape: 'dialer',
  continueResponse: 'DialerStatusResponse',

  gateway(kit, { body, service, login, namespace, phone: base, scenario, now }) {
    const phone = withOverrides(base, scenario?.number, kit.phoneOptions);
    const outofband = body.options?.outofband;
    // The same checks, in the same order, as the SMS service: validity, country lists, line types, delivery.
    const verdict = decideGateway(phone, outofband, scenario?.delivery?.fail === true);
    const audio = outofband?.message ?? DEFAULT_AUDIO;
    const fields: CallFields = {
      id: kit.nextConfirmation(),
      namespace,
      service,
      user: login.user,
      company: login.company,
      reference: body.reference ?? null,
      phone,
      scenario: scenario?.name ?? null,
    };
    const tx = dialerTransaction(
      kit,
      fields,
      verdict.action === 'PENDING'
        ? { token: newToken(), call: placeCall(audio, scenario?.dialer, now), ttlMs: scenario?.otp?.ttlMs }
        : { failed: { action: 'FAIL', detail: verdict.detail } },
      now,
    );
    const { token } = tx;
    // A call was attempted when it was placed or when placing it failed; nothing is recorded for
    // an invalid or suppressed number, as for SMS.
    if (token || (verdict.action === 'FAIL' && verdict.detail === 'FAILED TO SEND TO NUMBER')) {
      const message: Message = {
        id: kit.nextMessageId(),
        namespace: tx.namespace,
        phone: phone.e164 ?? phone.digits,
        phoneInput: base.input,
        channel: 'dialer',
        text: audio,
        pin: null,
        token,
        status: token ? 'calling' : 'failed',
        transactionId: tx.id,
        scenario: tx.scenario,
        createdAt: now,
      };
      tx.messageId = message.id;
      kit.deliver(message, tx, scenario?.delivery?.delayMs ?? 0);
    }
    const result = {
      action: tx.outcome.action as 'PENDING' | 'FAIL',
      detail: tx.outcome.detail as DialerResponse['result']['detail'],
      issues: [],
    };
    const meta = kit.meta(tx.id, tx, now);
    return {
      tx,
      answer: token
        ? { output: { outofband: {} }, meta, result, continuations: continuations(token) }
        : { output: { outofband: {} }, meta, result },
    };
  },

  continue(kit, { tx, now }) {
    if (tx.kind !== 'dialer') throw new Error(`an ${tx.kind} transaction reached the Dialer's status request`);
    const { call, token } = tx;
    if (call === null || token === null) return null;
    if (tx.expiresAt !== null && now >= tx.expiresAt) {
      if (tx.state === 'pending') {
        tx.state = 'expired';
        tx.updatedAt = now;
        kit.store.touchTransaction(tx);
      }
      return null;
    }
    const ended = callEnded(call, now);
    call.polls += 1;
    tx.updatedAt = now;
    const meta = kit.meta(kit.nextConfirmation(), tx, now);
    if (!ended) {
      kit.store.touchTransaction(tx);
      return {
        output: { outofband: {} },
        meta,
        result: { action: 'PENDING', detail: kit.pendingDetail as DialerStatusResponse['result']['detail'], issues: [] },
        continuations: continuations(token),
      };
    }
    const verdict = callResult(call);
    tx.outcome = { action: verdict.action, detail: verdict.detail };
    tx.state = verdict.action === 'PASS' ? 'passed' : 'failed';
    kit.store.touchTransaction(tx);
    return { output: { outofband: {} }, meta, result: { action: verdict.action, detail: verdict.detail, issues: [] } };
  },

  messageStatus(tx: Transaction, message: Message, now: number): MessageStatus {
    if (tx.kind !== 'dialer' || tx.call === null) return message.status;
    const status = callStatus(tx.call, now);
    return status === 'calling' || status === 'delivered' ? status : 'failed';
  },
};
