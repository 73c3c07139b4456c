import { stringBytes } from './budget.js';
import { Ring } from './ring.js';
import { StoredValue, storedValue } from './stored-value.js';
import { TokenIndex } from './token-index.js';
import type {
  JournalEntry,
  JournalQuery,
  Message,
  NewJournalEntry,
  PhoneQuery,
  Store,
  StoreEvent,
  StoreLimits,
  Transaction,
} from './types.js';

function phoneMatches(query: PhoneQuery, phones: readonly string[]): boolean {
  if (!query.keys) return true;
  return query.keys.some((key) => phones.includes(key));
}

function inNamespace(query: { namespace?: string | undefined }, namespace: string): boolean {
  return query.namespace === undefined || query.namespace === namespace;
}

/** The in-memory store: three rings and one index from token to transaction. */
export class MemoryStore implements Store {
  private readonly txRing: Ring<Transaction>;
  private readonly byToken: TokenIndex<Transaction>;
  private readonly messageRing: Ring<Message>;
  private readonly journalRing: Ring<JournalEntry>;
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private journalSeq = 0;
  /** The latest transaction, message and journal entry added: see `share`. */
  private lastTx: Transaction | undefined;
  private lastMessage: Message | undefined;
  private lastEntry: JournalEntry | undefined;
  private journalEvicted = 0;
  private readonly journalLimit: number;

  constructor(readonly limits: StoreLimits) {
    this.txRing = new Ring(limits.transactions);
    this.byToken = new TokenIndex(this.txRing);
    this.messageRing = new Ring(limits.messages);
    this.journalRing = new Ring(limits.journal);
    this.journalLimit = limits.journalBytes ?? DEFAULT_JOURNAL_BYTES;
  }

  private emit(event: StoreEvent): void {
    if (this.listeners.size === 0) return; // the usual case: no inbox open, no long-poll waiting
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Consecutive transactions nearly always share their user, namespace, service, reference and
   * outcome, yet each request body brings its own copy: each field equal to the previous
   * transaction's is pointed at that one's copy. One comparison per field; the store then holds
   * one copy per run of equal values instead of one per transaction: about 50 bytes of each
   * transaction kept, which V8's heap (growing to a few times what is live) turned into 12 MB of
   * the bench's peak RSS (260 → 248 MB). Strings cannot change, and an outcome is replaced, never
   * changed in place (otp.ts, dialer.ts), so sharing them is invisible.
   */
  private share(tx: Transaction): void {
    const last = this.lastTx;
    this.lastTx = tx;
    if (last === undefined) return;
    if (tx.user === last.user) tx.user = last.user;
    if (tx.namespace === last.namespace) tx.namespace = last.namespace;
    if (tx.service === last.service) tx.service = last.service;
    if (tx.reference === last.reference) tx.reference = last.reference;
    if (tx.outcome.action === last.outcome.action && tx.outcome.detail === last.outcome.detail) tx.outcome = last.outcome;
  }

  addTransaction(tx: Transaction): void {
    this.share(tx);
    // The transaction this evicts, or one removed later, needs nothing more: its slot no longer
    // holds its token, so the token finds nothing (token-index.ts).
    this.txRing.push(tx);
    if (tx.token !== null) this.byToken.addLatest(tx.token);
    this.emit({ type: 'transaction', transaction: tx });
  }

  touchTransaction(tx: Transaction): void {
    this.emit({ type: 'transaction', transaction: tx });
  }

  transactionByToken(token: string): Transaction | undefined {
    return this.byToken.get(token);
  }

  transactions(query: PhoneQuery, limit = Number.POSITIVE_INFINITY): Transaction[] {
    const found: Transaction[] = [];
    for (const tx of this.txRing.newestFirst()) {
      if (found.length >= limit) break;
      if (inNamespace(query, tx.namespace) && phoneMatches(query, phoneKeysOf(tx.phone.e164, tx.phone.digits))) found.push(tx);
    }
    return found;
  }

  addMessage(message: Message): void {
    // As in `share`: the message was made before its transaction's fields were shared.
    if (message.namespace === this.lastMessage?.namespace) message.namespace = this.lastMessage.namespace;
    this.lastMessage = message;
    this.messageRing.push(message);
    this.emit({ type: 'message', message });
  }

  messages(query: PhoneQuery, limit = Number.POSITIVE_INFINITY): Message[] {
    const found: Message[] = [];
    for (const message of this.messageRing.newestFirst()) {
      if (found.length >= limit) break;
      if (inNamespace(query, message.namespace) && phoneMatches(query, messageKeys(message))) found.push(message);
    }
    return found;
  }

  addJournal(entry: NewJournalEntry): JournalEntry {
    const stored = entry as JournalEntry;
    stored.id = ++this.journalSeq;
    // As in `share`: each request brings its own copy of the URL and of the namespace.
    const last = this.lastEntry;
    if (last !== undefined) {
      if (stored.url === last.url) stored.url = last.url;
      if (stored.namespace === last.namespace) stored.namespace = last.namespace;
    }
    this.lastEntry = stored;
    this.journalRing.push(stored, entryBytes(stored));
    // The count cap holds the usual entries; the byte budget holds big ones (each is bounded, so
    // this drops a few at most).
    while (this.journalRing.weight > this.journalLimit && this.journalRing.size > 1) {
      if (!this.journalRing.shift()) break;
      this.journalEvicted++;
    }
    // Read back (see stored-value.ts) only when a listener looks at the entry (an event stream):
    // a waiting long-poll, which ignores journal events, costs no parse per request.
    if (this.listeners.size > 0) {
      let shown: JournalEntry | undefined;
      this.emit({
        type: 'journal',
        get entry() {
          shown ??= readable(stored);
          return shown;
        },
      });
    }
    return stored;
  }

  journal(query: JournalQuery): { total: number; entries: JournalEntry[] } {
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const entries: JournalEntry[] = [];
    let total = 0;
    for (const entry of this.journalRing.newestFirst()) {
      if (!inNamespace(query, entry.namespace)) continue;
      if (query.endpoint !== undefined && entry.endpoint !== query.endpoint) continue;
      if (query.status !== undefined && entry.status !== query.status) continue;
      if (query.scenario !== undefined && entry.scenario !== query.scenario) continue;
      if (query.since !== undefined && entry.at < query.since) continue;
      if (query.transactionId !== undefined && entry.transactionId !== query.transactionId) continue;
      total++;
      if (entries.length < limit) entries.push(query.asStored ? entry : readable(entry));
    }
    return { total, entries };
  }

  clearJournal(namespace?: string): number {
    if (namespace === undefined) {
      const n = this.journalRing.size;
      this.journalRing.clear();
      this.lastEntry = undefined;
      return n;
    }
    return this.journalRing.removeWhere((e) => e.namespace === namespace).length;
  }

  journalBytes() {
    return { used: this.journalRing.weight, limit: this.journalLimit, evicted: this.journalEvicted };
  }

  sweep(before: number): number {
    const removed = this.txRing.removeWhere((tx) => {
      const end = tx.state === 'pending' ? (tx.expiresAt ?? tx.updatedAt) : tx.updatedAt;
      return end < before;
    });
    return removed.length;
  }

  reset(namespace?: string): void {
    if (namespace === undefined) {
      this.txRing.clear();
      this.lastTx = undefined;
      this.lastMessage = undefined;
      this.lastEntry = undefined;
      this.byToken.clear();
      this.messageRing.clear();
      this.journalRing.clear();
    } else {
      this.txRing.removeWhere((t) => t.namespace === namespace);
      this.messageRing.removeWhere((m) => m.namespace === namespace);
      this.journalRing.removeWhere((e) => e.namespace === namespace);
    }
    this.emit({ type: 'reset', namespace: namespace ?? null });
  }

  removeTransaction(id: number): boolean {
    const [tx] = this.txRing.removeWhere((t) => t.id === id);
    if (!tx) return false;
    this.messageRing.removeWhere((m) => m.transactionId === id);
    this.journalRing.removeWhere((e) => e.transactionId === id);
    this.emit({ type: 'removed', id, namespace: tx.namespace });
    return true;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  counts() {
    return { transactions: this.txRing.size, messages: this.messageRing.size, journal: this.journalRing.size };
  }
}

/** mock decision: the journal holds at most 16 MiB by default (see docs/reliability.md). */
export const DEFAULT_JOURNAL_BYTES = 16 * 1024 * 1024;

/** Fixed cost of an entry: the object, its numbers and short strings, the ring slot. */
const ENTRY_OVERHEAD = 256;

/**
 * The most an entry holds in memory. Every field is bounded before it is stored (see
 * http/journal.ts): text whose length is known, or a short primitive.
 */
function entryBytes(entry: JournalEntry): number {
  return (
    ENTRY_OVERHEAD +
    stringBytes(entry.url) +
    stringBytes(entry.namespace) +
    stringBytes(entry.scenario) +
    fieldBytes(entry.body) +
    fieldBytes(entry.response)
  );
}

function fieldBytes(value: unknown): number {
  if (value instanceof StoredValue) return value.bytes;
  if (typeof value === 'string') return stringBytes(value);
  // Objects reach here only from callers that bypass the HTTP layer (tests, tools): count their text.
  if (value !== null && typeof value === 'object') return stringBytes(JSON.stringify(value) ?? '');
  return 0;
}

/** The entry with its stored-as-text fields read back; the entry itself when it has none. */
function readable(entry: JournalEntry): JournalEntry {
  if (!(entry.body instanceof StoredValue) && !(entry.response instanceof StoredValue)) return entry;
  return { ...entry, body: storedValue(entry.body), response: storedValue(entry.response) };
}

function phoneKeysOf(e164: string | null, digits: string): string[] {
  return e164 === null ? [digits] : [e164, digits];
}

function messageKeys(message: Message): string[] {
  return [message.phone, message.phoneInput.replace(/\D+/g, '')];
}
