/**
 * The bench's judgement (bench/lib/report.mjs): each target passes at its line and misses past
 * it, and a measurement that is missing is a miss, never a pass.
 */
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the bench, without types
import { TARGETS, targets } from '../../bench/lib/report.mjs';

interface Target {
  target: string;
  value: string;
  pass: boolean;
}
const judge = targets as (rows: object[], sustained: object | null, cold: object | null, cap: number) => Target[];
const LINES = TARGETS as { gatewayShare: number; scaleShare: number; coldStartRatio: number; p99Ms: number };

const row = (workload: string, rps: number, ratio: number | null, p99: number | null = 4) => ({
  workload,
  connections: 50,
  rps,
  p99,
  ratio: { rps: ratio },
});
const find = (list: Target[], start: string) => {
  const found = list.find((t) => t.target.startsWith(start));
  if (!found) throw new Error(`no target starting with '${start}'`);
  return found;
};

describe('bench targets', () => {
  it('holds the gateway to its share of the baseline, at the line and below it', () => {
    const at = (share: number | null) => find(judge([row('gateway', 30_000, share)], null, null, 150), 'gateway (documented');
    expect(at(LINES.gatewayShare).pass).toBe(true);
    expect(at(LINES.gatewayShare - 0.01).pass).toBe(false);
    expect(at(null).pass).toBe(false);
  });

  it('holds every row at 50 connections to the p99 line, and a row without a p99 misses', () => {
    const list = judge(
      [row('gateway', 1, 1, LINES.p99Ms), row('flow', 1, 1, LINES.p99Ms + 0.1), row('light', 1, 1, null)],
      null,
      null,
      150,
    );
    expect(find(list, 'gateway p99').pass).toBe(true);
    expect(find(list, 'flow p99').pass).toBe(false);
    expect(find(list, 'light p99').pass).toBe(false);
  });

  it('compares the scale run with the single-number run of the same bench', () => {
    const at = (scale: number) => find(judge([row('single', 30_000, 0.6), row('scale', scale, 0.5)], null, null, 150), '10,000 numbers');
    expect(at(30_000 * LINES.scaleShare).pass).toBe(true);
    expect(at(30_000 * LINES.scaleShare - 100).pass).toBe(false);
  });

  it("holds the cold start to a ratio of bare Fastify's in the same run, whatever the machine's speed", () => {
    const cold = (mock: number | null, baseline: number | null) =>
      find(
        judge([], null, { mock: { median: mock, runs: [1, 2, 3] }, baseline: { median: baseline, runs: [1, 2, 3] } }, 150),
        'cold start',
      );
    // The same ratio passes on a fast machine and a slow one: 500 ms is no line of its own.
    expect(cold(400, 180).pass).toBe(true);
    expect(cold(1_000, 450).pass).toBe(true);
    expect(cold(1_000, 450).value).toBe('1000 ms against 450 ms = x2.22');
    expect(cold(Math.ceil(180 * LINES.coldStartRatio) + 1, 180).pass).toBe(false);
    // A start that never answered, or a baseline that did not start, is a miss.
    expect(cold(null, 180).pass).toBe(false);
    expect(cold(400, null).pass).toBe(false);
  });

  it('holds the sustained run to its count, its drift and its memory', () => {
    const sustained = {
      requests: 1_000_000,
      seconds: 30,
      errors: 0,
      windowSeconds: 10,
      first10: 100,
      last10: 95,
      lastOverFirst: 0.95,
      rssMb: 190,
    };
    const ok = judge([], sustained, null, 150);
    expect(ok.every((t) => t.pass)).toBe(true);
    expect(find(judge([], { ...sustained, errors: 1 }, null, 150), 'sustained: >=').pass).toBe(false);
    expect(find(judge([], { ...sustained, lastOverFirst: 0.89 }, null, 150), 'sustained: last').pass).toBe(false);
    expect(find(judge([], { ...sustained, rssMb: 251 }, null, 150), 'sustained: peak RSS').pass).toBe(false);
  });
});
