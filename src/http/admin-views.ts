/**
 * How the control API shows stored records: times as ISO strings, the number's details, and the
 * derived state (a pending transaction past its expiry reads as expired).
 */
import { callStatus } from '../domain/dialer.js';
import type { Simulator } from '../simulator.js';
import type { JournalEntry, Message, Transaction } from '../store/types.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function messageView(message: Message, simulator: Simulator) {
  return {
    id: message.id,
    namespace: message.namespace,
    phone: message.phone,
    phoneInput: message.phoneInput,
    channel: message.channel,
    text: message.text,
    pin: message.pin,
    token: message.token,
    status: simulator.messageStatus(message),
    transactionId: message.transactionId,
    scenario: message.scenario,
    createdAt: iso(message.createdAt),
  };
}

export function transactionView(tx: Transaction, simulator: Simulator) {
  // The services that send a code show its channel, pin and attempts; the others show none.
  const code = tx.kind === 'otp' || tx.kind === 'smart2fa' ? tx : null;
  const call = tx.kind === 'dialer' ? tx.call : null;
  return {
    id: tx.id,
    namespace: tx.namespace,
    token: tx.token,
    service: tx.service,
    channel: code?.channel ?? (tx.kind === 'dialer' ? 'dialer' : null),
    user: tx.user,
    company: tx.company,
    reference: tx.reference,
    phone: {
      input: tx.phone.input,
      e164: tx.phone.e164,
      valid: tx.phone.valid,
      country: tx.phone.country,
      countryCallingCode: tx.phone.countryCallingCode,
      lineType: tx.phone.lineType,
      carrier: tx.phone.carrier,
    },
    pin: code?.pin ?? null,
    state: simulator.stateOf(tx),
    outcome: tx.outcome,
    maxAttempts: code?.maxAttempts ?? 0,
    attemptsLeft: code?.attemptsLeft ?? 0,
    createdAt: iso(tx.createdAt),
    expiresAt: tx.expiresAt === null ? null : iso(tx.expiresAt),
    updatedAt: iso(tx.updatedAt),
    scenario: tx.scenario,
    variation: tx.variation,
    attempts: (code?.attempts ?? []).map((a) => ({ at: iso(a.at), key: a.key, action: a.action, scenario: a.scenario })),
    ...(tx.kind === 'smart2fa' || tx.kind === 'verification'
      ? { identity: { testKey: tx.identity.testKey, issues: tx.identity.issues, vpin: tx.identity.vpin } }
      : {}),
    call: call && {
      audio: call.audio,
      status: callStatus(call, simulator.clock.now(tx.namespace)),
      endsAt: iso(call.endsAt),
      pendingPolls: call.pendingPolls,
      polls: call.polls,
    },
  };
}

export function journalView(entry: JournalEntry) {
  return { ...entry, at: iso(entry.at) };
}
