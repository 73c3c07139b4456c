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
 * generation was set before the ring's last `capacity` pushes (each token set follows its push),
 * so its transaction is gone from the ring already. At most twice the ring's capacity in tokens,
 * and no transaction is kept alive by the index. Measured: +3% on the gateway
 * (docs/performance.md).
 *
 * Removals out of order (a sweep, a reset of one namespace, a delete) name the slot they
 * emptied, so a token re-seeded onto a newer transaction keeps pointing at that one.
 */
import type { Ring } from './ring.js';

export class TokenIndex<T extends { readonly token: string | null }> {
  private current = new Map<string, number>();
  private previous = new Map<string, number>();

  constructor(private readonly ring: Ring<T>) {}

  /** Indexes the entry the ring's latest push wrote, under `token`. */
  addLatest(token: string): void {
    if (this.current.size >= this.ring.capacity) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(token, this.ring.lastSlot);
  }

  get(token: string): T | undefined {
    return this.resolve(this.current, token) ?? this.resolve(this.previous, token);
  }

  /**
   * The entry that held `slot` was removed: its token no longer finds it. When it was the token's
   * newest holder, the token finds nothing (an older holder of a re-seeded token stays retired),
   * in whichever generation that older one was indexed.
   */
  removed(token: string, slot: number): void {
    if (this.current.get(token) === slot) {
      this.current.delete(token);
      this.previous.delete(token);
    } else if (this.previous.get(token) === slot) {
      this.previous.delete(token);
    }
  }

  clear(): void {
    this.current.clear();
    this.previous.clear();
  }

  /** Tokens held, stale ones included (at most twice the ring's capacity). */
  get size(): number {
    return this.current.size + this.previous.size;
  }

  private resolve(generation: Map<string, number>, token: string): T | undefined {
    const slot = generation.get(token);
    if (slot === undefined) return undefined;
    const entry = this.ring.at(slot);
    return entry !== undefined && entry.token === token ? entry : undefined;
  }
}
