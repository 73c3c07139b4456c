/**
 * The programmatic API for test runners: `startMock()` starts a listening simulator and hands back
 * its URL with typed helpers over the control API; `connectMock(url)` gives the same helpers for a
 * mock started elsewhere (by a vitest `globalSetup`, whose tests run in other workers, or by the CLI).
 *
 * The helpers speak HTTP to `/__admin` even in-process: one implementation serves both cases, and
 * what a test does is exactly what a person could do with curl.
 */
import type { FastifyInstance } from 'fastify';
import createClient from 'openapi-fetch';
import type { BuildOptions } from './app.js';
import { configFromOptions, type MockOptions } from './cli-options.js';
import { createPhoneMatchClient, type PhoneMatchClient, type PhoneMatchClientOptions } from './client/index.js';
import type { components, paths } from './generated/admin.js';
import { listen } from './server.js';
import type { Simulator } from './simulator.js';

export type MockMessage = components['schemas']['Message'];
export type MockTransaction = components['schemas']['Transaction'];
export type MockScenarioList = components['schemas']['ScenarioList'];
export type MockActivation = MockScenarioList['active'][number];
export type MockRequest = components['schemas']['JournalEntry'];

/** The control API refused a call; `code` and `detail` are those of its error envelope. */
export class MockControlError extends Error {
  override name = 'MockControlError';
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
  ) {
    super(`phonematch-mock control API: HTTP ${status} ${code}: ${detail}`);
  }
}

export interface NamespaceOption {
  /** Only this namespace (the `x-phonematch-namespace` header, else the API user, of the gateway request). */
  namespace?: string;
}

export interface WaitOptions extends NamespaceOption {
  /** How long to wait for the message (default 3000 ms: below the 5 s of vitest's and Jest's test timeouts, so this error shows, not theirs). */
  timeoutMs?: number;
  /** Only a message with a greater id, e.g. the id of the previous message to the same phone. */
  after?: number;
}

export interface MessageQuery extends NamespaceOption {
  phone?: string;
  limit?: number;
}

export interface RequestQuery extends NamespaceOption {
  endpoint?: 'gateway' | 'continue';
  /** The HTTP status answered (0: the connection was broken on purpose). */
  status?: number;
  /** The scenario that decided the answer. */
  scenario?: string;
  limit?: number;
}

export interface MockControl {
  /** The base URL to give the app under test, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The namespace every helper of this handle is bound to (`scoped`), or undefined for all. */
  readonly namespace: string | undefined;
  /**
   * The same helpers bound to one namespace: what they list, wait for, reset, activate or move
   * is that namespace's only. Give each test file its own, and the same name to the app under
   * test (the `x-phonematch-namespace` header, or its API user), and parallel test files cannot
   * see or reset each other's codes.
   */
  scoped(namespace: string): MockControl;
  /** A typed PhoneMatch client of this mock, carrying this handle's namespace. */
  client(options?: Partial<Omit<PhoneMatchClientOptions, 'baseUrl'>>): PhoneMatchClient;
  /** What the app sent: the journal of PhoneMatch requests the mock answered, like WireMock's verify. */
  requests: {
    /** Requests answered, newest first. */
    list(query?: RequestQuery): Promise<MockRequest[]>;
    /** How many requests match (not cut by a limit). */
    count(query?: Omit<RequestQuery, 'limit'>): Promise<number>;
  };
  messages: {
    /** Captured messages, newest first. */
    list(query?: MessageQuery): Promise<MockMessage[]>;
    /** Waits for the newest message to a phone (long-poll, no sleeping); rejects when none comes in time. */
    waitFor(phone: string, options?: WaitOptions): Promise<MockMessage>;
    /** The pin of that message (rejects when it is a Dialer call, which carries none). */
    waitForCode(phone: string, options?: WaitOptions): Promise<string>;
  };
  transactions: {
    list(query?: MessageQuery): Promise<MockTransaction[]>;
    /** The transaction of a token; undefined when the mock does not know it. */
    get(token: string): Promise<MockTransaction | undefined>;
  };
  scenarios: {
    list(): Promise<MockScenarioList>;
    /** Makes a scenario decide every request of the namespace (of all namespaces without one). */
    use(name: string, options?: NamespaceOption): Promise<MockActivation[]>;
    /** Deactivates the scenario of the namespace (or the one for all). */
    clear(options?: NamespaceOption): Promise<MockActivation[]>;
  };
  clock: {
    /** Moves the mock's clock forward; returns its new time (ms since the epoch). */
    advance(ms: number, options?: NamespaceOption): Promise<number>;
    now(options?: NamespaceOption): Promise<number>;
  };
  /** Forgets transactions, messages, journal, activations and clock offsets (of one namespace). */
  reset(options?: NamespaceOption): Promise<void>;
}

export interface ConnectOptions {
  /** The mock's admin token, when it was started with one. */
  adminToken?: string | null;
  /** Binds every helper to this namespace (as `scoped(namespace)` does). */
  namespace?: string;
  /** A fetch of your own (a recording one, a proxy-aware one); the global fetch otherwise. */
  fetch?: typeof fetch;
}

// Below the 5 s test timeout of vitest and Jest: a missing code reports itself (what did arrive)
// rather than the runner's bare "Test timed out".
export const DEFAULT_WAIT_MS = 3000;
/** The long-poll's own ceiling (admin-openapi.yaml): a longer wait is made of several. */
const MAX_POLL_MS = 60_000;

/** A message in one line, for the error of a wait that found none. */
function describeMessage(m: MockMessage): string {
  return `#${m.id} at ${m.createdAt} (pin ${m.pin}, namespace "${m.namespace}")`;
}

/** Helpers over the control API of a mock listening at `url`. */
export function connectMock(url: string, options: ConnectOptions = {}): MockControl {
  const base = url.replace(/\/+$/, '');
  const bound = options.namespace;
  const client = createClient<paths>({
    baseUrl: base,
    ...(options.adminToken ? { headers: { 'x-admin-token': options.adminToken } } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  /** The namespace of a call: its own, else the handle's. */
  const ns = (given?: NamespaceOption) => given?.namespace ?? bound;

  const fail = (error: unknown, response: Response): never => {
    const envelope = (error as { error?: { code?: string; detail?: string } } | undefined)?.error;
    throw new MockControlError(response.status, envelope?.code ?? 'HTTP', envelope?.detail ?? response.statusText);
  };
  // Every call: the data when it succeeded, else the error envelope as an exception.
  async function call<T>(pending: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
    const { data, error, response } = await pending;
    return data !== undefined && response.ok ? data : fail(error, response);
  }
  const messagesOf = async (query: MessageQuery) => (await call(client.GET('/__admin/messages', { params: { query } }))).messages;
  const listMessages = (query: MessageQuery = {}) => messagesOf({ ...query, namespace: ns(query) });

  /** Why a wait found nothing: what did arrive for that number, in its namespace and in others. */
  const timedOut = async (phone: string, namespace: string | undefined, after: number | undefined, timeoutMs: number) => {
    const where = namespace === undefined ? '' : ` in namespace "${namespace}"`;
    const lines = [`no message to ${phone}${where}${after ? ` after #${after}` : ''} arrived within ${timeoutMs} ms.`];
    // Every namespace's: a code the app sent under another name is the commonest cause.
    const seen = await messagesOf({ phone, limit: 20 }).catch((): MockMessage[] => []);
    const here = seen.filter((m) => namespace === undefined || m.namespace === namespace);
    const elsewhere = seen.filter((m) => !here.includes(m));
    lines.push(
      here.length === 0
        ? `  Nothing at all reached that number${where} (is the app sending to this mock${namespace === undefined ? '' : ', with that namespace'}?).`
        : `  Earlier messages to that number${where}: ${here.slice(0, 5).map(describeMessage).join('; ')}.`,
    );
    if (elsewhere.length > 0)
      lines.push(
        `  In other namespaces (another test file, or a missing namespace header?): ${elsewhere.slice(0, 5).map(describeMessage).join('; ')}.`,
      );
    return new MockControlError(404, 'TIMEOUT', lines.join('\n'));
  };

  const waitFor = async (phone: string, wait: WaitOptions = {}): Promise<MockMessage> => {
    const timeoutMs = wait.timeoutMs ?? DEFAULT_WAIT_MS;
    const namespace = ns(wait);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = Math.max(0, deadline - Date.now());
      const { data, error, response } = await client.GET('/__admin/messages/latest', {
        params: { query: { phone, namespace, after: wait.after, wait: Math.min(left, MAX_POLL_MS) } },
      });
      if (data) return data.message;
      if (response.status !== 404) fail(error, response);
      if (Date.now() >= deadline) throw await timedOut(phone, namespace, wait.after, timeoutMs);
    }
  };

  const journal = (query: RequestQuery = {}) =>
    call(client.GET('/__admin/requests', { params: { query: { ...query, namespace: ns(query) } } }));

  return {
    url: base,
    namespace: bound,
    scoped: (namespace) => connectMock(base, { ...options, namespace }),
    client: (given = {}) =>
      createPhoneMatchClient({
        baseUrl: base,
        user: 'user@company.com',
        pass: 'PASSWORD',
        ...(bound === undefined ? {} : { namespace: bound }),
        ...given,
      }),
    requests: {
      list: async (query) => (await journal(query)).requests,
      count: async (query = {}) => (await journal({ ...query, limit: 1 })).total,
    },
    messages: {
      list: listMessages,
      waitFor,
      waitForCode: async (phone, wait) => {
        const message = await waitFor(phone, wait);
        // A Dialer call carries no code: waiting for one there is a test's mistake, said plainly.
        if (message.pin === null)
          throw new MockControlError(404, 'NOCODE', `the newest message to ${phone} is a ${message.channel} message without a code`);
        return message.pin;
      },
    },
    transactions: {
      list: async (query = {}) =>
        (await call(client.GET('/__admin/transactions', { params: { query: { ...query, namespace: ns(query) } } }))).transactions,
      get: async (token) => {
        const { data, error, response } = await client.GET('/__admin/transactions/{token}', { params: { path: { token } } });
        if (data) return data.transaction;
        return response.status === 404 ? undefined : fail(error, response);
      },
    },
    scenarios: {
      list: () => call(client.GET('/__admin/scenarios')),
      use: async (name, given) => {
        const namespace = ns(given);
        return (await call(client.PUT('/__admin/scenarios/active', { body: { name, ...(namespace === undefined ? {} : { namespace }) } })))
          .active;
      },
      clear: async (given) =>
        (await call(client.DELETE('/__admin/scenarios/active', { params: { query: { namespace: ns(given) } } }))).active,
    },
    clock: {
      advance: async (ms, given) => {
        const namespace = ns(given);
        return (await call(client.POST('/__admin/clock', { body: { advanceMs: ms, ...(namespace === undefined ? {} : { namespace }) } })))
          .now;
      },
      now: async (given) => (await call(client.GET('/__admin/clock', { params: { query: { namespace: ns(given) } } }))).now,
    },
    reset: async (given) => {
      await call(client.POST('/__admin/reset', { params: { query: { namespace: ns(given) } } }));
    },
  };
}

export interface StartOptions extends MockOptions {
  /** Parts for the simulator (a clock, a store, inline scenarios) and build switches. */
  build?: BuildOptions;
}

export interface RunningMock extends MockControl {
  /** The Fastify instance, for `inject()` or hooks of your own. */
  readonly app: FastifyInstance;
  /** The simulator behind the HTTP API, for direct access in-process. */
  readonly simulator: Simulator;
  /** Stops listening and releases everything (open event streams, timers, the scenario watcher). */
  close(): Promise<void>;
}

/**
 * Starts a simulator listening on loopback. Defaults differ from the CLI's where tests want it:
 * a free port (`port: 0`) and only warnings in the log.
 */
export async function startMock(options: StartOptions = {}): Promise<RunningMock> {
  const { build, ...given } = options;
  const config = configFromOptions(given);
  const { app, url } = await listen({ port: 0, logLevel: 'warn', ...config }, build);
  const control = connectMock(url, { adminToken: app.simulator.config.adminToken });
  let closed: Promise<void> | undefined;
  return {
    ...control,
    app,
    simulator: app.simulator,
    close: () => {
      closed ??= app.close();
      return closed;
    },
  };
}
