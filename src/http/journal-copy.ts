/**
 * What the journal keeps of a body: a copy bounded in depth and size, with every `pass` redacted.
 * A client may send a megabyte of nested JSON; the journal keeps thousands of entries and must
 * neither exhaust memory nor fail to serialise (JSON.stringify overflows the stack on deep input).
 */
const MAX_DEPTH = 12;
const MAX_NODES = 400;
const MAX_STRING = 2048;
export const REDACTED = '[redacted]';
const TRUNCATED = '[truncated]';

export function journalCopy(value: unknown): unknown {
  let budget = MAX_NODES;
  const copy = (node: unknown, depth: number): unknown => {
    if (budget-- <= 0) return TRUNCATED;
    if (typeof node === 'string') return node.length > MAX_STRING ? `${node.slice(0, MAX_STRING)}…${TRUNCATED}` : node;
    if (node === null || typeof node !== 'object') return node;
    if (depth >= MAX_DEPTH) return TRUNCATED;
    if (Array.isArray(node)) {
      const out: unknown[] = [];
      for (const item of node) {
        if (budget <= 0) {
          out.push(TRUNCATED);
          break;
        }
        out.push(copy(item, depth + 1));
      }
      return out;
    }
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(node)) {
      if (budget <= 0) {
        out[TRUNCATED] = true;
        break;
      }
      // Own enumerable keys only. A `__proto__` key is written with defineProperty so it stays
      // data; every other key is assigned, which is the same own property and several times
      // faster (the journal copies every request and answer: this is on the hot path).
      const item = key === 'pass' ? REDACTED : copy((node as Record<string, unknown>)[key], depth + 1);
      if (key === '__proto__') Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
      else out[key] = item;
    }
    return out;
  };
  return copy(value, 0);
}
