/**
 * The mock's clock: real time plus offsets that tests move forward through the control API, so
 * an expiry test takes milliseconds instead of ten minutes. A namespace may have its own offset
 * on top of the global one, so one parallel test advancing time does not expire another's tokens.
 */
export interface Clock {
  now(namespace?: string): number;
  /**
   * Moves time forward. Nothing changes when the time would leave JavaScript's date range, where
   * every timestamp reads NaN (`range`), or when `maxNamespaces` namespaces already have an
   * offset of their own and this is a new one (`full`).
   */
  advance(ms: number, namespace?: string): 'ok' | 'range' | 'full';
  /** Namespaces with an offset of their own. */
  readonly namespaces: number;
  offset(namespace?: string): number;
  reset(namespace?: string): void;
}

/** The last millisecond of JavaScript's date range (ECMA-262: 8.64e15 ms from the epoch). */
export const MAX_TIME_MS = 8.64e15;

export function createClock(source: () => number = Date.now, maxNamespaces = Number.POSITIVE_INFINITY): Clock {
  let globalOffset = 0;
  const offsets = new Map<string, number>();
  return {
    get namespaces() {
      return offsets.size;
    },
    now(namespace) {
      // Usually no namespace has moved its clock: no lookup (it would hash each request's copy of the name).
      const extra = namespace === undefined || offsets.size === 0 ? 0 : (offsets.get(namespace) ?? 0);
      return source() + globalOffset + extra;
    },
    advance(ms, namespace) {
      if (!Number.isFinite(ms) || ms < 0) return 'range';
      // Every namespace's time moves with the global offset: the furthest of them must stay in range.
      let furthest = globalOffset + (namespace === undefined ? Math.max(0, ...offsets.values()) : (offsets.get(namespace) ?? 0));
      furthest += ms;
      if (source() + furthest > MAX_TIME_MS) return 'range';
      if (namespace === undefined) globalOffset += ms;
      else {
        if (!offsets.has(namespace) && offsets.size >= maxNamespaces) return 'full';
        offsets.set(namespace, (offsets.get(namespace) ?? 0) + ms);
      }
      return 'ok';
    },
    offset(namespace) {
      return globalOffset + (namespace === undefined ? 0 : (offsets.get(namespace) ?? 0));
    },
    reset(namespace) {
      if (namespace === undefined) {
        globalOffset = 0;
        offsets.clear();
      } else offsets.delete(namespace);
    },
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM:SS`, no zone, as in `meta.timestamp` of processed transactions (mock decision: UTC). */
export function transactionTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** `YYYY-MM-DDTHH:MM:SS`, no zone, as in the error envelope's `meta.timestamp` (mock decision: UTC). */
export function errorTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}
