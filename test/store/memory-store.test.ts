import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { analysePhone } from '../../src/domain/phone.js';
import { MemoryStore } from '../../src/store/memory-store.js';
import { StoredValue } from '../../src/store/stored-value.js';
import type { JournalEntry, Message, OtpTransaction, StoreEvent } from '../../src/store/types.js';

const US = { defaultRegion: 'US', ambiguousLineType: 'mobile' } as const;
let seq = 0;

function tx(over: Partial<OtpTransaction> = {}, phone = '2015106000'): OtpTransaction {
  const id = ++seq;
  return {
    kind: 'otp',
    id,
    namespace: 'ns',
    token: `token${id}`,
    service: 'PhoneMatch5.0.SMS',
    channel: 'sms',
    user: 'u',
    company: 'C',
    reference: null,
    phone: analysePhone(phone, US),
    pin: '123456',
    messageId: null,
    state: 'pending',
    outcome: { action: 'PENDING', detail: 'MORE INFORMATION IS REQUIRED' },
    maxAttempts: 1,
    attemptsLeft: 1,
    createdAt: 1000,
    expiresAt: 2000,
    updatedAt: 1000,
    scenario: null,
    variation: null,
    attempts: [],
    ...over,
  };
}

function message(over: Partial<Message> = {}): Message {
  const id = ++seq;
  return {
    id,
    namespace: 'ns',
    phone: '+12015106000',
    phoneInput: '(201) 510-6000',
    channel: 'sms',
    text: 'code',
    pin: '123456',
    token: 't',
    status: 'delivered',
    transactionId: 1,
    scenario: null,
    createdAt: 1000,
    ...over,
  };
}

function journal(over: Partial<Omit<JournalEntry, 'id'>> = {}): Omit<JournalEntry, 'id'> {
  return {
    namespace: 'ns',
    at: 1000,
    method: 'POST',
    url: '/process/continue',
    endpoint: 'continue',
    body: {},
    status: 200,
    response: {},
    fault: null,
    scenario: null,
    variation: null,
    transactionId: null,
    seed: 1,
    durationMs: 1,
    ...over,
  };
}

const store = (transactions = 10, messages = 10, journalCap = 10) => new MemoryStore({ transactions, messages, journal: journalCap });

describe('MemoryStore: bounded collections', () => {
  it('drops the oldest transaction past its cap, and its token with it', () => {
    const s = store(3);
    const txs = [tx(), tx(), tx(), tx(), tx()];
    for (const t of txs) s.addTransaction(t);
    expect(s.counts().transactions).toBe(3);
    expect(s.transactions({}).map((t) => t.id)).toEqual([txs[4], txs[3], txs[2]].map((t) => t?.id));
    expect(s.transactionByToken(txs[0]?.token ?? '')).toBeUndefined();
    expect(s.transactionByToken(txs[1]?.token ?? '')).toBeUndefined();
    expect(s.transactionByToken(txs[2]?.token ?? '')).toBe(txs[2]);
  });

  it('never keeps more than its caps under load', () => {
    const s = store(100, 50, 20);
    for (let i = 0; i < 5000; i++) {
      s.addTransaction(tx());
      s.addMessage(message());
      s.addJournal(journal());
    }
    expect(s.counts()).toEqual({ transactions: 100, messages: 50, journal: 20 });
    expect(s.limits).toEqual({ transactions: 100, messages: 50, journal: 20 });
    // The token index shrinks with the ring: only the kept transactions are found.
    const kept = s.transactions({});
    expect(kept).toHaveLength(100);
    for (const t of kept) expect(s.transactionByToken(t.token ?? '')).toBe(t);
  });

  it('drops the oldest message past its cap', () => {
    const s = store(10, 2);
    const [a, b, c] = [message(), message(), message()];
    for (const m of [a, b, c]) s.addMessage(m);
    expect(s.messages({})).toEqual([c, b]);
  });

  it('indexes no token for a transaction without one', () => {
    const s = store();
    const failed = tx({ token: null, state: 'rejected' });
    s.addTransaction(failed);
    expect(s.transactions({})).toEqual([failed]);
    expect(s.transactionByToken('null')).toBeUndefined();
  });
});

describe('MemoryStore: a re-seeded token', () => {
  it('points to the newest transaction, even after the older one is evicted or swept', () => {
    const s = store(2);
    const older = tx({ token: 'same', state: 'rejected', updatedAt: 0 });
    const newer = tx({ token: 'same', expiresAt: 10_000 });
    s.addTransaction(older);
    s.addTransaction(newer);
    expect(s.transactionByToken('same')).toBe(newer);
    expect(s.sweep(5000)).toBe(1); // the older one ended long ago
    expect(s.transactionByToken('same')).toBe(newer);

    const t = store(2);
    t.addTransaction(older);
    t.addTransaction(newer);
    t.addTransaction(tx()); // evicts the older one
    expect(t.transactionByToken('same')).toBe(newer);
  });
});

describe('MemoryStore: sweep', () => {
  it('forgets transactions that ended or expired before the cut-off, and only them', () => {
    const s = store();
    const expired = tx({ expiresAt: 1500 });
    const alive = tx({ expiresAt: 9000 });
    const endedLongAgo = tx({ state: 'passed', updatedAt: 1200, expiresAt: 9000 });
    const endedRecently = tx({ state: 'failed', updatedAt: 5000 });
    const rejected = tx({ state: 'rejected', token: null, expiresAt: null, updatedAt: 100 });
    for (const t of [expired, alive, endedLongAgo, endedRecently, rejected]) s.addTransaction(t);
    expect(s.sweep(3000)).toBe(3);
    expect(s.transactions({}).map((t) => t.id)).toEqual([endedRecently.id, alive.id]);
    expect(s.transactionByToken(expired.token ?? '')).toBeUndefined();
    expect(s.transactionByToken(endedLongAgo.token ?? '')).toBeUndefined();
    expect(s.transactionByToken(alive.token ?? '')).toBe(alive);
    expect(s.sweep(3000)).toBe(0);
  });
});

describe('MemoryStore: queries', () => {
  it('finds transactions and messages by any phone key, namespace and limit, newest first', () => {
    const s = store();
    const a = tx({ namespace: 'a' });
    const b = tx({ namespace: 'b' }, '+442071838750');
    const c = tx({ namespace: 'a' });
    for (const t of [a, b, c]) s.addTransaction(t);
    expect(s.transactions({ keys: ['+12015106000'] })).toEqual([c, a]);
    expect(s.transactions({ keys: ['2015106000'] })).toEqual([c, a]);
    expect(s.transactions({ keys: ['nothing', '442071838750'] })).toEqual([b]);
    expect(s.transactions({ keys: ['nothing'] })).toEqual([]);
    expect(s.transactions({ keys: ['+442071838750'] })).toEqual([b]);
    expect(s.transactions({ namespace: 'b' })).toEqual([b]);
    expect(s.transactions({}, 2)).toEqual([c, b]);

    const m1 = message({ namespace: 'a' });
    const m2 = message({ namespace: 'b', phone: '+442071838750', phoneInput: '+44 20 7183 8750' });
    s.addMessage(m1);
    s.addMessage(m2);
    // by the E.164 form, or by the digits the client sent
    expect(s.messages({ keys: ['+12015106000'] })).toEqual([m1]);
    expect(s.messages({ keys: ['2015106000'] })).toEqual([m1]);
    expect(s.messages({ keys: ['442071838750'] })).toEqual([m2]);
    expect(s.messages({ namespace: 'a' })).toEqual([m1]);
    expect(s.messages({}, 1)).toEqual([m2]);
  });

  it('numbers journal entries and filters them, counting all matches beyond the limit', () => {
    const s = store();
    const first = s.addJournal(journal({ endpoint: 'gateway', status: 200, at: 1 }));
    s.addJournal(journal({ status: 400, at: 2, namespace: 'other' }));
    const third = s.addJournal(journal({ status: 200, scenario: 'voip', at: 3 }));
    expect(first.id).toBe(1);
    expect(third.id).toBe(3);
    expect(s.journal({}).total).toBe(3);
    expect(s.journal({ limit: 1 })).toEqual({ total: 3, entries: [third] });
    expect(s.journal({ endpoint: 'gateway' }).entries).toEqual([first]);
    expect(s.journal({ status: 400 }).total).toBe(1);
    expect(s.journal({ scenario: 'voip' }).entries).toEqual([third]);
    expect(s.journal({ since: 2 }).total).toBe(2);
    expect(s.journal({ namespace: 'ns' }).total).toBe(2);
    expect(s.clearJournal('other')).toBe(1);
    expect(s.clearJournal()).toBe(2);
    expect(s.journal({}).total).toBe(0);
  });
});

describe('MemoryStore: reset', () => {
  it('resets one namespace, leaving the others', () => {
    const s = store();
    const mine = tx({ namespace: 'mine' });
    const theirs = tx({ namespace: 'theirs' });
    s.addTransaction(mine);
    s.addTransaction(theirs);
    s.addMessage(message({ namespace: 'mine' }));
    s.addMessage(message({ namespace: 'theirs' }));
    s.addJournal(journal({ namespace: 'mine' }));
    s.addJournal(journal({ namespace: 'theirs' }));
    s.reset('mine');
    expect(s.counts()).toEqual({ transactions: 1, messages: 1, journal: 1 });
    expect(s.transactionByToken(mine.token ?? '')).toBeUndefined();
    expect(s.transactionByToken(theirs.token ?? '')).toBe(theirs);
    expect(s.messages({}).map((m) => m.namespace)).toEqual(['theirs']);
  });

  it('resets everything', () => {
    const s = store();
    const t = tx();
    s.addTransaction(t);
    s.addMessage(message());
    s.addJournal(journal());
    s.reset();
    expect(s.counts()).toEqual({ transactions: 0, messages: 0, journal: 0 });
    expect(s.transactionByToken(t.token ?? '')).toBeUndefined();
  });
});

describe('MemoryStore: subscribe', () => {
  it('tells listeners about every change until they unsubscribe', () => {
    const s = store();
    const events: StoreEvent['type'][] = [];
    const resets: (string | null)[] = [];
    const unsubscribe = s.subscribe((e) => {
      events.push(e.type);
      if (e.type === 'reset') resets.push(e.namespace);
    });
    const t = tx();
    s.addTransaction(t);
    s.touchTransaction(t);
    s.addMessage(message());
    s.addJournal(journal());
    s.reset('ns');
    s.reset();
    expect(events).toEqual(['transaction', 'transaction', 'message', 'journal', 'reset', 'reset']);
    expect(resets).toEqual(['ns', null]);
    unsubscribe();
    s.addMessage(message());
    expect(events).toHaveLength(6);
  });
});

describe('MemoryStore: the journal byte budget', () => {
  it('gives back the bytes of the entries dropped with their transaction', () => {
    const s = store();
    s.addTransaction(tx({ id: 7, token: 'tok-7' }));
    s.addJournal(journal({ transactionId: 7, body: 'x'.repeat(1000) }));
    const other = s.addJournal(journal({ body: 'y' }));
    const before = s.journalBytes().used;
    expect(s.removeTransaction(7)).toBe(true);
    expect(s.journal({}).entries.map((e) => e.id)).toEqual([other.id]);
    // Before the journal's sizes were kept beside its entries, these bytes stayed counted for ever.
    expect(s.journalBytes().used).toBeLessThanOrEqual(before - 1000);
    s.clearJournal();
    expect(s.journalBytes().used).toBe(0);
  });
});

describe('MemoryStore: what stays on the heap', () => {
  // Each request brings its own copy of its strings; measured on the heap after a full collection.
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const fresh = (text: string) => Buffer.from(text).toString(); // a new string of the same text
  const heldPer = (count: number, s: MemoryStore, add: (s: MemoryStore, i: number) => void) => {
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < count; i++) add(s, i);
    gc();
    return (process.memoryUsage().heapUsed - before) / count;
  };

  it("points a journal entry's namespace, and a message's namespace, at the previous one's equal copy", () => {
    const namespace = 'n'.repeat(200);
    const heldPerRequest = (distinct: boolean) => {
      const s = store(10, 2_000, 2_000);
      const held = heldPer(2_000, s, (st, i) => {
        const tail = distinct ? String(i) : '';
        st.addJournal(journal({ namespace: fresh(namespace + tail) }));
        st.addMessage(message({ namespace: fresh(namespace + tail) }));
      });
      expect(s.counts()).toMatchObject({ messages: 2_000, journal: 2_000 });
      return held;
    };
    // Two strings of over 200 characters per request: kept once when equal, each when not.
    expect(heldPerRequest(true) - heldPerRequest(false)).toBeGreaterThan(330);
  });

  it('keeps a journal entry, its URL, body and answer outside the heap', () => {
    const asIs = (v: unknown) => v; // one reader for all, as the HTTP layer's
    const fill = (st: MemoryStore, i: number) =>
      st.addJournal(
        journal({
          url: fresh(`/process/comprehensive/gateway?n=${i}`),
          body: StoredValue.text(JSON.stringify({ text: `${i}`.padEnd(1000, 'b') }), asIs),
          response: StoredValue.shown(JSON.stringify({ status: 'PENDING', reference: `${i}`.padEnd(300, 'r') })),
          variation: fresh(`gateway step ${i}`),
          transactionId: i,
        }),
      );
    heldPer(5_000, store(10, 10, 5_000), fill); // the code compiled on first use is on the heap too
    const s = store(10, 10, 5_000);
    const held = heldPer(5_000, s, fill);
    expect(s.counts().journal).toBe(5_000);
    expect(s.journalBytes().used).toBeGreaterThan(5_000 * 1_300);
    // As objects with their texts, an entry held about 2 KB here; in the log, nothing of its own.
    expect(held).toBeLessThan(32);
    const [newest] = s.journal({}).entries;
    expect(newest).toMatchObject({ url: '/process/comprehensive/gateway?n=4999', variation: 'gateway step 4999', transactionId: 4999 });
    expect(newest?.body).toEqual({ text: '4999'.padEnd(1000, 'b') });
  });
});
