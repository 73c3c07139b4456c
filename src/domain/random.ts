/**
 * The seeded generator behind chance in scenarios (a probability of failure, a latency drawn from
 * a range). One seed replays a run exactly: every namespace draws from its own stream, derived
 * from the seed and the namespace's name, so parallel tests in their own namespaces never shift
 * each other's sequences, and a reset of a namespace starts its stream over.
 *
 * mulberry32 (Tommy Ettinger's 32-bit generator): one 32-bit word of state, good enough
 * statistics for test doubles, and small enough to keep a stream per namespace. Not for secrets:
 * tokens and pins use node:crypto (otp.ts).
 */
import { randomInt } from 'node:crypto';

/** A draw in [0, 1). */
export type Random = () => number;

export const MAX_SEED = 0xffff_ffff;

/** One step of mulberry32: the next state and its output in [0, 1). */
export function mulberry32Step(state: number): { state: number; value: number } {
  const next = (state + 0x6d2b79f5) >>> 0;
  let t = next;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return { state: next, value: ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296 };
}

export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    const step = mulberry32Step(state);
    state = step.state;
    return step.value;
  };
}

/** FNV-1a over the UTF-16 units, mixed with a seed: the start state of a namespace's stream. */
export function streamState(seed: number, name: string): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** A fresh seed for a run that was not given one (shown, so the run can be replayed). */
export function randomSeed(): number {
  return randomInt(0, MAX_SEED);
}

/** True with probability `p` (0 never, 1 always, whatever is drawn). */
export function chance(random: Random, p: number): boolean {
  return p >= 1 || (p > 0 && random() < p);
}

/** A whole number from min to max, both included, uniformly. */
export function between(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/**
 * A whole number from a normal distribution (Box-Muller), clipped to [min, max]: latency that
 * clusters around a typical value with a tail, as a real network's does.
 */
export function normal(random: Random, mean: number, sd: number, min: number, max: number): number {
  const u = 1 - random(); // (0, 1]: log(0) would be infinite
  const v = random();
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  return Math.min(max, Math.max(min, Math.round(mean + sd * z)));
}

/** Streams kept at most; past it the least recently started is forgotten (and would start over). */
const MAX_STREAMS = 10_000;

/** One stream per namespace, all from one seed. */
export class RandomStreams {
  private readonly states = new Map<string, { state: number; draws: number }>();

  constructor(readonly seed: number) {}

  /** The generator of a namespace; its draws advance that namespace's stream only. */
  for(namespace: string): Random {
    return () => this.draw(namespace);
  }

  draw(namespace: string): number {
    let stream = this.states.get(namespace);
    if (!stream) {
      if (this.states.size >= MAX_STREAMS) {
        const oldest = this.states.keys().next().value;
        if (oldest !== undefined) this.states.delete(oldest);
      }
      stream = { state: streamState(this.seed, namespace), draws: 0 };
      this.states.set(namespace, stream);
    }
    const step = mulberry32Step(stream.state);
    stream.state = step.state;
    stream.draws++;
    return step.value;
  }

  /** How many numbers a namespace has drawn since its start or reset (the journal shows it). */
  draws(namespace: string): number {
    return this.states.get(namespace)?.draws ?? 0;
  }

  /** Starts a namespace's stream over (every stream without one). */
  reset(namespace?: string): void {
    if (namespace === undefined) this.states.clear();
    else this.states.delete(namespace);
  }
}
