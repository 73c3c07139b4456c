import { JournalLog } from './journal-log.js';
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

/** The in-memory store: two rings, one index from token to transaction, and the journal's log. */
export class MemoryStore implements Store {
  private readonly txRing: Ring<Transaction>;
  private readonly byToken: TokenIndex<Transaction>;
  private readonly messageRing: Ring<Message>;
  private readonly journalLog: JournalLog;
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private journalSeq = 0;
  /** The latest transaction and message added, and the latest journal entry's namespace: see `share`. */
  private lastTx: Transaction | undefined;
  private lastMessage: Message | undefined;
  private lastNamespace: string | undefined;

  constructor(readonly limits: StoreLimits) {
    this.txRing = new Ring(limits.transactions);
    this.byToken = new TokenIndex(this.txRing);
    this.messageRing = new Ring(limits.messages);
    this.journalLog = new JournalLog(limits.journal, limits.journalBytes ?? DEFAULT_JOURNAL_BYTES);
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
    // As in `share`: each request brings its own copy of the namespace. (The URL is written into
    // the log's byte ring, as text.)
    if (stored.namespace === this.lastNamespace) stored.namespace = this.lastNamespace;
    this.lastNamespace = stored.namespace;
    this.journalLog.add(stored);
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
    return this.journalLog.select(query);
  }

  clearJournal(namespace?: string): number {
    if (namespace === undefined) {
      this.lastNamespace = undefined;
      return this.journalLog.clear();
    }
    return this.journalLog.remove({ namespace });
  }

  journalBytes() {
    return { used: this.journalLog.bytes, limit: this.journalLog.byteLimit, evicted: this.journalLog.evicted };
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
      this.lastNamespace = undefined;
      this.byToken.clear();
      this.messageRing.clear();
      this.journalLog.clear();
    } else {
      this.txRing.removeWhere((t) => t.namespace === namespace);
      this.messageRing.removeWhere((m) => m.namespace === namespace);
      this.journalLog.remove({ namespace });
    }
    this.emit({ type: 'reset', namespace: namespace ?? null });
  }

  removeTransaction(id: number): boolean {
    const [tx] = this.txRing.removeWhere((t) => t.id === id);
    if (!tx) return false;
    this.messageRing.removeWhere((m) => m.transactionId === id);
    this.journalLog.remove({ transactionId: id });
    this.emit({ type: 'removed', id, namespace: tx.namespace });
    return true;
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  counts() {
    return { transactions: this.txRing.size, messages: this.messageRing.size, journal: this.journalLog.size };
  }
}

/** mock decision: the journal holds at most 16 MiB by default (see docs/reliability.md). */
export const DEFAULT_JOURNAL_BYTES = 16 * 1024 * 1024;

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
