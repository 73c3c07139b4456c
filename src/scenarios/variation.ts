/**
 * Scenarios with memory and chance. A scenario's `sequence` gives behaviours in turn, counted per
 * key (the phone number, the reference or the user) in each namespace; its `chance` replaces
 * fields with a probability. Both draw from the namespace's seeded stream (domain/random.ts), so
 * a run with the same seed and the same requests gets the same answers.
 *
 * Pure, but for `SequenceMemory`, which counts requests and is reset with the namespace.
 */
import { between, chance as hit, normal, type Random } from '../domain/random.js';
import type { Latency, Scenario, ScenarioChance, ScenarioStep, ScenarioTransport } from '../generated/scenario.js';
import type { Endpoint } from './select.js';

/** The request's own data a sequence may be counted by. */
export interface Subject {
  /** The number's match key (E.164 where readable, else its digits). */
  phone: string;
  user: string;
  reference: string | null;
}

/** A scenario as it applies to one request: its fields with the step and the chance applied. */
export interface Variant {
  scenario: Scenario;
  /** Milliseconds to wait before the answer, drawn now. */
  latencyMs: number;
  /** What memory and chance did, for the journal and the inbox ("step 1 of 2; chance 0.33: hit"); null when nothing. */
  note: string | null;
}

const MAX_LATENCY = 120_000;

/** Draws a latency: a fixed number, a uniform range or a clipped normal distribution. */
export function drawLatency(latency: Latency | undefined, random: Random): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return latency;
  if ('mean' in latency) return normal(random, latency.mean, latency.sd, latency.min ?? 0, latency.max ?? MAX_LATENCY);
  return between(random, latency.min, latency.max);
}

/** Transport fields merged: a fault and a response exclude each other, the newer one wins. */
function mergeTransport(base: ScenarioTransport | undefined, over: ScenarioTransport | undefined): ScenarioTransport | undefined {
  if (!over) return base;
  const merged: ScenarioTransport = { ...base, ...over };
  if (over.fault !== undefined) delete merged.response;
  if (over.response !== undefined) delete merged.fault;
  return merged;
}

/** The scenario with a step's or a chance's fields over its own, section by section. */
export function applyFields(base: Scenario, over: ScenarioStep | ScenarioChance): Scenario {
  const merged: Scenario = { ...base };
  if (over.number) merged.number = { ...base.number, ...over.number };
  if (over.delivery) merged.delivery = { ...base.delivery, ...over.delivery };
  if (over.otp) merged.otp = { ...base.otp, ...over.otp };
  const gateway = mergeTransport(base.gateway, over.gateway);
  if (gateway) merged.gateway = gateway;
  const cont = mergeTransport(base.continue, over.continue);
  if (cont) merged.continue = cont;
  return merged;
}

/** Whether fields change what an endpoint does: a chance is drawn only where it can matter. */
export function concerns(fields: ScenarioStep | ScenarioChance, endpoint: Endpoint): boolean {
  const otp = fields.otp ?? {};
  if (endpoint === 'gateway')
    return (
      fields.number !== undefined ||
      fields.delivery !== undefined ||
      fields.gateway !== undefined ||
      otp.pin !== undefined ||
      otp.ttlMs !== undefined ||
      otp.maxAttempts !== undefined ||
      otp.resend !== undefined
    );
  return fields.continue !== undefined || otp.entry !== undefined || otp.ttlMs !== undefined;
}

type Per = NonNullable<NonNullable<Scenario['sequence']>['per']>;

/** What a scenario's sequence is counted by for a request; null when it has no steps there. */
export function sequenceKey(scenario: Scenario, endpoint: Endpoint, subject: Subject): { id: string; per: Per; value: string } | null {
  const steps = scenario.sequence?.[endpoint];
  if (!steps) return null;
  const per = scenario.sequence?.per ?? 'phone';
  const value = per === 'phone' ? subject.phone : per === 'user' ? subject.user : (subject.reference ?? '');
  return { id: `${scenario.name}\u0000${endpoint}\u0000${value}`, per, value };
}

/** The step for the request at `position` (0-based) of the count, and its 1-based number. */
export function stepAt(
  scenario: Scenario,
  endpoint: Endpoint,
  position: number,
): { step: ScenarioStep; number: number; of: number } | null {
  const steps = scenario.sequence?.[endpoint];
  if (!steps) return null;
  const of = steps.length;
  const index = scenario.sequence?.repeat === true ? position % of : Math.min(position, of - 1);
  const step = steps[index];
  return step ? { step, number: index + 1, of } : null;
}

/**
 * The scenario as it applies to this request. `position` is the request's place in its
 * sequence (null without one). Draws happen in a fixed order (the step's chance, the scenario's
 * chance, the latency), each only when it can matter, so the same requests replay the same draws.
 */
export function vary(scenario: Scenario, endpoint: Endpoint, position: number | null, random: Random): Variant {
  let effective = scenario;
  const notes: string[] = [];
  const at = position === null ? null : stepAt(scenario, endpoint, position);
  if (at) {
    const { probability } = at.step;
    const applies = probability === undefined || hit(random, probability);
    if (applies) effective = applyFields(effective, at.step);
    notes.push(
      `${endpoint} step ${at.number} of ${at.of}${probability === undefined ? '' : ` (chance ${probability}: ${applies ? 'hit' : 'miss'})`}`,
    );
  }
  const odds = scenario.chance;
  if (odds && concerns(odds, endpoint)) {
    const applies = hit(random, odds.probability);
    if (applies) effective = applyFields(effective, odds);
    notes.push(`chance ${odds.probability}: ${applies ? 'hit' : 'miss'}`);
  }
  const latencyMs = drawLatency(effective[endpoint]?.latencyMs, random);
  return { scenario: effective, latencyMs, note: notes.length > 0 ? notes.join('; ') : null };
}

export interface SequencePosition {
  namespace: string;
  scenario: string;
  endpoint: Endpoint;
  per: Per;
  /** The phone number (its match key), the reference or the user. */
  key: string;
  /** Requests counted so far. */
  count: number;
  /** The 1-based step the next request gets. */
  nextStep: number;
  steps: number;
}

/** Entries kept per namespace at most; past it the oldest count is forgotten (it would start over). */
const MAX_KEYS_PER_NAMESPACE = 10_000;
const MAX_NAMESPACES = 10_000;

/** How far each key has gone in its scenario's sequence, per namespace. */
export class SequenceMemory {
  private readonly byNamespace = new Map<string, Map<string, { scenario: Scenario; endpoint: Endpoint; key: string; count: number }>>();

  /** How many requests of a key were counted (0 before the first). */
  count(namespace: string, scenario: Scenario, endpoint: Endpoint, subject: Subject): number {
    const key = sequenceKey(scenario, endpoint, subject);
    return key === null ? 0 : (this.byNamespace.get(namespace)?.get(key.id)?.count ?? 0);
  }

  /** The position of this request (0-based), counting it. */
  next(namespace: string, scenario: Scenario, endpoint: Endpoint, subject: Subject): number | null {
    const key = sequenceKey(scenario, endpoint, subject);
    if (key === null) return null;
    let counts = this.byNamespace.get(namespace);
    if (!counts) {
      if (this.byNamespace.size >= MAX_NAMESPACES) this.dropOldest(this.byNamespace);
      counts = new Map();
      this.byNamespace.set(namespace, counts);
    }
    let entry = counts.get(key.id);
    if (!entry) {
      if (counts.size >= MAX_KEYS_PER_NAMESPACE) this.dropOldest(counts);
      entry = { scenario, endpoint, key: key.value, count: 0 };
      counts.set(key.id, entry);
    }
    entry.scenario = scenario; // a reloaded file's steps apply from the current position
    return entry.count++;
  }

  private dropOldest(map: Map<string, unknown>): void {
    const oldest = map.keys().next().value;
    if (oldest !== undefined) map.delete(oldest);
  }

  positions(namespace?: string): SequencePosition[] {
    const out: SequencePosition[] = [];
    for (const [ns, counts] of this.byNamespace) {
      if (namespace !== undefined && ns !== namespace) continue;
      for (const entry of counts.values()) {
        const per = entry.scenario.sequence?.per ?? 'phone';
        const next = stepAt(entry.scenario, entry.endpoint, entry.count);
        out.push({
          namespace: ns,
          scenario: entry.scenario.name,
          endpoint: entry.endpoint,
          per,
          key: entry.key,
          count: entry.count,
          nextStep: next?.number ?? 1,
          steps: next?.of ?? 0,
        });
      }
    }
    return out;
  }

  reset(namespace?: string): void {
    if (namespace === undefined) this.byNamespace.clear();
    else this.byNamespace.delete(namespace);
  }
}
