import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ring } from '../../src/store/ring.js';
import { TokenIndex, tokenHash } from '../../src/store/token-index.js';

type Entry = { id: number; token: string | null };

/** A ring and its index, filled the way the store fills them: push, then index the token. */
function indexed(capacity: number, hashOf: (token: string) => number = tokenHash) {
  const ring = new Ring<Entry>(capacity);
  const index = new TokenIndex(ring, hashOf);
  let id = 0;
  const add = (token: string | null): Entry => {
    const entry = { id: ++id, token };
    ring.push(entry);
    if (token !== null) index.addLatest(token);
    return entry;
  };
  // Out of order, as a sweep or a delete does: the index is not told.
  const remove = (entry: Entry) => ring.removeWhere((e) => e === entry);
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

    it('finds nothing once its newest holder is removed, the older one still in the ring and indexed a generation before', () => {
      // capacity 3: p, q and the older one fill a generation; u starts the next.
      const { index, add, remove } = indexed(3);
      add('p');
      add('q');
      const older = add('same');
      add('u');
      const newer = add('same');
      expect(index.get('same')).toBe(newer);
      remove(newer);
      expect(index.get('same')).toBeUndefined();
      expect(older.token).toBe('same');
    });

    it('finds nothing once its newest holder is removed, the older one kept aside for sharing a hash with a live token', () => {
      // Every token shares one hash: b's first holder is kept aside while a holds the hash's entry.
      const { index, add, remove } = indexed(4, () => 7);
      const a = add('a');
      const older = add('b');
      remove(a);
      const newer = add('b'); // takes the hash's entry, now free
      expect(index.get('b')).toBe(newer);
      remove(newer);
      expect(index.get('b')).toBeUndefined();
      expect(older.token).toBe('b'); // still in the ring, retired by the re-seed
    });

    it('finds nothing once its newest holder is removed, an evicted entry of another token with its hash naming the newest slot', () => {
      // Found by the property test below (8,000 runs): a's entry, left behind, names slot 0, which
      // the newest b takes. Retiring that entry alone, as the first a probe meets, left the older
      // b's entry live further along the chain.
      const { index, add, remove } = indexed(3, () => 7);
      add('a'); // slot 0
      add('b'); // slot 1
      add(null); // slot 2
      const newer = add('b'); // slot 0, evicting a
      expect(index.get('b')).toBe(newer);
      remove(newer);
      expect(index.get('b')).toBeUndefined();
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

describe('TokenIndex against a Map from token to the latest transaction added with it', () => {
  // The index it replaced: set on every add, deleted when the transaction it names leaves the
  // ring (evicted by a push, or removed out of order).
  type Op = { add: string | null } | { remove: number } | { clear: true };
  const op: fc.Arbitrary<Op> = fc.oneof(
    { arbitrary: fc.record({ add: fc.oneof(fc.constantFrom('a', 'b', 'c', 'dd', 'eee', 'f0', 'f1'), fc.constant(null)) }), weight: 8 },
    { arbitrary: fc.record({ remove: fc.nat(9) }), weight: 2 },
    { arbitrary: fc.constant({ clear: true as const }), weight: 1 },
  );
  const hashes: Array<[string, (token: string) => number]> = [
    ['the default hash', tokenHash],
    ['one hash for every token', () => 7],
    ['two hashes', (token) => token.length & 1],
  ];

  it.each(hashes)('answers as that Map does, with %s', (_name, hashOf) => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 6 }), fc.array(op, { maxLength: 80 }), (capacity, ops) => {
        const { ring, index, remove } = indexed(capacity, hashOf);
        const model = new Map<string, Entry>();
        const tokens = ['a', 'b', 'c', 'dd', 'eee', 'f0', 'f1'];
        let id = 0;
        for (const step of ops) {
          if ('add' in step) {
            const entry = { id: ++id, token: step.add };
            // What the push evicts leaves the Map if the Map names it.
            const evicted = ring.push(entry);
            if (step.add !== null) index.addLatest(step.add);
            if (evicted?.token != null && model.get(evicted.token) === evicted) model.delete(evicted.token);
            if (step.add !== null) model.set(step.add, entry);
          } else if ('remove' in step) {
            const live = [...ring.newestFirst()];
            const gone = live[step.remove % Math.max(1, live.length)];
            if (gone !== undefined) {
              remove(gone);
              if (gone.token !== null && model.get(gone.token) === gone) model.delete(gone.token);
            }
          } else {
            ring.clear();
            index.clear();
            model.clear();
          }
          for (const token of tokens) expect(index.get(token), `${token} after ${JSON.stringify(step)}`).toBe(model.get(token));
          expect(index.size).toBeLessThanOrEqual(2 * capacity);
        }
      }),
      { numRuns: 1500, seed: 1205 },
    );
  });

  it("spreads the mock's tokens: no two of 40,000 random ones share a hash more than a few times", () => {
    const alphabet = '0123456789abcdefghijklmnopqrstuvwxyz';
    const seen = new Set<number>();
    let shared = 0;
    for (let i = 0; i < 40_000; i++) {
      let token = '';
      for (let j = 0; j < 32; j++) token += alphabet[Math.floor(Math.random() * 36)];
      const hash = tokenHash(token);
      expect(Number.isInteger(hash) && hash >= 0 && hash < 2 ** 30).toBe(true);
      if (seen.has(hash)) shared++;
      seen.add(hash);
    }
    // 40,000 draws among 2^30 values share about 0.7 on average.
    expect(shared).toBeLessThan(10);
    // Tokens a test seeds often differ only at one end, or in length.
    const seeded = ['tok-1', 'tok-2', 'pact-token-for-the-state-1', 'pact-token-for-the-state-2', 'x'.repeat(40), 'x'.repeat(41)];
    expect(new Set(seeded.map(tokenHash)).size).toBe(seeded.length);
  });
});
