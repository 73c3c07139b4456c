/**
 * The request journal's storage: each entry's numbers in typed arrays, its short shared strings
 * (namespace, method, endpoint, scenario, fault) in arrays beside them, and its texts (URL,
 * variation, body, answer) written as UTF-8 into one byte ring. An entry leaves no object of its
 * own on V8's heap.
 *
 * Why: every answered request is journalled, and the journal keeps thousands of entries for a
 * fraction of a second to minutes. Kept as objects, each entry (its object, its wrappers, its two
 * texts of about a kilobyte) outlived the young generation: the scavenger copied it twice, then the
 * major collector traced it and swept it when it was evicted. That was the largest cost the mock
 * had over bare Fastify (docs/performance.md): written here instead, the gateway answers about 5%
 * more requests, with a lower p99. Texts alone off the heap, or the entry alone in columns, gained
 * nothing: it takes both, since either half still leaves young objects to keep.
 *
 * The ring is also an exact byte budget: what it holds is the UTF-8 it was written, counted as it
 * is written, and the ring never holds more than its size. Entries go oldest first, when the count
 * cap needs their slot or the ring needs their bytes; an entry removed out of order (a namespace's
 * reset, a deleted transaction) frees its bytes once the older ones have gone.
 */
import { TRUNCATED } from './journal-copy.js';
import { StoredValue } from './stored-value.js';
import type { JournalEntry, JournalQuery } from './types.js';

/**
 * How a field was given, so that it reads back as the same kind of value: `string` as it is,
 * `json` any other value as its JSON text (read back parsed: a copy), `stored` a `StoredValue`'s
 * text (read back by its own reader).
 */
const KIND = { null: 0, undefined: 1, string: 2, json: 3, stored: 4 } as const;

/** The texts of an entry, in the order they are written: URL, variation, body, answer. */
const FIELDS = 4;
const URL = 0;
const VARIATION = 1;
const BODY = 2;
const RESPONSE = 3;

/** The ring goes back to its start early only once written this far (or a quarter of it, if less): see `place`. */
const COMPACT_FLOOR = 1024 * 1024;

type Reader = ((value: unknown) => unknown) | null;

/**
 * Room to make for a text: UTF-8 takes at most 3 bytes per UTF-16 unit, which is cheap to know;
 * a long text is measured instead, so that it does not push out entries for room it will not use.
 * The bytes written are what is counted.
 */
function bytesAtMost(text: string): number {
  return text.length <= 4096 ? 3 * text.length : Buffer.byteLength(text);
}

/** An entry as the journal gives it back: a fresh object each time it is read. */
export class JournalLog {
  private readonly ids: Float64Array;
  private readonly ats: Float64Array;
  private readonly statuses: Float64Array;
  private readonly durations: Float64Array;
  /** NaN: none. */
  private readonly transactionIds: Float64Array;
  private readonly seeds: Float64Array;
  private readonly starts: Float64Array;
  /** Bytes of each entry's texts in the ring, and of each of its fields. */
  private readonly sizes: Float64Array;
  private readonly lengths: Uint32Array;
  private readonly kinds: Uint8Array;
  /** Undefined: an empty slot. The strings are the ones given: nearly always shared with the previous entry's. */
  private readonly namespaces: (string | undefined)[];
  private readonly methods: string[];
  private readonly endpoints: JournalEntry['endpoint'][];
  private readonly scenarios: (string | null)[];
  private readonly faults: (string | null)[];
  private readonly readers: Reader[];
  private readonly text: Buffer;
  /** The slot the next entry takes; the oldest slot that may be live. */
  private next = 0;
  private tail = 0;
  private live = 0;
  /** The byte the next text is written at. */
  private write = 0;
  private liveBytes = 0;
  private furthest = 0;
  private evictedForBytes = 0;
  /** The most one field may take: a quarter of the ring, so any entry fits once the older ones go. */
  private readonly maxField: number;
  private readonly compactFloor: number;

  constructor(
    readonly capacity: number,
    readonly byteLimit: number,
  ) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    if (!Number.isInteger(byteLimit) || byteLimit < 1024)
      throw new RangeError(`byteLimit must be an integer of at least 1024, got ${byteLimit}`);
    this.ids = new Float64Array(capacity);
    this.ats = new Float64Array(capacity);
    this.statuses = new Float64Array(capacity);
    this.durations = new Float64Array(capacity);
    this.transactionIds = new Float64Array(capacity);
    this.seeds = new Float64Array(capacity);
    this.starts = new Float64Array(capacity);
    this.sizes = new Float64Array(capacity);
    this.lengths = new Uint32Array(capacity * FIELDS);
    this.kinds = new Uint8Array(capacity * FIELDS);
    this.namespaces = new Array<string | undefined>(capacity).fill(undefined);
    this.methods = new Array<string>(capacity).fill('');
    this.endpoints = new Array<JournalEntry['endpoint']>(capacity).fill('other');
    this.scenarios = new Array<string | null>(capacity).fill(null);
    this.faults = new Array<string | null>(capacity).fill(null);
    this.readers = new Array<Reader>(capacity * FIELDS).fill(null);
    // Not zero-filled: only bytes written are ever read. The operating system gives the pages
    // only as they are first written, and `place` writes no further than twice the live bytes.
    this.text = Buffer.allocUnsafeSlow(byteLimit);
    this.maxField = Math.floor(byteLimit / 4);
    this.compactFloor = Math.min(COMPACT_FLOOR, this.maxField);
  }

  get size(): number {
    return this.live;
  }

  /** Bytes of text the live entries hold in the ring. */
  get bytes(): number {
    return this.liveBytes;
  }

  /** The furthest byte written since the start (or the last `clear`): what the ring's pages may take of RSS. */
  get reach(): number {
    return this.furthest;
  }

  /** Entries dropped to make room for another's bytes (not for its slot), since the start. */
  get evicted(): number {
    return this.evictedForBytes;
  }

  add(entry: JournalEntry): void {
    const slot = this.next;
    if (this.namespaces[slot] !== undefined) this.drop(slot); // the count cap: the oldest goes
    const f = slot * FIELDS;
    const url = this.field(f + URL, entry.url);
    const variation = this.field(f + VARIATION, entry.variation);
    const body = this.field(f + BODY, entry.body);
    const response = this.field(f + RESPONSE, entry.response);
    const start = this.place(bytesAtMost(url) + bytesAtMost(variation) + bytesAtMost(body) + bytesAtMost(response));
    // Only now: while it makes room, an empty journal starts again at this slot (`oldestWithBytes`).
    this.next = slot + 1 === this.capacity ? 0 : slot + 1;
    let at = start;
    at += this.put(f + URL, url, at);
    at += this.put(f + VARIATION, variation, at);
    at += this.put(f + BODY, body, at);
    at += this.put(f + RESPONSE, response, at);
    this.write = at;
    if (at > this.furthest) this.furthest = at;
    this.starts[slot] = start;
    this.sizes[slot] = at - start;
    this.liveBytes += at - start;
    this.ids[slot] = entry.id;
    this.ats[slot] = entry.at;
    this.statuses[slot] = entry.status;
    this.durations[slot] = entry.durationMs;
    this.transactionIds[slot] = entry.transactionId ?? Number.NaN;
    this.seeds[slot] = entry.seed;
    // Never undefined, which marks an empty slot (the HTTP layer always names one; a caller that
    // bypasses the types must not make an entry nobody can drop).
    this.namespaces[slot] = entry.namespace ?? '';
    this.methods[slot] = entry.method;
    this.endpoints[slot] = entry.endpoint;
    this.scenarios[slot] = entry.scenario;
    this.faults[slot] = entry.fault;
    this.live++;
  }

  /** The entries that match, newest first, read back (`asStored`: fields kept as text stay `StoredValue`s). */
  select(query: JournalQuery): { total: number; entries: JournalEntry[] } {
    const limit = query.limit ?? Number.POSITIVE_INFINITY;
    const entries: JournalEntry[] = [];
    let total = 0;
    for (let n = 1; n <= this.capacity; n++) {
      const slot = (this.next - n + this.capacity) % this.capacity;
      const namespace = this.namespaces[slot];
      if (namespace === undefined) continue;
      if (query.namespace !== undefined && namespace !== query.namespace) continue;
      if (query.endpoint !== undefined && this.endpoints[slot] !== query.endpoint) continue;
      if (query.status !== undefined && this.statuses[slot] !== query.status) continue;
      if (query.scenario !== undefined && this.scenarios[slot] !== query.scenario) continue;
      if (query.since !== undefined && (this.ats[slot] as number) < query.since) continue;
      if (query.transactionId !== undefined && this.transactionIds[slot] !== query.transactionId) continue;
      total++;
      if (entries.length < limit) entries.push(this.read(slot, query.asStored === true));
    }
    return { total, entries };
  }

  /** Removes the entries of a namespace (every entry when undefined), or of one transaction; returns how many. */
  remove(which: { namespace?: string; transactionId?: number }): number {
    let removed = 0;
    for (let slot = 0; slot < this.capacity; slot++) {
      const namespace = this.namespaces[slot];
      if (namespace === undefined) continue;
      if (which.namespace !== undefined && namespace !== which.namespace) continue;
      if (which.transactionId !== undefined && this.transactionIds[slot] !== which.transactionId) continue;
      this.drop(slot);
      removed++;
    }
    return removed;
  }

  clear(): number {
    const removed = this.live;
    this.namespaces.fill(undefined);
    this.readers.fill(null);
    this.next = 0;
    this.tail = 0;
    this.live = 0;
    this.write = 0;
    this.furthest = 0;
    this.liveBytes = 0;
    return removed;
  }

  /** Notes how a field is kept, and returns its text ('' for none). */
  private field(i: number, value: unknown): string {
    let kind: number;
    let text: string;
    let reader: Reader = null;
    if (value instanceof StoredValue) {
      kind = KIND.stored;
      text = value.text;
      reader = value.reader;
    } else if (typeof value === 'string') {
      kind = KIND.string;
      text = value;
    } else if (value === null) {
      kind = KIND.null;
      text = '';
    } else if (value === undefined) {
      kind = KIND.undefined;
      text = '';
    } else {
      // Only callers that bypass the HTTP layer (tests, tools) give other values. A function or a
      // symbol has no JSON text: it reads back as undefined, as it would serialise.
      const json = JSON.stringify(value) as string | undefined;
      kind = json === undefined ? KIND.undefined : KIND.json;
      text = json ?? '';
    }
    if (3 * text.length > this.maxField && Buffer.byteLength(text) > this.maxField) {
      // Bigger than a quarter of the ring (only with a byte limit far below the default: the HTTP
      // layer bounds each field to about 40 KB). Kept as the start of its text, marked as cut.
      kind = KIND.string;
      reader = null;
      text = `${text.slice(0, Math.floor(this.maxField / 3) - TRUNCATED.length - 1)}…${TRUNCATED}`;
    }
    this.kinds[i] = kind;
    this.readers[i] = reader;
    return text;
  }

  private put(i: number, text: string, at: number): number {
    const written = text.length === 0 ? 0 : this.text.write(text, at, 'utf8');
    this.lengths[i] = written;
    return written;
  }

  /**
   * Where `need` bytes go: right after the newest text, or at the start of the ring when they do not
   * fit before its end, dropping the oldest entries until there is room. The live texts always lie
   * in write order from the oldest's start to the write position, round the ring.
   *
   * The ring goes back to its start once it has written past twice the live bytes (and past 1 MiB
   * or a quarter of the ring), when the start is free: a journal of a few megabytes under a limit
   * of a gigabyte keeps a few megabytes of pages, not the whole limit, round and round.
   */
  private place(need: number): number {
    const end = this.text.length;
    for (;;) {
      const oldest = this.oldestWithBytes();
      if (oldest < 0) {
        this.write = 0;
        return 0;
      }
      const from = this.starts[oldest] as number;
      const at = this.write;
      if (from < at) {
        // Live: [from, at). Free: [at, end) and [0, from).
        const fitsAtStart = need <= from;
        if (fitsAtStart && at + need > Math.max(this.compactFloor, 2 * this.liveBytes)) return 0;
        if (at + need <= end) return at;
        if (fitsAtStart) return 0;
      } else if (from > at) {
        // Live: [from, end) and [0, at). Free: [at, from).
        if (at + need <= from) return at;
      }
      this.drop(oldest);
      this.evictedForBytes++;
    }
  }

  /** The oldest live slot whose texts take bytes, or -1. Moves the tail past the empty slots. */
  private oldestWithBytes(): number {
    if (this.live === 0) {
      this.tail = this.next;
      return -1;
    }
    while (this.namespaces[this.tail] === undefined) this.tail = this.tail + 1 === this.capacity ? 0 : this.tail + 1;
    for (let n = 0, slot = this.tail; n < this.live; slot = slot + 1 === this.capacity ? 0 : slot + 1) {
      if (this.namespaces[slot] === undefined) continue;
      if ((this.sizes[slot] as number) > 0) return slot;
      n++;
    }
    return -1;
  }

  private drop(slot: number): void {
    this.namespaces[slot] = undefined;
    const f = slot * FIELDS;
    for (let i = f; i < f + FIELDS; i++) this.readers[i] = null;
    this.liveBytes -= this.sizes[slot] as number;
    this.sizes[slot] = 0;
    this.live--;
  }

  private read(slot: number, asStored: boolean): JournalEntry {
    const f = slot * FIELDS;
    let at = this.starts[slot] as number;
    const value = (i: number): unknown => {
      const length = this.lengths[i] as number;
      const text = length === 0 ? '' : this.text.toString('utf8', at, at + length);
      at += length;
      switch (this.kinds[i]) {
        case KIND.null:
          return null;
        case KIND.undefined:
          return undefined;
        case KIND.string:
          return text;
        case KIND.json:
          return asStored ? StoredValue.shown(text) : JSON.parse(text);
        default: {
          const reader = this.readers[i] ?? null;
          const stored = reader === null ? StoredValue.shown(text) : StoredValue.text(text, reader);
          return asStored ? stored : stored.value();
        }
      }
    };
    const url = value(f + URL) as string;
    const variation = value(f + VARIATION) as string | null;
    const body = value(f + BODY);
    const response = value(f + RESPONSE);
    const transactionId = this.transactionIds[slot] as number;
    return {
      id: this.ids[slot] as number,
      namespace: this.namespaces[slot] as string,
      at: this.ats[slot] as number,
      method: this.methods[slot] as string,
      url,
      endpoint: this.endpoints[slot] as JournalEntry['endpoint'],
      body,
      status: this.statuses[slot] as number,
      response,
      fault: this.faults[slot] ?? null,
      scenario: this.scenarios[slot] ?? null,
      variation,
      transactionId: Number.isNaN(transactionId) ? null : transactionId,
      seed: this.seeds[slot] as number,
      durationMs: this.durations[slot] as number,
    };
  }
}
