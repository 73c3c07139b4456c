/**
 * What the journal keeps of a body: a copy bounded in depth, in nodes and in characters (of
 * strings and of keys alike), with every `pass` redacted. A client may send a megabyte of JSON
 * (a few hundred keys of a few kilobytes each is valid gateway input); the journal keeps
 * thousands of entries and must neither exhaust memory nor fail to serialise (JSON.stringify
 * overflows the stack on deep input). What is cut is marked `[truncated]`.
 */
const MAX_DEPTH = 12;
const MAX_NODES = 400;
const MAX_STRING = 2048;
const MAX_KEY = 256;
/** Characters of strings and keys in one copy: with the node cap, an entry's body stays under about 40 KB. */
export const MAX_COPY_CHARS = 16_384;
export const REDACTED = '[redacted]';
export const TRUNCATED = '[truncated]';

export function journalCopy(value: unknown): unknown {
  let budget = MAX_NODES;
  let chars = MAX_COPY_CHARS;
  const text = (s: string, max: number): string => {
    const room = Math.min(max, chars);
    if (s.length <= room) {
      chars -= s.length;
      return s;
    }
    chars -= room;
    return `${s.slice(0, room)}…${TRUNCATED}`;
  };
  const copy = (node: unknown, depth: number): unknown => {
    if (budget-- <= 0) return TRUNCATED;
    if (typeof node === 'string') return text(node, MAX_STRING);
    if (node === null || typeof node !== 'object') return node;
    if (depth >= MAX_DEPTH) return TRUNCATED;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      for (const item of node) {
        if (budget <= 0 || chars <= 0) {
          out.push(TRUNCATED);
          break;
        }
        out.push(copy(item, depth + 1));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const original of Object.keys(node)) {
      if (budget <= 0 || chars <= 0) {
        out[TRUNCATED] = true;
        break;
      }
      const key = text(original, MAX_KEY);
      // Own enumerable keys only. A `__proto__` key is written with defineProperty so it stays
      // data; every other key is assigned, which is the same own property and several times
      // faster.
      const item = original === 'pass' ? REDACTED : copy((node as Record<string, unknown>)[original], depth + 1);
      if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
      else out[key] = item;
    }
    return out;
  };
  return copy(value, 0);
}
