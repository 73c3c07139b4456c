/**
 * The mock's clock: real time plus offsets that tests move forward through the control API, so
 * an expiry test takes milliseconds instead of ten minutes. A namespace may have its own offset
 * on top of the global one, so one parallel test advancing time does not expire another's tokens.
 */
export interface Clock {
  now(namespace?: string): number;
  advance(ms: number, namespace?: string): void;
  offset(namespace?: string): number;
  reset(namespace?: string): void;
}

export function createClock(source: () => number = Date.now): Clock {
  let globalOffset = 0;
  const offsets = new Map<string, number>();
  return {
    now(namespace) {
      const extra = namespace === undefined ? 0 : (offsets.get(namespace) ?? 0);
      return source() + globalOffset + extra;
    },
    advance(ms, namespace) {
      if (namespace === undefined) globalOffset += ms;
      else offsets.set(namespace, (offsets.get(namespace) ?? 0) + ms);
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
