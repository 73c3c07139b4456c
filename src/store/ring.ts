/**
 * A fixed-capacity ring of entries, oldest evicted first in constant time.
 *
 * Why not a Map and `map.delete(map.keys().next().value)`: a Map keeps markers for deleted
 * entries that every such eviction walks over, so a mock capped at 100,000 entries slows to a
 * crawl once the cap is reached. A ring of slots evicts by overwriting one slot. Entries removed
 * out of order (a reset of one namespace, a sweep) leave an empty slot that the head simply
 * passes over later, so memory never exceeds `capacity` slots.
 *
 * (The journal, which is bounded in bytes too, has its own log: store/journal-log.ts.)
 */
export class Ring<T> {
  private readonly slots: (T | undefined)[];
  private next = 0; // the slot the next push writes
  private last = -1; // the slot the latest push wrote
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
    const slot = this.next;
    this.last = slot;
    const evicted = this.slots[slot];
    this.slots[slot] = entry;
    this.next = (slot + 1) % this.capacity;
    if (evicted === undefined) this.live++;
    return evicted;
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
    this.live--;
  }

  clear(): void {
    this.slots.fill(undefined);
    this.last = -1;
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
