/**
 * How the control API shows stored records: times as ISO strings, the number's details, and the
 * derived state (a pending transaction past its expiry reads as expired).
 */
import { callStatus } from '../domain/dialer.js';
import type { Simulator } from '../simulator.js';
import { StoredValue } from '../store/stored-value.js';
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

/**
 * `JSON.stringify(journalView(entry))` for an entry as stored, with the fields kept as text
 * written as they are kept when that is what is shown (a big body's bounded copy): no parse and
 * no copy of them. The journal listing is made of these (admin-routes.ts); test/http/admin-views
 * holds the two to the same text.
 */
export function journalJson(entry: JournalEntry): string {
  const { id, namespace, at, method, url, endpoint, body, status, response, ...rest } = entry;
  const head = JSON.stringify({ id, namespace, at: iso(at), method, url, endpoint }).slice(0, -1);
  const tail = JSON.stringify(rest);
  return `${head}${field('body', body)},"status":${JSON.stringify(status)}${field('response', response)}${tail === '{}' ? '}' : `,${tail.slice(1)}`}`;
}

/** `,"name":value` as JSON.stringify writes a property; nothing for undefined, which it leaves out. */
function field(name: string, value: unknown): string {
  const json = value instanceof StoredValue ? value.json() : JSON.stringify(value);
  return json === undefined ? '' : `,"${name}":${json}`;
}
