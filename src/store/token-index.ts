/**
 * Token → transaction: the continue's lookup. It maps each token to the ring slot of its
 * transaction and holds nothing of the transaction itself; a lookup checks that the slot still
 * holds a transaction with that token, so an entry left behind by an eviction finds nothing.
 *
 * Why: a `Map` from token to transaction had to drop each evicted transaction's token, on every
 * gateway once the ring is full. The evicted transaction is the oldest, long out of the CPU's
 * caches, and a lookup and a delete in a map of 20,000 tokens walk cold memory: in `perf`, 0.7 µs
 * of each gateway went there. Here an eviction costs nothing, and stale entries are dropped a
 * generation at a time: tokens go into `current`; when it holds as many as the ring has slots, it
 * becomes `previous` and the former `previous` is emptied to be the next `current`. Every token of
 * that emptied generation was indexed before the ring's last `capacity` pushes (each token
 * follows its push), so its transaction is gone from the ring already. No transaction is kept
 * alive by the index.
 *
 * Each generation is a table of (hash of the token, slot) pairs in one `Int32Array`, probed
 * linearly from the hash and never more than half full: a lookup nearly always reads one pair,
 * one cache line, and a token is read (from its transaction) only when its hash matches. It
 * replaced two `Map`s per generation (by hash, and by token for tokens sharing a hash), whose
 * lookups read a bucket and then an entry elsewhere, two cache misses in a map of 20,000, and
 * which grew and rehashed as each generation filled (docs/performance.md has the figures).
 * Tokens sharing a hash, rare for the mock's own (about one pair in 40,000 random tokens) and
 * possible for tokens a test seeds, simply take the next free pairs.
 *
 * It answers as a `Map` from token to the latest transaction added with it would, which drops a
 * token when that transaction leaves the ring (test/store/token-index.test.ts holds it to such a
 * map under random operations and forced collisions): a token has at most one live entry, so
 * indexing it again (a re-seeded token) retires the entry of its older transaction. A
 * transaction removed out of order (a sweep, a reset of one namespace, a delete) needs nothing
 * either: its slot no longer holds its token.
 */
import type { Ring } from './ring.js';

/**
 * 30 bits of FNV-1a over the token's length and its first and last 8 code units. The mock's
 * tokens are random in all 32 characters; a token a test seeds may share its hash with another,
 * which costs a longer probe, never a wrong answer. (Hashing every character of a 32-character
 * token cost as much as hashing saved.)
 */
export function tokenHash(token: string): number {
  const length = token.length;
  let hash = Math.imul(0x811c9dc5 ^ length, 0x01000193);
  const head = Math.min(length, 8);
  for (let i = 0; i < head; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  for (let i = Math.max(head, length - 8); i < length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  return hash & 0x3fffffff;
}

/** A pair's first cell holds the hash plus one, so that 0 marks a pair never used. */
const UNUSED = 0;
/** The slot of a retired entry: it keeps its place in the probe chain and names no slot. */
const RETIRED = -1;

/**
 * One generation: `pairs` pairs of (hash + 1, ring slot), at least twice as many as the entries
 * it may take (the ring's capacity), so a probe meets an unused pair soon. Pairs are never
 * emptied one at a time (an empty pair would cut the probe chains running through it); an entry
 * is retired by its slot, and a generation is emptied whole.
 */
class Generation {
  readonly cells: Int32Array;
  /** `pairs - 1`, `pairs` being a power of two. */
  readonly mask: number;
  /** Pairs in use, retired ones included. */
  size = 0;

  constructor(capacity: number) {
    let pairs = 8;
    while (pairs < 2 * capacity) pairs *= 2;
    this.cells = new Int32Array(2 * pairs);
    this.mask = pairs - 1;
  }

  empty(): void {
    this.cells.fill(UNUSED);
    this.size = 0;
  }
}

export class TokenIndex<T extends { readonly token: string | null }> {
  private current: Generation;
  private previous: Generation;

  constructor(
    private readonly ring: Ring<T>,
    private readonly hashOf: (token: string) => number = tokenHash,
  ) {
    this.current = new Generation(ring.capacity);
    this.previous = new Generation(ring.capacity);
  }

  /**
   * Indexes the entry the ring's latest push wrote, under `token`: one probe of each generation,
   * which retires the token's live entries, and the unused pair that ends the current one's probe
   * takes the new entry.
   */
  addLatest(token: string): void {
    const hash = this.hashOf(token);
    if (this.current.size >= this.ring.capacity) {
      // Every entry of the generation emptied here was indexed before the ring's last `capacity`
      // pushes (see above), so its slot was written since; the token's own entry, if any, is in
      // the generation kept.
      const emptied = this.previous;
      emptied.empty();
      this.previous = this.current;
      this.current = emptied;
    }
    // At most one live entry per token: an older transaction with this token no longer answers to it.
    const at = this.retire(token, hash);
    const current = this.current;
    current.cells[at] = hash + 1;
    current.cells[at + 1] = this.ring.lastSlot;
    current.size++;
  }

  get(token: string): T | undefined {
    const hash = this.hashOf(token);
    const current = this.current.cells;
    const at = this.probe(this.current, token, hash);
    if (current[at] !== UNUSED) return this.ring.at(current[at + 1] as number);
    const previous = this.previous.cells;
    const older = this.probe(this.previous, token, hash);
    return previous[older] === UNUSED ? undefined : this.ring.at(previous[older + 1] as number);
  }

  clear(): void {
    // New tables rather than filled ones: the memory of a large one is given back at once.
    this.current = new Generation(this.ring.capacity);
    this.previous = new Generation(this.ring.capacity);
  }

  /** Entries held, stale and retired ones included (at most twice the ring's capacity). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  /**
   * Retires every live entry for `token` in both generations. Every one, not the first a probe
   * meets: an entry of another token with the same hash, left behind by an eviction, names a slot
   * that may now hold this token (the one just pushed), and retiring or overwriting that entry
   * alone left a live older entry of the token further along the chain, which answered once the
   * newest was removed (test/store/token-index.test.ts found it, with forced collisions).
   * Returns the cell index of the unused pair that ends the probe in the current generation.
   */
  private retire(token: string, hash: number): number {
    this.probe(this.previous, token, hash, true);
    return this.probe(this.current, token, hash, true);
  }

  /**
   * The cell index of the generation's live entry for `token`, or else of the unused pair that
   * ends its probe (where an entry for it would go). With `retireLive`, every live entry met is
   * retired and the walk goes on to that unused pair.
   */
  private probe(generation: Generation, token: string, hash: number, retireLive = false): number {
    const cells = generation.cells;
    const key = hash + 1;
    for (let pair = hash & generation.mask; ; pair = (pair + 1) & generation.mask) {
      const at = 2 * pair;
      const held = cells[at] as number;
      if (held === UNUSED) return at;
      if (held === key && this.holds(cells[at + 1] as number, token)) {
        if (!retireLive) return at;
        cells[at + 1] = RETIRED;
      }
    }
  }

  /** Whether the ring's `slot` holds a transaction with `token` (a retired entry's slot holds nothing). */
  private holds(slot: number, token: string): boolean {
    return slot !== RETIRED && this.ring.at(slot)?.token === token;
  }
}
