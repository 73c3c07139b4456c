/**
 * A fixed-capacity ring of entries, oldest evicted first in constant time.
 *
 * Why not a Map and `map.delete(map.keys().next().value)`: a Map keeps markers for deleted
 * entries that every such eviction walks over, so a mock capped at 100,000 entries slows to a
 * crawl once the cap is reached. A ring of slots evicts by overwriting one slot. Entries removed
 * out of order (a reset of one namespace, a sweep) leave an empty slot that the head simply
 * passes over later, so memory never exceeds `capacity` slots.
 */
export class Ring<T> {
  private readonly slots: (T | undefined)[];
  private next = 0; // the slot the next push writes
  private live = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.slots = new Array<T | undefined>(capacity);
  }

  get size(): number {
    return this.live;
  }

  /** Adds an entry and returns the one it evicted, if the ring was full there. */
  push(entry: T): T | undefined {
    const evicted = this.slots[this.next];
    this.slots[this.next] = entry;
    this.next = (this.next + 1) % this.capacity;
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
        this.slots[i] = undefined;
        this.live--;
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
        this.slots[i] = undefined;
        this.live--;
        removed.push(entry);
      }
    }
    return removed;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.live = 0;
  }

  /** Newest first. */
  *newestFirst(): IterableIterator<T> {
    for (let n = 1; n <= this.capacity; n++) {
      const entry = this.slots[(this.next - n + this.capacity) % this.capacity];
      if (entry !== undefined) yield entry;
    }
  }
}
