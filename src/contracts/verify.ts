/**
 * Verifies consumer pacts against phonematch-mock (started here on a free port, or already
 * running at a URL) or against the real PhoneMatch service, with Pact's own `Verifier`.
 *
 * Pact only warns about a provider state it has no handler for, and the interaction then runs
 * against whatever the provider happens to hold. So every state of every pact is checked against
 * the catalogue first, and an unknown one fails the run with the list of known states.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Verifier, type VerifierOptions } from '@pact-foundation/pact';
import type { StateHandlers } from '@pact-foundation/pact/src/dsl/verifier/proxy/types.js';
import { type MockConfig, resolveConfig } from '../config.js';
import { loadScenarioDirs } from '../scenarios/loader.js';
import { listen, type RunningServer } from '../server.js';
import type { Simulator } from '../simulator.js';
import { expandPactPaths, type PactFile, PactFileError, type PactInteraction, readPactFile } from './pact-files.js';
import { fillValues, knownStates, matchState, ProviderStateError, ProviderStates, STATE_CATALOGUE, type StateAction } from './states.js';

export type VerifyLogLevel = 'error' | 'warn' | 'info' | 'debug' | 'trace';

export interface VerifyOptions {
  /** Pact files, or folders of them. */
  pacts: readonly string[];
  /** A running phonematch-mock, or (with `realService`) the real service. Without it a mock is started on a free port. */
  providerBaseUrl?: string;
  /** Verify only the pacts of this provider; also the name in Pact's report (default: the pacts' own). */
  provider?: string;
  /**
   * The URL is the real PhoneMatch service: no state can be set up there, so only the
   * interactions whose states already hold on it run; the others are reported as skipped.
   */
  realService?: boolean;
  /** Replace `user` and `pass` in every request body that has them (real credentials for a drift check). */
  credentials?: { user: string; pass: string };
  /** The admin token of a running mock (for `/__admin/states`). */
  adminToken?: string;
  /** Configuration of the mock started here. */
  mockConfig?: Partial<MockConfig>;
  /** Pact's own log level (default `warn`). */
  logLevel?: VerifyLogLevel;
  /** Where this module's lines go (Pact's report goes to stdout). Default `console.log`. */
  print?: (line: string) => void;
}

export interface VerifyFailure {
  interaction: string;
  reason: string;
}

export interface VerifyResult {
  passed: boolean;
  /** Interactions sent to the verifier. */
  verified: number;
  skipped: { file: string; interaction: string; reason: string }[];
  unknownStates: { file: string; interaction: string; state: string; reason: string }[];
  failures: VerifyFailure[];
  knownStates: string[];
}

interface StateTarget {
  change(action: StateAction, state: string, params: Record<string, unknown>): Promise<Record<string, string>>;
  scenarioNames(): Promise<string[]>;
}

function localTarget(simulator: Simulator): StateTarget {
  const states = new ProviderStates(simulator);
  return {
    change: async (action, state, params) => states.change(action, state, params),
    scenarioNames: async () => simulator.scenarios.list().map((s) => s.scenario.name),
  };
}

function remoteTarget(baseUrl: string, adminToken: string | undefined): StateTarget {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(adminToken ? { 'x-admin-token': adminToken } : {}) };
  const url = (path: string) => `${baseUrl.replace(/\/+$/, '')}${path}`;
  return {
    async change(action, state, params) {
      const res = await fetch(url('/__admin/states'), { method: 'POST', headers, body: JSON.stringify({ state, params, action }) });
      const body = (await res.json().catch(() => null)) as { values?: Record<string, string>; error?: { detail?: string } } | null;
      if (!res.ok) throw new Error(`POST /__admin/states answered ${res.status}: ${body?.error?.detail ?? 'no detail'}`);
      return body?.values ?? {};
    },
    async scenarioNames() {
      let res: Response;
      try {
        res = await fetch(url('/__admin/scenarios'), { headers });
      } catch (error) {
        throw new ProviderStateError(`cannot reach ${baseUrl}: ${(error as Error).message}`, []);
      }
      if (res.status === 401)
        throw new ProviderStateError(
          `the phonematch-mock at ${baseUrl} requires its admin token: pass --admin-token (PHONEMATCH_ADMIN_TOKEN)`,
          [],
        );
      if (!res.ok)
        throw new ProviderStateError(
          `${baseUrl} does not look like phonematch-mock (GET /__admin/scenarios answered ${res.status}). For the real PhoneMatch service use --real-service.`,
          [],
        );
      const body = (await res.json()) as { scenarios?: { name: string }[] };
      return (body.scenarios ?? []).map((s) => s.name);
    },
  };
}

function localScenarioNames(partial: Partial<MockConfig> = {}): string[] {
  const config = resolveConfig(partial);
  if (!config.scenarios) return [];
  const options = { defaultRegion: config.defaultRegion, ambiguousLineType: config.ambiguousLineType };
  return loadScenarioDirs(config.scenarios, options).scenarios.map((s) => s.scenario.name);
}

/** A catch-all `stateHandlers`: Pact looks a handler up by the state's name, and hands it only the params. */
function catchAllHandlers(target: StateTarget): VerifierOptions['stateHandlers'] {
  const handlers = new Proxy({} as StateHandlers, {
    get(_, key) {
      // verifyProvider serialises its options: look like a plain object to JSON.stringify and to await.
      if (typeof key !== 'string' || key === 'toJSON' || key === 'then') return undefined;
      // Pact asks for the state '' before an interaction that has none: nothing to set up, and
      // nothing to report (an error here prints a 30-line block on runs that pass).
      if (key === '') return { setup: async () => undefined, teardown: async () => undefined };
      return {
        setup: async (params?: unknown) => {
          await target.change('setup', key, toParams(params));
          // Pact would inject returned values into the request only where the pact asks with
          // `fromProviderState`; returning nothing keeps requests exactly as written.
          return undefined;
        },
        teardown: async (params?: unknown) => {
          await target.change('teardown', key, toParams(params));
          return undefined;
        },
      };
    },
    has: (_, key) => typeof key === 'string' && key !== 'toJSON' && key !== 'then',
  });
  return handlers as VerifierOptions['stateHandlers'];
}

/** Pact `stateHandlers` that set the catalogue's states up on an in-process simulator. */
export function providerStateHandlers(simulator: Simulator): VerifierOptions['stateHandlers'] {
  return catchAllHandlers(localTarget(simulator));
}

function toParams(params: unknown): Record<string, unknown> {
  return params !== null && typeof params === 'object' && !Array.isArray(params) ? (params as Record<string, unknown>) : {};
}

/** Express middleware for Pact's proxy: real credentials in every body that carries `user` and `pass`. */
function credentialFilter(credentials: { user: string; pass: string }, keep: ReadonlySet<string>): VerifierOptions['requestFilter'] {
  const filter = (req: { body?: unknown; headers: Record<string, unknown> }, _res: unknown, next: () => void) => {
    const body = req.body as Record<string, unknown> | undefined;
    if (body && typeof body === 'object' && !Buffer.isBuffer(body) && typeof body.user === 'string' && typeof body.pass === 'string') {
      // A user a state says does not exist stays as written: its bad login is what is being checked.
      if (!keep.has(body.user)) {
        body.user = credentials.user;
        body.pass = credentials.pass;
        req.headers['content-length'] = String(Buffer.byteLength(JSON.stringify(body)));
      }
    }
    next();
  };
  return filter as unknown as VerifierOptions['requestFilter'];
}

interface CoreResult {
  result?: boolean;
  errors?: {
    interaction?: string;
    mismatch?: { type?: string; message?: string; mismatches?: { mismatch?: string; path?: string; type?: string }[] };
  }[];
}

function parseCoreOutput(text: string): CoreResult | undefined {
  try {
    return JSON.parse(text) as CoreResult;
  } catch {
    return undefined;
  }
}

function failuresOf(core: CoreResult | undefined, fallback: string): VerifyFailure[] {
  const errors = core?.errors ?? [];
  if (errors.length === 0) return [{ interaction: '(the run)', reason: fallback }];
  return errors.map((e) => {
    const mismatches = (e.mismatch?.mismatches ?? []).map((m) =>
      m.path && m.path !== '$' ? `${m.path}: ${m.mismatch ?? m.type}` : (m.mismatch ?? m.type ?? 'mismatch'),
    );
    const reason = mismatches.length > 0 ? mismatches.join('; ') : (e.mismatch?.message ?? e.mismatch?.type ?? 'failed');
    return { interaction: e.interaction ?? '(unknown interaction)', reason };
  });
}

export async function verifyPacts(options: VerifyOptions): Promise<VerifyResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const pacts = expandPactPaths(options.pacts)
    .map(readPactFile)
    .filter((pact) => options.provider === undefined || pact.provider === options.provider);
  if (pacts.length === 0) throw new PactFileError(`no pact file for the provider '${options.provider}' in ${options.pacts.join(', ')}`);

  let server: RunningServer | undefined;
  let tempDir: string | undefined;
  try {
    let target: StateTarget | undefined;
    let baseUrl = options.providerBaseUrl;
    if (baseUrl === undefined) {
      server = await listen({ logLevel: 'error', watchScenarios: false, ...options.mockConfig, host: '127.0.0.1', port: 0 });
      baseUrl = server.url;
      target = localTarget(server.app.simulator);
    } else if (!options.realService) {
      target = remoteTarget(baseUrl, options.adminToken);
    }
    // On the real service no scenario can be activated, but naming one is still no unknown state.
    const scenarioNames = target ? await target.scenarioNames() : localScenarioNames(options.mockConfig);
    const known = knownStates(scenarioNames);

    const result: VerifyResult = { passed: false, verified: 0, skipped: [], unknownStates: [], failures: [], knownStates: known };
    const refusedUsers = new Set<string>();
    const kept: { pact: PactFile; interactions: PactInteraction[] }[] = [];
    for (const pact of pacts) {
      const interactions: PactInteraction[] = [];
      for (const interaction of pact.interactions) {
        let runnable = true;
        for (const state of interaction.states) {
          const resolved = matchState(state.name, scenarioNames);
          const where = { file: pact.file, interaction: interaction.description, state: state.name };
          if (!resolved) {
            result.unknownStates.push({ ...where, reason: 'not in the catalogue' });
            continue;
          }
          if (resolved.kind === 'scenario') {
            if (options.realService) runnable = false;
            continue;
          }
          try {
            const values = fillValues(state.name, resolved.values, state.params, known);
            if (resolved.definition.template === 'the account {user} does not exist' && values.user) refusedUsers.add(values.user);
          } catch (error) {
            result.unknownStates.push({ ...where, reason: (error as Error).message });
          }
          if (options.realService && !resolved.definition.onRealService) runnable = false;
        }
        if (runnable) interactions.push(interaction);
        else
          result.skipped.push({
            file: pact.file,
            interaction: interaction.description,
            reason: 'its provider state cannot be set up on the real service',
          });
      }
      if (interactions.length > 0) kept.push({ pact, interactions });
    }

    if (result.unknownStates.length > 0) {
      print('phonematch-mock verify: these provider states cannot be set up (nothing was verified):');
      for (const u of result.unknownStates) print(`  - "${u.state}" (${basename(u.file)}: ${u.interaction}): ${u.reason}`);
      print('Known provider states (a brace is a value, written in the state name or given as a param of that name):');
      for (const definition of STATE_CATALOGUE) print(`  - ${definition.template}`);
      if (scenarioNames.length > 0) print(`  - or the name of a loaded scenario, to activate it: ${scenarioNames.join(', ')}`);
      return result;
    }
    for (const s of result.skipped) print(`  skipped: ${basename(s.file)}: ${s.interaction} (${s.reason})`);
    result.verified = kept.reduce((n, k) => n + k.interactions.length, 0);
    if (result.verified === 0) {
      print('phonematch-mock verify: no interaction to verify (none given, or every one needs a state that cannot be set up here).');
      return result;
    }

    // With some interactions skipped, the verifier gets filtered copies of the pacts.
    let pactUrls = kept.map((k) => k.pact.file);
    if (result.skipped.length > 0) {
      tempDir = mkdtempSync(join(tmpdir(), 'phonematch-verify-'));
      const dir = tempDir;
      pactUrls = kept.map(({ pact, interactions }, i) => {
        const file = join(dir, `${i}-${basename(pact.file)}`);
        writeFileSync(file, JSON.stringify({ ...pact.raw, interactions: interactions.map((x) => x.raw) }));
        return file;
      });
    }

    const verifier = new Verifier({
      provider: options.provider ?? pacts[0]?.provider ?? 'PhoneMatch',
      providerBaseUrl: baseUrl,
      pactUrls,
      logLevel: options.logLevel ?? 'warn',
      ...(target
        ? { stateHandlers: catchAllHandlers(target) }
        : // The real service: states need no set-up; no-op handlers keep Pact from warning about each.
          { stateHandlers: catchAllHandlers({ change: async () => ({}), scenarioNames: async () => [] }) }),
      ...(options.credentials ? { requestFilter: credentialFilter(options.credentials, refusedUsers) } : {}),
    });
    let core: CoreResult | undefined;
    let fallback = '';
    try {
      core = parseCoreOutput(await verifier.verifyProvider());
    } catch (error) {
      fallback = (error as Error).message;
      core = parseCoreOutput(fallback) ?? { result: false };
    }
    result.passed = core?.result === true;
    if (!result.passed) result.failures = failuresOf(core, fallback || 'the verifier reported a failure');
    if (result.passed) print(`phonematch-mock verify: all ${result.verified} interaction(s) passed against ${baseUrl}.`);
    else {
      print(`phonematch-mock verify: ${result.failures.length} interaction(s) of ${result.verified} failed against ${baseUrl}:`);
      for (const f of result.failures) print(`  - ${f.interaction}: ${f.reason}`);
    }
    return result;
  } finally {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    if (server) await server.app.close();
  }
}
