/**
 * The provider states phonematch-mock understands: plain sentences a consumer pact names in
 * `given(...)`. Each one is set up by calling the simulator directly (a run-time scenario, a
 * seeded transaction, a refused account), never by sleeping or by driving the HTTP API.
 *
 * A brace in a sentence is a value. It is read from the state's name
 * (`the phone number 2015106000 is a mobile line`), or, when the name keeps the braces as written
 * (`the phone number {phone} is a {lineType} line`), from the state's Pact params. The name of any
 * loaded scenario is a state too: it activates that scenario for every request.
 *
 * No Pact import here: the `/__admin/states` route uses this module inside the server.
 */

import type { CallOutcome } from '../domain/dialer.js';
import { ISSUES, type Issue } from '../domain/identity.js';
import { LINE_TYPES, type LineType } from '../domain/phone.js';
import type { Scenario } from '../generated/scenario.js';
import { compileScenario, matchKey } from '../scenarios/loader.js';
import type { SeedService, Simulator } from '../simulator.js';

export type StateParams = Readonly<Record<string, unknown>>;
export type StateValues = Readonly<Record<string, string>>;

export interface StateDefinition {
  /** The exact wording, braces included. */
  readonly template: string;
  readonly description: string;
  /**
   * Whether the state is already true of the real PhoneMatch service with made-up values, so an
   * interaction needing it can run there without any set-up (`verify --real-service`).
   */
  readonly onRealService: boolean;
  /** Params read besides the braces. */
  readonly optionalParams?: readonly string[];
  /** Sets the state up; returns the values Pact may inject into the request (`fromProviderState`). */
  apply(simulator: Simulator, values: StateValues, params: StateParams): Record<string, string>;
}

/** A state the catalogue cannot set up: unknown, or missing or malformed values. */
export class ProviderStateError extends Error {
  override name = 'ProviderStateError';
  constructor(
    message: string,
    readonly known: readonly string[],
  ) {
    super(message);
  }
}

/** The runtime scenario that holds the facts provider states give about one number. */
function numberScenarioName(key: string): string {
  return `pact-state-${key.replace(/\D/g, '')}`;
}

/** Adds facts about a number to its run-time scenario (two states about one number both hold). */
function defineNumberFacts(
  simulator: Simulator,
  phone: string,
  facts: Pick<Scenario, 'number' | 'delivery' | 'identity'>,
  why: string,
): void {
  const key = matchKey(phone, simulator.phoneOptions);
  if (key === '') throw new ProviderStateError(`the phone number '${phone}' has no digits`, []);
  const name = numberScenarioName(key);
  const previous = simulator.scenarios.get(name)?.scenario;
  const scenario: Scenario = {
    name,
    description: `Provider state: ${why}`.slice(0, 200),
    match: { phone },
    number: { ...previous?.number, ...facts.number },
    ...(previous?.delivery || facts.delivery ? { delivery: { ...previous?.delivery, ...facts.delivery } } : {}),
    ...((facts.identity ?? previous?.identity) ? { identity: facts.identity ?? previous?.identity } : {}),
  };
  const compiled = compileScenario(scenario, 'provider-state', simulator.phoneOptions);
  if (typeof compiled === 'string') throw new ProviderStateError(`cannot set up '${why}': ${compiled}`, []);
  simulator.scenarios.define(compiled);
}

const SERVICES: readonly SeedService[] = [
  'PhoneMatch5.0.SMS',
  'PhoneMatch5.0.Call',
  'PhoneMatch5.0.Smart2FA.SMS',
  'PhoneMatch5.0.Smart2FA.Call',
];

/**
 * The person behind a number, for the identity services: a run-time scenario matched by the
 * number gives the identity step this verdict (Phone Verification at once, Smart 2FA after a right
 * code). The names are the interaction's wording; the number is what the mock matches on.
 */
function identityState(outcome: NonNullable<Scenario['identity']>['outcome'], template: string, description: string): StateDefinition {
  return {
    template,
    description,
    onRealService: false,
    apply(simulator, values) {
      const { fn = '', ln = '', phone = '', issues } = values;
      const identity: NonNullable<Scenario['identity']> = { outcome };
      if (issues !== undefined) {
        const listed = issues.split(/\s*,\s*/);
        const unknown = listed.filter((issue) => !ISSUES.includes(issue as Issue));
        if (unknown.length > 0) throw new ProviderStateError(`unknown issue(s) ${unknown.join(', ')}; known: ${ISSUES.join(', ')}`, []);
        identity.issues = [...new Set(listed as Issue[])] as NonNullable<typeof identity.issues>;
      }
      const why = template.replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
      defineNumberFacts(simulator, phone, { identity }, why);
      return { fn, ln, phone, ...(issues !== undefined ? { issues } : {}) };
    },
  };
}

function optionalString(params: StateParams, name: string): string | undefined {
  const value = params[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number')
    throw new ProviderStateError(`the param '${name}' must be a string or a number`, []);
  return String(value);
}

const CALL_OUTCOMES: readonly CallOutcome[] = ['delivered', 'no-answer', 'busy', 'failed'];

function seedCall(simulator: Simulator, phone: string, token: string, status: 'in-progress' | CallOutcome, params: StateParams): void {
  if (token.length > 256) throw new ProviderStateError('the token is longer than 256 characters', []);
  const user = optionalString(params, 'user');
  const reference = optionalString(params, 'reference');
  simulator.seedCall({ phone, token, status, ...(user !== undefined ? { user } : {}), ...(reference !== undefined ? { reference } : {}) });
}

export const STATE_CATALOGUE: readonly StateDefinition[] = [
  {
    template: 'the service is available',
    description: 'Nothing to set up: the mock answers as the real service does by default.',
    onRealService: true,
    apply: () => ({}),
  },
  {
    template: 'the phone number {phone} is a {lineType} line',
    description: 'The number is valid and of this line type (mobile, landline or voip).',
    onRealService: false,
    apply(simulator, { phone = '', lineType = '' }) {
      if (!LINE_TYPES.includes(lineType as LineType))
        throw new ProviderStateError(`the line type must be one of ${LINE_TYPES.join(', ')}, got '${lineType}'`, []);
      defineNumberFacts(
        simulator,
        phone,
        { number: { valid: true, lineType: lineType as LineType } },
        `the phone number ${phone} is a ${lineType} line`,
      );
      return { phone, lineType };
    },
  },
  {
    template: 'the phone number {phone} is invalid',
    description: 'The number is invalid: FAIL / DATA CHECK FAILED, nothing is sent.',
    // A number that no numbering plan allows is invalid on the real service too.
    onRealService: true,
    apply(simulator, { phone = '' }) {
      defineNumberFacts(simulator, phone, { number: { valid: false } }, `the phone number ${phone} is invalid`);
      return { phone };
    },
  },
  {
    template: 'delivery to {phone} fails',
    description: 'The number is valid but the code never arrives: FAIL / FAILED TO SEND TO NUMBER.',
    onRealService: false,
    apply(simulator, { phone = '' }) {
      defineNumberFacts(simulator, phone, { number: { valid: true }, delivery: { fail: true } }, `delivery to ${phone} fails`);
      return { phone };
    },
  },
  {
    template: 'a code {pin} was sent to {phone} with token {token}',
    description: 'A PENDING transaction exists for this token and pin (params user, reference, service fill its meta).',
    onRealService: false,
    optionalParams: ['user', 'reference', 'service'],
    apply(simulator, { pin = '', phone = '', token = '' }, params) {
      if (token.length > 256) throw new ProviderStateError('the token is longer than 256 characters', []);
      const service = optionalString(params, 'service');
      if (service !== undefined && !SERVICES.includes(service as SeedService))
        throw new ProviderStateError(`the param 'service' must be one of ${SERVICES.join(', ')}`, []);
      const user = optionalString(params, 'user');
      const reference = optionalString(params, 'reference');
      simulator.seedTransaction({
        phone,
        pin,
        token,
        ...(user !== undefined ? { user } : {}),
        ...(reference !== undefined ? { reference } : {}),
        ...(service !== undefined ? { service: service as SeedService } : {}),
      });
      return { pin, phone, token };
    },
  },
  identityState(
    'deceased',
    'the person {fn} {ln} with phone {phone} is deceased',
    'The identity services answer FAIL / TARGET IS DECEASED for this number.',
  ),
  identityState('no-match', 'no person {fn} {ln} has the phone {phone}', 'The identity services answer FAIL / NO MATCH for this number.'),
  identityState(
    'review',
    'the person {fn} {ln} with phone {phone} needs review for {issues}',
    'The identity services answer REVIEW with these issues (comma-separated, e.g. ADDRESS CHECK FAILED, SSN CHECK FAILED) for this number.',
  ),
  {
    template: 'a call to {phone} with token {token} is in progress',
    description: 'A Dialer call is under way for this token: its status requests answer PENDING (params user, reference fill its meta).',
    onRealService: false,
    optionalParams: ['user', 'reference'],
    apply(simulator, { phone = '', token = '' }, params) {
      seedCall(simulator, phone, token, 'in-progress', params);
      return { phone, token };
    },
  },
  {
    template: 'a call to {phone} with token {token} ended {outcome}',
    description: `A Dialer call for this token has ended: ${CALL_OUTCOMES.join(', ')} (delivered: PASS; the others: FAIL / FAILED TO SEND TO NUMBER).`,
    onRealService: false,
    optionalParams: ['user', 'reference'],
    apply(simulator, { phone = '', token = '', outcome = '' }, params) {
      if (!CALL_OUTCOMES.includes(outcome as CallOutcome))
        throw new ProviderStateError(`the outcome must be one of ${CALL_OUTCOMES.join(', ')}, got '${outcome}'`, []);
      seedCall(simulator, phone, token, outcome as CallOutcome, params);
      return { phone, token, outcome };
    },
  },
  {
    template: 'the token {token} has expired',
    description: 'The token belongs to a transaction whose time ran out: the continue request gets QRY6 / Token Bad or Expired.',
    // A made-up token is unknown to the real service, which answers it as bad or expired.
    onRealService: true,
    apply(simulator, { token = '' }) {
      if (!simulator.expireToken(token)) simulator.seedTransaction({ phone: '2015106000', pin: '000000', token, ttlMs: 0 });
      return { token };
    },
  },
  {
    template: 'the account {user} does not exist',
    description: 'The gateway refuses this user name: AUTH0 / Bad Login.',
    // A made-up user name is unknown to the real service.
    onRealService: true,
    apply(simulator, { user = '' }) {
      simulator.accounts.refuse(user);
      return { user };
    },
  },
  {
    template: 'the account {user} is not active',
    description: 'The credentials are right but the account is inactive: HTTP 403 User Not Active.',
    onRealService: false,
    apply(simulator, { user = '' }) {
      if (user === '') throw new ProviderStateError('the user name is empty', []);
      simulator.accounts.deactivate(user);
      return { user };
    },
  },
];

interface CompiledTemplate {
  definition: StateDefinition;
  pattern: RegExp;
  names: string[];
}

const COMPILED: readonly CompiledTemplate[] = STATE_CATALOGUE.map((definition) => {
  const names: string[] = [];
  const source = definition.template
    .split(/(\{\w+\})/)
    .map((part) => {
      const brace = /^\{(\w+)\}$/.exec(part);
      if (!brace?.[1]) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(brace[1]);
      return '(.+?)';
    })
    .join('');
  return { definition, pattern: new RegExp(`^${source}$`), names };
});

export type ResolvedState = { kind: 'catalogue'; definition: StateDefinition; values: StateValues } | { kind: 'scenario'; name: string };

/** Every state sentence the mock knows: the catalogue's wording, then the loaded scenarios' names. */
export function knownStates(scenarioNames: readonly string[] = []): string[] {
  return [...STATE_CATALOGUE.map((d) => d.template), ...scenarioNames];
}

/** Which catalogue entry (or scenario) a state names, with its values; undefined when none does. */
export function matchState(state: string, scenarioNames: readonly string[] = []): ResolvedState | undefined {
  const trimmed = state.trim();
  for (const { definition, pattern, names } of COMPILED) {
    const m = pattern.exec(trimmed);
    if (m) return { kind: 'catalogue', definition, values: Object.fromEntries(names.map((n, i) => [n, m[i + 1] ?? ''])) };
  }
  return scenarioNames.includes(trimmed) ? { kind: 'scenario', name: trimmed } : undefined;
}

/** The values of a matched state: each brace from the name, else (left as `{name}`) from the params. */
export function fillValues(state: string, values: StateValues, params: StateParams, known: readonly string[]): Record<string, string> {
  const filled: Record<string, string> = {};
  for (const [name, fromName] of Object.entries(values)) {
    if (fromName !== `{${name}}`) {
      filled[name] = fromName.trim();
      continue;
    }
    const param = params[name];
    if (typeof param !== 'string' && typeof param !== 'number')
      throw new ProviderStateError(`the state '${state}' needs the param '${name}' (a string or a number)`, known);
    filled[name] = String(param).trim();
  }
  for (const [name, value] of Object.entries(filled)) {
    if (value === '') throw new ProviderStateError(`the state '${state}' has an empty '${name}'`, known);
  }
  return filled;
}

function unknownState(state: string, known: readonly string[]): ProviderStateError {
  return new ProviderStateError(
    `phonematch-mock has no provider state '${state}'. Known states:\n${known.map((k) => `  - ${k}`).join('\n')}`,
    known,
  );
}

/** Sets one state up on a simulator; throws `ProviderStateError` for an unknown or incomplete one. */
export function applyState(simulator: Simulator, state: string, params: StateParams = {}): Record<string, string> {
  const scenarioNames = simulator.scenarios.list().map((s) => s.scenario.name);
  const known = knownStates(scenarioNames);
  const resolved = matchState(state, scenarioNames);
  if (!resolved) throw unknownState(state, known);
  if (resolved.kind === 'scenario') {
    simulator.scenarios.activate(resolved.name);
    return { scenario: resolved.name };
  }
  const values = fillValues(state, resolved.values, params, known);
  try {
    return resolved.definition.apply(simulator, values, params);
  } catch (error) {
    if (error instanceof ProviderStateError) throw new ProviderStateError(`${state}: ${error.message}`, known);
    throw error;
  }
}

export type StateAction = 'setup' | 'teardown';

/**
 * Pact's state-change protocol for one simulator. Pact sets up every state of an interaction,
 * sends the request, then tears every state down. The simulator is reset before the first
 * set-up and after the last tear-down, so no interaction sees what another one left behind and
 * two states of one interaction (a number's line type and a seeded code) add up.
 */
export class ProviderStates {
  private open = 0;

  constructor(private readonly simulator: Simulator) {}

  change(action: StateAction, state: string, params: StateParams = {}): Record<string, string> {
    if (action === 'teardown') {
      this.open = Math.max(0, this.open - 1);
      if (this.open === 0) this.simulator.reset();
      return {};
    }
    // An unknown state is refused before the reset, so a bad set-up call leaves the mock as it was.
    const scenarioNames = this.simulator.scenarios.list().map((s) => s.scenario.name);
    if (!matchState(state, scenarioNames)) throw unknownState(state, knownStates(scenarioNames));
    if (this.open === 0) this.simulator.reset();
    const values = applyState(this.simulator, state, params);
    // Counted only once set up: a state that failed is not torn down by every Pact implementation.
    this.open += 1;
    return values;
  }
}
