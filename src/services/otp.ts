/**
 * The one-time-password family: `PhoneMatch5.0.SMS` and `PhoneMatch5.0.Call` (reference sections
 * 2-4). The gateway checks the number and the sending rules, "sends" a pin and answers PENDING
 * with a token; the continue checks the user's entry.
 */
import { type Channel, DEFAULT_SMS_MESSAGE, entryMatches, newPin, newToken, renderMessage, spokenMessage } from '../domain/otp.js';
import type { PhoneFacts, PhoneOptions } from '../domain/phone.js';
import { decideEntry, decideGateway } from '../domain/ruleset.js';
import type { components } from '../generated/phonematch.js';
import type { Scenario } from '../generated/scenario.js';
import type { Message, OtpTransaction } from '../store/types.js';
import type { ServiceKit, ServiceModel } from './types.js';

export type GatewayRequest = components['schemas']['GatewayRequest'];
export type GatewayResponse = components['schemas']['GatewayResponse'];
export type ContinueRequest = components['schemas']['ContinueRequest'];
export type ContinueResponse = components['schemas']['ContinueResponse'];

export const CONTINUE_URL = '/process/continue';
const INSTRUCTIONS = 'A code has been delivered to the provided number.  Please resubmit the code to complete the transaction.';

export const CHANNEL_OF: Readonly<Record<string, Channel>> = {
  'PhoneMatch5.0.SMS': 'sms',
  'PhoneMatch5.0.Call': 'call',
};

/** The number as a scenario says it is: its facts replace the metadata's. */
export function withOverrides(base: PhoneFacts, facts: Scenario['number'], options: PhoneOptions): PhoneFacts {
  if (!facts) return base;
  const valid = facts.valid ?? base.valid;
  return {
    ...base,
    valid,
    country: facts.country ?? base.country,
    carrier: facts.carrier ?? base.carrier,
    lineType: valid ? (facts.lineType ?? base.lineType ?? options.ambiguousLineType) : null,
  };
}

/** A scenario may shorten a token's life at continue time too (`otp.ttlMs` from creation). */
function expiryOf(tx: OtpTransaction, scenario: Scenario | undefined): number {
  const expiry = tx.expiresAt ?? tx.createdAt;
  const ttl = scenario?.otp?.ttlMs;
  return ttl === undefined ? expiry : Math.min(expiry, tx.createdAt + ttl);
}

/**
 * A gateway for a number that already has a pending code in the same namespace: an app's
 * "resend" button. mock decision (the reference does not say what the real service does): by
 * default every gateway is a transaction of its own, with a new token and a new pin, and the
 * older token stays usable until it expires (so parallel tests on one number never disturb each
 * other). A scenario's `otp.resend` turns on the resend rule: the older token is replaced (its
 * continue gets the bad-token error) unless `oldToken: keep`, and `pin: same` sends the pending
 * pin again. Only a resend that sends (PENDING) replaces anything: a failed resend leaves the
 * pending code as it was.
 */
function pendingCode(kit: ServiceKit, namespace: string, phone: PhoneFacts, now: number): OtpTransaction | undefined {
  const latest = kit.latestFor(namespace, phone.e164 ?? phone.digits);
  if (latest?.kind !== 'otp' || latest.state !== 'pending' || latest.pin === null) return undefined;
  return latest.expiresAt !== null && now >= latest.expiresAt ? undefined : latest;
}

export const otpService: ServiceModel<GatewayRequest, GatewayResponse, ContinueRequest, ContinueResponse> = {
  kind: 'otp',
  names: Object.keys(CHANNEL_OF),
  gatewayRequest: 'GatewayRequest',
  gatewayResponse: 'GatewayResponse',
  continueRequest: 'ContinueRequest',
  continueShape: 'codematch',
  continueResponse: 'ContinueResponse',

  gateway(kit, { body, service, login, namespace, phone: base, scenario, now }) {
    const phone = withOverrides(base, scenario?.number, kit.phoneOptions);
    const verdict = decideGateway(phone, body.options?.outofband, scenario?.delivery?.fail === true);
    const id = kit.nextConfirmation();
    const channel = CHANNEL_OF[service] ?? 'sms';
    const attempted = verdict.action === 'PENDING' || verdict.detail === 'FAILED TO SEND TO NUMBER';
    const rule = scenario?.otp?.resend;
    const resend = rule && verdict.action === 'PENDING' ? pendingCode(kit, namespace, phone, now) : undefined;
    const samePin = resend && rule?.pin === 'same' ? resend.pin : null;
    const pin = attempted ? (samePin ?? scenario?.otp?.pin ?? newPin(kit.config.pinLength)) : null;
    if (resend && rule?.oldToken !== 'keep') {
      resend.state = 'replaced';
      resend.updatedAt = now;
      kit.store.touchTransaction(resend);
    }
    const token = verdict.action === 'PENDING' ? newToken() : null;
    const maxAttempts = scenario?.otp?.maxAttempts ?? kit.config.maxAttempts;
    const tx: OtpTransaction = {
      kind: 'otp',
      id,
      namespace: kit.text(namespace),
      token,
      service: kit.text(service),
      channel,
      user: kit.text(login.user),
      company: login.company,
      reference: body.reference ?? null,
      phone,
      pin,
      messageId: null,
      state: token ? 'pending' : 'rejected',
      outcome: verdict.action === 'PENDING' ? kit.outcome('PENDING', kit.pendingDetail) : kit.outcome('FAIL', verdict.detail),
      maxAttempts,
      attemptsLeft: token ? maxAttempts : 0,
      createdAt: now,
      expiresAt: token ? now + (scenario?.otp?.ttlMs ?? kit.config.tokenTtlMs) : null,
      updatedAt: now,
      scenario: scenario?.name ?? null,
      variation: null,
      attempts: [],
    };
    if (pin !== null) {
      const text =
        channel === 'call'
          ? spokenMessage(pin)
          : renderMessage(body.options?.outofband?.message ?? DEFAULT_SMS_MESSAGE, pin, body.target as Record<string, unknown>);
      const message: Message = {
        id: kit.nextMessageId(),
        namespace: tx.namespace,
        phone: phone.e164 ?? phone.digits,
        phoneInput: base.input,
        channel,
        text,
        pin,
        token,
        status: token ? 'delivered' : 'failed',
        transactionId: id,
        scenario: tx.scenario,
        createdAt: now,
      };
      tx.messageId = message.id;
      kit.deliver(message, tx, scenario?.delivery?.delayMs ?? 0);
    }
    const meta = kit.meta(id, tx, now);
    const result = {
      action: tx.outcome.action as 'PENDING' | 'FAIL',
      detail: tx.outcome.detail as GatewayResponse['result']['detail'],
      issues: [],
    };
    const answer: GatewayResponse = token
      ? {
          output: { outofband: {} },
          meta,
          result,
          continuations: { outofband: { url: CONTINUE_URL, template: { token, codematch: { key: null } }, instructions: INSTRUCTIONS } },
        }
      : { output: { outofband: {} }, meta, result };
    return { tx, answer };
  },

  continue(kit, { body, tx, scenario, now }) {
    if (tx.kind !== 'otp') throw new Error(`an ${tx.kind} transaction reached the OTP continue`);
    // Everything from here to the state change is synchronous: concurrent entries for one token
    // are evaluated one after the other, never more than the allowed number of attempts.
    if (tx.state === 'pending' && now >= expiryOf(tx, scenario)) {
      tx.state = 'expired';
      tx.updatedAt = now;
      kit.store.touchTransaction(tx);
    }
    if (tx.state !== 'pending' || tx.pin === null) return null;

    const key = body.codematch.key;
    const forced = scenario?.otp?.entry;
    const verdict = decideEntry(forced ? forced === 'pass' : entryMatches(key, tx.pin));
    const scenarioName = scenario?.name ?? null;
    tx.attemptsLeft -= 1;
    tx.attempts.push({ at: now, key, action: verdict.action, scenario: scenarioName });
    tx.outcome = kit.outcome(verdict.action, verdict.detail);
    if (verdict.action === 'PASS') tx.state = 'passed';
    else if (tx.attemptsLeft <= 0) tx.state = 'failed';
    tx.updatedAt = now;
    kit.store.touchTransaction(tx);

    return {
      output: { outofband: {} },
      meta: kit.meta(kit.nextConfirmation(), tx, now),
      result: { action: verdict.action, detail: verdict.detail, issues: [] },
    };
  },
};
