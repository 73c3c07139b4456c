/**
 * What the simulator keeps: transactions, captured messages and the request journal. One small
 * interface so another backend can come later without touching the rest. Every collection is
 * bounded; every record carries the namespace that isolates parallel tests.
 */

import type { PlacedCall } from '../domain/dialer.js';
import type { Issue } from '../domain/identity.js';
import type { Channel } from '../domain/otp.js';
import type { PhoneFacts } from '../domain/phone.js';
import type { components } from '../generated/phonematch.js';

/** `replaced`: a resend for the same number made a newer token (services/otp.ts). */
export type TransactionState = 'pending' | 'passed' | 'failed' | 'expired' | 'rejected' | 'replaced';

export interface Outcome {
  action: 'PENDING' | 'PASS' | 'FAIL' | 'REVIEW';
  detail: string;
}

export interface Attempt {
  at: number;
  /** The entry as the user sent it. */
  key: string | number;
  action: 'PASS' | 'FAIL' | 'REVIEW';
  scenario: string | null;
}

/** What every transaction records, whichever service made it. */
export interface TransactionBase {
  /** The gateway's confirmation number. */
  id: number;
  namespace: string;
  /** Null when nothing can be continued (a gateway FAIL, a synchronous service). */
  token: string | null;
  /** The service name as the client sent it. */
  service: string;
  user: string;
  company: string;
  reference: string | null;
  phone: PhoneFacts;
  state: TransactionState;
  outcome: Outcome;
  createdAt: number;
  expiresAt: number | null;
  updatedAt: number;
  /** The scenario that decided the gateway answer, null for the base ruleset. */
  scenario: string | null;
  /** What the scenario's sequence and chance did at the gateway ("gateway step 1 of 2"). */
  variation: string | null;
}

/** What a transaction that sends a code records (SMS, Call, Smart 2FA). */
export interface CodeFields {
  channel: Channel;
  pin: string | null;
  messageId: number | null;
  maxAttempts: number;
  attemptsLeft: number;
  attempts: Attempt[];
}

/** A `PhoneMatch5.0.Validate` check: synchronous, so it never has a token. */
export interface ValidateTransaction extends TransactionBase {
  kind: 'validate';
  /** `target.invalid_phonelinetypes` as sent. */
  invalidLineTypes: readonly string[];
}

/** A `PhoneMatch5.0.Dialer` transaction; `call` is null when no call was placed (a gateway FAIL). */
export interface DialerTransaction extends TransactionBase {
  kind: 'dialer';
  call: PlacedCall | null;
  messageId: number | null;
}

/** A one-time-password transaction (SMS, Call). */
export interface OtpTransaction extends TransactionBase, CodeFields {
  kind: 'otp';
}

/**
 * What an identity service keeps of the person: never the attributes themselves (Veratad keeps
 * no PII either), only what the verdict needs later.
 */
export interface IdentityRecord {
  /** The documented test key sent, if any. */
  testKey: string | null;
  /** The verdict of the test key or the default, decided at the gateway (a scenario may override it). */
  verdict: Outcome;
  /** The issues of the verdict given (of `verdict` until the identity step ran). */
  issues: readonly Issue[];
  /** The person's V-PIN when the service has `.VPIN`, else null. */
  vpin: string | null;
}

/** Smart 2FA: a code, then an identity match after a right entry. */
export interface Smart2faTransaction extends TransactionBase, CodeFields {
  kind: 'smart2fa';
  identity: IdentityRecord;
}

/** Phone Verification (`PhoneMatch5.0`): synchronous, no token. */
export interface VerificationTransaction extends TransactionBase {
  kind: 'verification';
  identity: IdentityRecord;
}

/** A transaction records the service family that made it: the continue dispatches on `kind`. */
export type Transaction = OtpTransaction | Smart2faTransaction | VerificationTransaction | ValidateTransaction | DialerTransaction;

/** `meta` of a processed transaction's answer. */
export type Meta = components['schemas']['Meta'];

/** `calling`: a Dialer call still in progress (it then reads `delivered` or `failed`). */
export type MessageStatus = 'delivered' | 'failed' | 'calling';

export interface Message {
  id: number;
  namespace: string;
  /** E.164 when the number could be read, else the digits sent. */
  phone: string;
  /** The number exactly as the client sent it. */
  phoneInput: string;
  channel: Channel | 'dialer';
  /** The SMS text, what the call says, or the Dialer's audio file name. */
  text: string;
  /** Null for a Dialer call, which carries no code. */
  pin: string | null;
  token: string | null;
  status: MessageStatus;
  transactionId: number;
  scenario: string | null;
  createdAt: number;
}

export interface JournalEntry {
  id: number;
  namespace: string;
  at: number;
  method: string;
  url: string;
  endpoint: 'gateway' | 'continue' | 'other';
  /** The body as sent, parsed when it was JSON, with `pass` redacted; the raw text otherwise. */
  body: unknown;
  status: number;
  /** The answer's body; null when the connection was broken on purpose. */
  response: unknown;
  /** What a scenario did to the transport (`reset`, `empty`, `malformed`), when it did. */
  fault: string | null;
  scenario: string | null;
  /** What the scenario's sequence and chance did ("gateway step 2 of 2; chance 0.33: miss"). */
  variation: string | null;
  /** The transaction the request made or continued, when there is one. */
  transactionId: number | null;
  /** The seed of the run (`--seed` replays its chance). */
  seed: number;
  durationMs: number;
}

export interface PhoneQuery {
  /** Keys of the wanted number (its E.164 form and its digits); any one matching is enough. */
  keys?: readonly string[];
  namespace?: string;
}

export interface JournalQuery {
  namespace?: string;
  endpoint?: JournalEntry['endpoint'];
  status?: number;
  scenario?: string;
  since?: number;
  transactionId?: number;
  limit?: number;
  /**
   * Entries as stored: fields kept as text stay `StoredValue`s (they serialise to their value, so
   * a caller can read the entries back one at a time). By default they are read back.
   */
  asStored?: boolean;
}

export type StoreEvent =
  | { type: 'message'; message: Message }
  | { type: 'transaction'; transaction: Transaction }
  | { type: 'journal'; entry: JournalEntry }
  | { type: 'reset'; namespace: string | null }
  | { type: 'removed'; id: number; namespace: string };

/** A journal entry before the store numbers it. */
export type NewJournalEntry = Omit<JournalEntry, 'id'> & { id?: number };

export interface StoreLimits {
  transactions: number;
  messages: number;
  journal: number;
  /** Bytes of UTF-8 text the journal may hold (default 16 MiB, at most 1 GiB); the oldest entries go first. */
  journalBytes?: number;
}

export interface Store {
  readonly limits: StoreLimits;
  addTransaction(tx: Transaction): void;
  /** Signals that a transaction changed in place (an attempt, an expiry). */
  touchTransaction(tx: Transaction): void;
  transactionByToken(token: string): Transaction | undefined;
  transactions(query: PhoneQuery, limit?: number): Transaction[];
  addMessage(message: Message): void;
  messages(query: PhoneQuery, limit?: number): Message[];
  /**
   * `body` and `response` may be given as a `StoredValue` (read on demand); `journal()` and the
   * journal event give them back as values. The store sets the entry's `id` (an `id: 0` written
   * first keeps the usual key order) and returns it; it keeps the entry in columns and its texts
   * as UTF-8 (store/journal-log.ts), so `journal()` gives back a new object each time, and a
   * value other than a string or a `StoredValue` comes back as a copy through its JSON text.
   */
  addJournal(entry: NewJournalEntry): JournalEntry;
  journal(query: JournalQuery): { total: number; entries: JournalEntry[] };
  clearJournal(namespace?: string): number;
  /** Forgets transactions that ended (or expired) before `before`. */
  sweep(before: number): number;
  reset(namespace?: string): void;
  /** Deletes one transaction with its messages and journal entries; false when it is not kept. */
  removeTransaction(id: number): boolean;
  subscribe(listener: (event: StoreEvent) => void): () => void;
  counts(): { transactions: number; messages: number; journal: number };
  /** The bytes of text the journal holds, its byte limit, and how many entries the byte budget evicted. */
  journalBytes(): { used: number; limit: number; evicted: number };
}
