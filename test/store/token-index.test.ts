import { describe, expect, it } from 'vitest';
import { Ring } from '../../src/store/ring.js';
import { TokenIndex } from '../../src/store/token-index.js';

type Entry = { id: number; token: string | null };

/** A ring and its index, filled the way the store fills them: push, then index the token. */
function indexed(capacity: number) {
  const ring = new Ring<Entry>(capacity);
  const index = new TokenIndex(ring);
  let id = 0;
  const add = (token: string | null): Entry => {
    const entry = { id: ++id, token };
    ring.push(entry);
    if (token !== null) index.addLatest(token);
    return entry;
  };
  const remove = (entry: Entry) =>
    ring.removeWhere(
      (e) => e === entry,
      (e, slot) => e.token !== null && index.removed(e.token, slot),
    );
  return { ring, index, add, remove };
}

describe('TokenIndex', () => {
  it('finds the transaction of a token while the ring holds it, and nothing after its eviction', () => {
    const { index, add } = indexed(3);
    const a = add('a');
    const b = add('b');
    expect(index.get('a')).toBe(a);
    expect(index.get('b')).toBe(b);
    expect(index.get('nope')).toBeUndefined();
    add('c');
    add('d'); // evicts a
    expect(index.get('a')).toBeUndefined();
    expect(index.get('b')).toBe(b);
  });

  it('finds nothing once the slot holds a transaction without a token', () => {
    const { index, add } = indexed(2);
    add('a');
    add(null);
    add(null); // evicts a: its slot holds an entry with no token
    expect(index.get('a')).toBeUndefined();
  });

  it('holds at most twice the ring in tokens, whatever the number of transactions', () => {
    const { index, add } = indexed(100);
    let last: Entry | undefined;
    for (let i = 0; i < 10_000; i++) last = add(`t${i}`);
    expect(index.size).toBeLessThanOrEqual(200);
    // The ring's 100 latest are all found, across the generation boundary; the ones before are not.
    for (let i = 9_900; i < 10_000; i++) expect(index.get(`t${i}`)?.token).toBe(`t${i}`);
    expect(index.get('t9899')).toBeUndefined();
    expect(index.get('t0')).toBeUndefined();
    expect(index.get('t9999')).toBe(last);
  });

  it('finds nothing for a transaction removed out of order, and the others still', () => {
    const { index, add, remove } = indexed(4);
    const a = add('a');
    const b = add('b');
    remove(a);
    expect(index.get('a')).toBeUndefined();
    expect(index.get('b')).toBe(b);
  });

  describe('a re-seeded token', () => {
    it('finds the newest holder; removing an older holder leaves it', () => {
      const { index, add, remove } = indexed(4);
      const older = add('same');
      const newer = add('same');
      expect(index.get('same')).toBe(newer);
      remove(older);
      expect(index.get('same')).toBe(newer);
    });

    it('finds nothing once its newest holder is removed, the older one indexed in the same generation or the one before', () => {
      for (const fill of [0, 2]) {
        // capacity 3: after three tokens the generation turns, so `fill` decides where `older` sits
        const { index, add, remove } = indexed(3);
        for (let i = 0; i < fill; i++) add(`fill${i}`);
        const older = add('same');
        const newer = add('same');
        expect(index.get('same')).toBe(newer);
        remove(newer);
        expect(index.get('same'), `fill ${fill}`).toBeUndefined();
        expect(older.token).toBe('same'); // still in the ring, retired by the re-seed
      }
    });

    it('keeps finding the newest holder after the older one is evicted', () => {
      const { index, add } = indexed(2);
      add('same');
      const newer = add('same');
      add('x'); // evicts the older one
      expect(index.get('same')).toBe(newer);
    });
  });

  it('finds nothing after clear', () => {
    const { ring, index, add } = indexed(2);
    add('a');
    ring.clear();
    index.clear();
    expect(index.get('a')).toBeUndefined();
    expect(index.size).toBe(0);
  });
});
