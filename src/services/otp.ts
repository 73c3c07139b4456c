/**
 * The one-time-password family: `PhoneMatch5.0.SMS` and `PhoneMatch5.0.Call` (reference sections
 * 2-4). The gateway checks the number and the sending rules, "sends" a pin and answers PENDING
 * with a token; the continue checks the user's entry. Smart 2FA (smart2fa.ts) sends and checks
 * its code with the same pieces: `sendCode` and `enterCode`/`settleEntry` below.
 */
import { type Channel, DEFAULT_SMS_MESSAGE, entryMatches, newPin, newToken, renderMessage, spokenMessage } from '../domain/otp.js';
import type { PhoneFacts, PhoneOptions } from '../domain/phone.js';
import { decideEntry, decideGateway } from '../domain/ruleset.js';
import type { components } from '../generated/phonematch.js';
import type { Scenario } from '../generated/scenario.js';
import type { Attempt, CodeFields, Message, OtpTransaction, Outcome, Transaction, TransactionBase } from '../store/types.js';
import type { GatewayCall, ServiceKit, ServiceModel } from './types.js';

export type GatewayRequest = components['schemas']['GatewayRequest'];
export type GatewayResponse = components['schemas']['GatewayResponse'];
export type ContinueRequest = components['schemas']['ContinueRequest'];
export type ContinueResponse = components['schemas']['ContinueResponse'];

export const CONTINUE_URL = '/process/continue';
export const INSTRUCTIONS = 'A code has been delivered to the provided number.  Please resubmit the code to complete the transaction.';

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
function expiryOf(tx: Transaction & CodeFields, scenario: Scenario | undefined): number {
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
function pendingCode(kit: ServiceKit, namespace: string, phone: PhoneFacts, now: number): (Transaction & CodeFields) | undefined {
  const latest = kit.latestFor(namespace, phone.e164 ?? phone.digits);
  if (!latest || !('pin' in latest) || latest.state !== 'pending' || latest.pin === null) return undefined;
  return latest.expiresAt !== null && now >= latest.expiresAt ? undefined : latest;
}

/** A transaction that sends a code, before its service adds its `kind` and own fields. */
export type CodeTransactionFields = TransactionBase & CodeFields;

/** What `sendCode` reads of a request: the OTP options and the target (for the message's placeholders). */
export type CodeRequest = Pick<GatewayRequest, 'reference' | 'options'> & { target: object };

export interface CodeOptions {
  channel: Channel;
  pinLength: number;
  /** Smart 2FA's rule: a VoIP line is refused whatever `do_not_send_to_types` says. */
  refuseVoip: boolean;
}

/**
 * The gateway of a service that sends a code: the number as a scenario says it is, the sending
 * rules, the pin, the token and the message. `own` is what the service's transaction adds to the
 * shared fields (its kind, and its own fields); the message is delivered for that transaction.
 * One object per transaction, `own` added to it: `{ kind, ...fields }` copied two dozen fields into
 * a second object on every request, and `{ ...own, id, … }` made V8 build the object a field at a
 * time (the gateway four times slower).
 */
export function sendCode<Tx extends Transaction & CodeFields>(
  kit: ServiceKit,
  { body, service, login, namespace, phone: base, scenario, now }: GatewayCall<CodeRequest>,
  options: CodeOptions,
  own: Omit<Tx, keyof CodeTransactionFields>,
): Tx {
  const phone = withOverrides(base, scenario?.number, kit.phoneOptions);
  const verdict = decideGateway(phone, body.options?.outofband, scenario?.delivery?.fail === true, options.refuseVoip);
  const id = kit.nextConfirmation();
  const channel = options.channel;
  const attempted = verdict.action === 'PENDING' || verdict.detail === 'FAILED TO SEND TO NUMBER';
  const rule = scenario?.otp?.resend;
  const resend = rule && verdict.action === 'PENDING' ? pendingCode(kit, namespace, phone, now) : undefined;
  const samePin = resend && rule?.pin === 'same' ? resend.pin : null;
  const pin = attempted ? (samePin ?? scenario?.otp?.pin ?? newPin(options.pinLength)) : null;
  if (resend && rule?.oldToken !== 'keep') {
    resend.state = 'replaced';
    resend.updatedAt = now;
    kit.store.touchTransaction(resend);
  }
  const token = verdict.action === 'PENDING' ? newToken() : null;
  const maxAttempts = scenario?.otp?.maxAttempts ?? kit.config.maxAttempts;
  const tx = Object.assign(
    {
      // Written here too: a property added afterwards would live outside the object, in one more allocation.
      kind: own.kind,
      id,
      namespace,
      token,
      service,
      channel,
      user: login.user,
      company: login.company,
      reference: body.reference ?? null,
      phone,
      pin,
      messageId: null,
      state: token ? 'pending' : 'rejected',
      outcome: verdict.action === 'PENDING' ? { action: 'PENDING', detail: kit.pendingDetail } : { action: 'FAIL', detail: verdict.detail },
      maxAttempts,
      attemptsLeft: token ? maxAttempts : 0,
      createdAt: now,
      expiresAt: token ? now + (scenario?.otp?.ttlMs ?? kit.config.tokenTtlMs) : null,
      updatedAt: now,
      scenario: scenario?.name ?? null,
      variation: null,
      attempts: [],
    },
    own,
    // TypeScript cannot see that the shared fields plus `own` make a whole Tx.
  ) as CodeTransactionFields as Tx;
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
  return tx;
}

/** The gateway's `result` of a code-sending transaction (PENDING or a FAIL, never issues). */
export function gatewayResult<Detail extends string>(tx: Transaction) {
  return { action: tx.outcome.action as 'PENDING' | 'FAIL', detail: tx.outcome.detail as Detail, issues: [] as never[] };
}

/**
 * A code entry on a code-sending transaction: whether it matches the pin (or what a scenario
 * forces), or null when the token can no longer be continued (spent or expired). The caller
 * decides what a match means and records it with `settleEntry`.
 */
export function enterCode(
  kit: ServiceKit,
  tx: Transaction & CodeFields,
  key: string | number,
  scenario: Scenario | undefined,
  now: number,
): boolean | null {
  // Everything from here to the state change (settleEntry) is synchronous: concurrent entries for
  // one token are evaluated one after the other, never more than the allowed number of attempts.
  if (tx.state === 'pending' && now >= expiryOf(tx, scenario)) {
    tx.state = 'expired';
    tx.updatedAt = now;
    kit.store.touchTransaction(tx);
  }
  if (tx.state !== 'pending' || tx.pin === null) return null;
  const forced = scenario?.otp?.entry;
  return forced ? forced === 'pass' : entryMatches(key, tx.pin);
}

/**
 * Records an entry's outcome. PASS ends the transaction as passed; any other outcome uses up an
 * attempt, and `final` (an outcome after which nothing can be retried) ends it as failed at once.
 */
export function settleEntry(
  kit: ServiceKit,
  tx: Transaction & CodeFields,
  key: string | number,
  outcome: Outcome & { action: Attempt['action'] },
  scenario: Scenario | undefined,
  now: number,
  final = false,
): void {
  tx.attemptsLeft = final ? 0 : tx.attemptsLeft - 1;
  tx.attempts.push({ at: now, key, action: outcome.action, scenario: scenario?.name ?? null });
  tx.outcome = { action: outcome.action, detail: outcome.detail };
  if (outcome.action === 'PASS') tx.state = 'passed';
  else if (tx.attemptsLeft <= 0) tx.state = 'failed';
  tx.updatedAt = now;
  kit.store.touchTransaction(tx);
}

export const otpService: ServiceModel<GatewayRequest, GatewayResponse, ContinueRequest, ContinueResponse> = {
  kind: 'otp',
  names: Object.keys(CHANNEL_OF),
  gatewayRequest: 'GatewayRequest',
  gatewayResponse: 'GatewayResponse',
  continueRequest: 'ContinueRequest',
  continueShape: 'codematch',
  continueResponse: 'ContinueResponse',

  gateway(kit, call) {
    const options = { channel: CHANNEL_OF[call.service] ?? 'sms', pinLength: kit.config.pinLength, refuseVoip: false };
    const tx = sendCode<OtpTransaction>(kit, call, options, { kind: 'otp' });
    const meta = kit.meta(tx.id, tx, call.now);
    const result = gatewayResult<GatewayResponse['result']['detail']>(tx);
    const answer: GatewayResponse = tx.token
      ? {
          output: { outofband: {} },
          meta,
          result,
          continuations: {
            outofband: { url: CONTINUE_URL, template: { token: tx.token, codematch: { key: null } }, instructions: INSTRUCTIONS },
          },
        }
      : { output: { outofband: {} }, meta, result };
    return { tx, answer };
  },

  continue(kit, { body, tx, scenario, now }) {
    if (tx.kind !== 'otp') throw new Error(`an ${tx.kind} transaction reached the OTP continue`);
    const key = body.codematch.key;
    const matched = enterCode(kit, tx, key, scenario, now);
    if (matched === null) return null;
    const verdict = decideEntry(matched);
    settleEntry(kit, tx, key, verdict, scenario, now);
    return {
      output: { outofband: {} },
      meta: kit.meta(kit.nextConfirmation(), tx, now),
      result: { action: verdict.action, detail: verdict.detail, issues: [] },
    };
  },
};
