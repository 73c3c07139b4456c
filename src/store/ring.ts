/**
 * A fixed-capacity ring of entries, oldest evicted first in constant time.
 *
 * Why not a Map and `map.delete(map.keys().next().value)`: a Map keeps markers for deleted
 * entries that every such eviction walks over, so a mock capped at 100,000 entries slows to a
 * crawl once the cap is reached. A ring of slots evicts by overwriting one slot. Entries removed
 * out of order (a reset of one namespace, a sweep) leave an empty slot that the head simply
 * passes over later, so memory never exceeds `capacity` slots.
 *
 * Each entry may carry a weight (the journal's: its bytes), kept beside the slots in a typed
 * array and summed in `weight`. Why beside and not on the entry: the entry a push evicts is the
 * oldest, long out of the CPU's caches, and reading its size from it cost a cache miss or several
 * per request (its fields, then each field's string). A number in a typed array costs none.
 */
export class Ring<T> {
  private readonly slots: (T | undefined)[];
  private readonly weights: Float64Array;
  private next = 0; // the slot the next push writes
  private last = -1; // the slot the latest push wrote
  private live = 0;
  private total = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<T | undefined>(capacity);
    this.weights = new Float64Array(capacity);
  }

  get size(): number {
    return this.live;
  }

  /** The sum of the weights of the entries held. */
  get weight(): number {
    return this.total;
  }

  /** Adds an entry (of `weight`, 0 by default) and returns the one it evicted, if the ring was full there. */
  push(entry: T, weight = 0): T | undefined {
    const slot = this.next;
    this.last = slot;
    const evicted = this.slots[slot];
    this.slots[slot] = entry;
    // An empty slot's weight is 0.
    this.total += weight - (this.weights[slot] as number);
    this.weights[slot] = weight;
    this.next = (slot + 1) % this.capacity;
    if (evicted === undefined) this.live++;
    return evicted;
  }

  /** Removes the oldest entry and returns it; undefined when empty. Walks past the empty slots left by `removeWhere`. */
  shift(): T | undefined {
    if (this.live === 0) return undefined;
    for (let n = 0; n < this.capacity; n++) {
      const i = (this.next + n) % this.capacity;
      const entry = this.slots[i];
      if (entry !== undefined) {
        this.drop(i);
        return entry;
      }
    }
    return undefined;
  }

  /** Removes every entry the predicate accepts; returns them. O(capacity), for rare calls. */
  removeWhere(predicate: (entry: T) => boolean): T[] {
    const removed: T[] = [];
    for (let i = 0; i < this.capacity; i++) {
      const entry = this.slots[i];
      if (entry !== undefined && predicate(entry)) {
        this.drop(i);
        removed.push(entry);
      }
    }
    return removed;
  }

  /**
   * The slot the latest push wrote, -1 before any. With `at`, an index can point at an entry by
   * its slot and hold nothing of it (see token-index.ts).
   */
  get lastSlot(): number {
    return this.last;
  }

  /** The entry in `slot`, undefined when it is empty (or out of range). */
  at(slot: number): T | undefined {
    return this.slots[slot];
  }

  private drop(slot: number): void {
    this.slots[slot] = undefined;
    this.total -= this.weights[slot] as number;
    this.weights[slot] = 0;
    this.live--;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.last = -1;
    this.weights.fill(0);
    this.live = 0;
    this.total = 0;
  }

  /** Newest first. */
  *newestFirst(): IterableIterator<T> {
    for (let n = 1; n <= this.capacity; n++) {
      const entry = this.slots[(this.next - n + this.capacity) % this.capacity];
      if (entry !== undefined) yield entry;
    }
  }
}
