/**
 * How far V8 lets the heap of the `phonematch-mock` process grow past what survives a collection.
 *
 * Why: under load V8 lets the old generation grow to up to four times what is alive before it
 * collects again. The mock keeps a bounded store (20,000 transactions, 5,000 messages and journal
 * entries: about 35 MB alive), so at four times, a sustained load test held 245–252 MB of RSS, at
 * the edge of its 250 MB target. At three times it holds 209–215 MB, at the same throughput
 * (alternating runs of the documented gateway request, docs/performance.md); at two times it held
 * 176 MB but lost 10% of its throughput.
 *
 * Only the command sets it: it owns its process. A test runner that embeds the mock (`startMock`)
 * keeps its own V8 settings, and so does anyone who starts the command with their own
 * `--heap-growing-percent` (on the command line or in `NODE_OPTIONS`).
 */
import { setFlagsFromString } from 'node:v8';

/** mock decision: the old generation grows to at most three times what survived (V8's own ceiling is four). */
export const HEAP_GROWING_PERCENT = 200;

/** The V8 flag to set, or null when the process was started with its own. */
export function heapGrowingFlag(execArgv: readonly string[], nodeOptions: string | undefined): string | null {
  const given = [...execArgv, ...(nodeOptions ?? '').split(/\s+/)].some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg));
  return given ? null : `--heap-growing-percent=${HEAP_GROWING_PERCENT}`;
}

/** Sets the flag for this process (see above); returns what it set, or null. */
export function boundHeapGrowth(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS): string | null {
  const flag = heapGrowingFlag(execArgv, nodeOptions);
  if (flag !== null) setFlagsFromString(flag);
  return flag;
}
