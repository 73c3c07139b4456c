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
 * becomes `previous` and the former `previous` is dropped whole. Every token of that dropped
 * generation was indexed before the ring's last `capacity` pushes (each token follows its push),
 * so its transaction is gone from the ring already. At most twice the ring's capacity in entries,
 * and no transaction is kept alive by the index. Measured: +3% on the gateway.
 *
 * Each generation is keyed by a 30-bit hash of the token, a small integer: V8 compares such keys
 * in the map's own memory, where a string key made it read the other tokens of its bucket, cold
 * ones, to tell them apart (+4% on the gateway; docs/performance.md). Two live tokens with one
 * hash are rare for the mock's own (about one pair in 40,000 random tokens) and possible for
 * tokens a test seeds; the later one goes to a map by string, `collided`.
 *
 * It answers as a `Map` from token to the latest transaction added with it would, which drops a
 * token when that transaction leaves the ring (test/store/token-index.test.ts holds it to such a
 * map under random operations and forced collisions): a token has at most one entry, so indexing
 * it again (a re-seeded token) first drops the entry of its older transaction. A transaction
 * removed out of order (a sweep, a reset of one namespace, a delete) needs nothing either: its
 * slot no longer holds its token.
 */
import type { Ring } from './ring.js';

/**
 * 30 bits of FNV-1a over the token's length and its first and last 8 code units: a small
 * integer, which V8 keeps unboxed. The mock's tokens are random in all 32 characters; a token a
 * test seeds may share its hash with another, which costs a second lookup, never a wrong answer.
 * (Hashing every character of a 32-character token cost as much as the integer keys saved.)
 */
export function tokenHash(token: string): number {
  const length = token.length;
  let hash = Math.imul(0x811c9dc5 ^ length, 0x01000193);
  const head = Math.min(length, 8);
  for (let i = 0; i < head; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  for (let i = Math.max(head, length - 8); i < length; i++) hash = Math.imul(hash ^ token.charCodeAt(i), 0x01000193);
  return hash & 0x3fffffff;
}

class Generation {
  readonly byHash = new Map<number, number>();
  readonly collided = new Map<string, number>();

  get size(): number {
    return this.byHash.size + this.collided.size;
  }
}

export class TokenIndex<T extends { readonly token: string | null }> {
  private current = new Generation();
  private previous = new Generation();

  constructor(
    private readonly ring: Ring<T>,
    private readonly hashOf: (token: string) => number = tokenHash,
  ) {}

  /**
   * Indexes the entry the ring's latest push wrote, under `token`. Two lookups (the previous
   * generation, then the current one's entry for the hash) and one write: each lookup is a cache
   * miss in a map of thousands, so the current entry is looked up once and overwritten when it is
   * this token's or a stale one (dropping it first took one lookup more; without it, +2% on the
   * gateway and +3% with 10,000 numbers in alternating runs, docs/performance.md).
   */
  addLatest(token: string): void {
    const hash = this.hashOf(token);
    if (this.current.size >= this.ring.capacity) {
      // Every entry of the generation dropped here was indexed before the ring's last `capacity`
      // pushes (see above), so its slot was written since; the token's own entry, if any, is in
      // the generation kept.
      this.previous = this.current;
      this.current = new Generation();
    }
    // At most one entry per token: an older transaction with this token no longer answers to it.
    this.drop(this.previous, token, hash);
    const current = this.current;
    const slot = this.ring.lastSlot;
    // The hash's entry stays another token's while its slot holds a live token of the same hash.
    const held = this.at(current.byHash.get(hash))?.token;
    if (held !== undefined && held !== null && held !== token && this.hashOf(held) === hash) {
      current.collided.set(token, slot);
      return;
    }
    current.byHash.set(hash, slot);
    if (current.collided.size > 0 && this.at(current.collided.get(token))?.token === token) current.collided.delete(token);
  }

  get(token: string): T | undefined {
    const hash = this.hashOf(token);
    return this.find(this.current, token, hash) ?? this.find(this.previous, token, hash);
  }

  clear(): void {
    this.current = new Generation();
    this.previous = new Generation();
  }

  /** Tokens held, stale ones included (at most twice the ring's capacity). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private find(generation: Generation, token: string, hash: number): T | undefined {
    const entry = this.at(generation.byHash.get(hash));
    if (entry !== undefined && entry.token === token) return entry;
    if (generation.collided.size === 0) return undefined;
    const collided = this.at(generation.collided.get(token));
    return collided !== undefined && collided.token === token ? collided : undefined;
  }

  /** Drops the generation's entry for `token`, if it has one that still points at it. */
  private drop(generation: Generation, token: string, hash: number): void {
    if (this.at(generation.byHash.get(hash))?.token === token) generation.byHash.delete(hash);
    if (generation.collided.size > 0 && this.at(generation.collided.get(token))?.token === token) generation.collided.delete(token);
  }

  private at(slot: number | undefined): T | undefined {
    return slot === undefined ? undefined : this.ring.at(slot);
  }
}
