/**
 * The control API under `/__admin`, routed and validated from `admin-openapi.yaml`.
 */
import { timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { PhoneMatchError } from '../domain/errors.js';
import type { Simulator } from '../simulator.js';
import type { BudgetUse } from '../store/budget.js';
import { VERSION } from '../version.js';
import { journalJson, messageView, transactionView } from './admin-views.js';
import type { LongPolls } from './long-polls.js';
import {
  loadSpec,
  type OpenApiDocument,
  type OpenApiOperation,
  operations,
  requestSchemaRef,
  resolveRef,
  specAjv,
  withSpecRefs,
} from './spec.js';

interface Query {
  phone?: string;
  namespace?: string;
  limit?: number;
  after?: number;
  wait?: number;
  endpoint?: 'gateway' | 'continue';
  status?: number;
  scenario?: string;
  transaction?: number;
}

/** What Fastify sends for an object; the listings are serialised by hand (see sendListing). */
const JSON_TYPE = 'application/json; charset=utf-8';

type Handler = (
  request: FastifyRequest<{ Querystring: Query; Params: Record<string, string>; Body: Record<string, unknown> }>,
  reply: FastifyReply,
) => unknown;

/**
 * Sends a listing (`head`, the items' JSON separated by commas, `]}`) as a stream, an item at a
 * time as the client reads. Why: a listing of everything kept (a full journal is 16 MiB, 20,000
 * transactions make 15 MB of JSON) was built whole in memory, several copies of it (the objects,
 * the text, the bytes), for every such request at once: the soak test's peak RSS. Streamed, a
 * listing in flight holds one item, and a slow reader holds back only its own listing.
 */
function sendListing<T>(reply: FastifyReply, head: string, items: readonly T[], json: (item: T) => string): FastifyReply {
  function* chunks() {
    yield head;
    for (let i = 0; i < items.length; i++) yield i === 0 ? json(items[i] as T) : `,${json(items[i] as T)}`;
    yield ']}';
  }
  return reply.type(JSON_TYPE).send(Readable.from(chunks(), { objectMode: false }));
}

/** The querystring/params JSON schemas of an operation, built from its OpenAPI parameters. */
function parameterSchemas(doc: OpenApiDocument, operation: OpenApiOperation) {
  const groups: Record<'query' | 'path', { type: 'object'; properties: Record<string, unknown>; required: string[] }> = {
    query: { type: 'object', properties: {}, required: [] },
    path: { type: 'object', properties: {}, required: [] },
  };
  for (const raw of operation.parameters ?? []) {
    const p = resolveRef<{ name: string; in: 'query' | 'path'; required?: boolean; schema: unknown }>(doc, raw);
    const group = groups[p.in];
    group.properties[p.name] = withSpecRefs(resolveRef(doc, p.schema));
    if (p.required) group.required.push(p.name);
  }
  return {
    ...(Object.keys(groups.query.properties).length ? { querystring: groups.query } : {}),
    ...(Object.keys(groups.path.properties).length ? { params: groups.path } : {}),
  };
}

function checkToken(expected: string, request: FastifyRequest): boolean {
  const auth = request.headers.authorization;
  const given =
    (auth?.startsWith('Bearer ') ? auth.slice(7) : undefined) ??
    (request.headers['x-admin-token'] as string | undefined) ??
    (request.query as { token?: string } | undefined)?.token;
  if (typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function adminRoutes(
  app: FastifyInstance,
  // Handlers of operations served elsewhere (the event stream), so they share the token check and validation.
  opts: {
    simulator: Simulator;
    extraHandlers?: Record<string, RouteHandlerMethod>;
    polls: LongPolls;
    /** Every budget and its use, for the health answer. */
    budgets: () => Promise<Record<string, BudgetUse>>;
  },
): Promise<void> {
  const { simulator, polls } = opts;
  const doc = loadSpec('admin-openapi.yaml');
  const ajv = specAjv(doc, { coerceTypes: true });
  const notFound = (detail: string) => new PhoneMatchError('adminNotFound', detail);
  // Long-polls still waiting: closing the mock answers them at once rather than waiting them out.
  app.addHook('preClose', async () => polls.closeAll());

  if (simulator.config.adminToken) {
    const token = simulator.config.adminToken;
    app.addHook('onRequest', async (request) => {
      if (!checkToken(token, request))
        throw new PhoneMatchError(
          'adminUnauthorized',
          'This mock requires its admin token: Authorization: Bearer <token>, x-admin-token, or ?token=.',
        );
    });
  }

  const handlers: Record<string, Handler> = {
    health: async () => {
      const { transactions, messages, journal } = simulator.store.limits;
      return {
        status: 'ok',
        version: VERSION,
        counts: simulator.store.counts(),
        limits: { transactions, messages, journal },
        budgets: await opts.budgets(),
      };
    },
    listMessages: (request) => {
      const { phone, namespace, limit } = request.query;
      return {
        messages: simulator.store.messages({ keys: simulator.phoneFilter(phone), namespace }, limit).map((m) => messageView(m, simulator)),
      };
    },
    latestMessage: async (request, reply) => {
      const { phone, namespace, after = 0, wait = 0 } = request.query;
      const message = await polls.wait(reply, simulator.phoneFilter(phone), namespace, after, wait);
      if (!message) throw notFound(`No message${phone ? ` for ${phone}` : ''} newer than ${after} arrived within ${wait} ms.`);
      return { message: messageView(message, simulator) };
    },
    listTransactions: (request, reply) => {
      const { phone, namespace, limit } = request.query;
      const found = simulator.store.transactions({ keys: simulator.phoneFilter(phone), namespace }, limit);
      return sendListing(reply, '{"transactions":[', found, (tx) => JSON.stringify(transactionView(tx, simulator)));
    },
    deleteTransaction: (request) => {
      const id = Number((request.query as { id?: number }).id);
      if (!simulator.store.removeTransaction(id)) throw notFound(`No transaction has the id ${id}.`);
      return { deleted: id };
    },
    getTransaction: (request) => {
      const tx = simulator.store.transactionByToken(request.params.token ?? '');
      if (!tx) throw notFound('No transaction has this token.');
      return { transaction: transactionView(tx, simulator) };
    },
    listRequests: (request, reply) => {
      const { namespace, endpoint, status, scenario, transaction, limit } = request.query;
      const query = { namespace, endpoint, status, scenario, transactionId: transaction, limit, asStored: true };
      const { total, entries } = simulator.store.journal(query);
      return sendListing(reply, `{"total":${total},"requests":[`, entries, journalJson);
    },
    clearRequests: (request) => ({ deleted: simulator.store.clearJournal(request.query.namespace) }),
    listScenarios: (request) => ({
      scenarios: simulator.scenarios.list().map(({ scenario, source }) => ({
        name: scenario.name,
        description: scenario.description,
        ...(scenario.match ? { match: scenario.match } : {}),
        source,
        definition: scenario,
      })),
      active: simulator.scenarios.activations(),
      errors: simulator.scenarios.errors(),
      seed: simulator.seed,
      positions: simulator.sequences.positions(request.query.namespace),
    }),
    activateScenario: (request) => {
      const { name } = request.body as { name: string };
      const namespace = namespaceOf(request.body, request.query);
      if (!simulator.scenarios.get(name)) {
        const known = simulator.scenarios.list().map((s) => s.scenario.name);
        throw notFound(`No scenario named '${name}' is loaded. Loaded: ${known.join(', ') || 'none'}.`);
      }
      const activations = simulator.scenarios.activations();
      if (
        namespace !== undefined &&
        activations.length >= simulator.config.maxNamespaces &&
        !activations.some((a) => a.namespace === namespace)
      )
        throw new PhoneMatchError(
          'adminBusy',
          `${simulator.config.maxNamespaces} namespaces have an active scenario already; deactivate some (or reset) first.`,
        );
      simulator.scenarios.activate(name, namespace);
      return { active: simulator.scenarios.activations() };
    },
    deactivateScenario: (request) => {
      simulator.scenarios.deactivate(request.query.namespace);
      return { active: simulator.scenarios.activations() };
    },
    getClock: (request) => clockView(simulator, request.query.namespace),
    advanceClock: (request) => {
      const { advanceMs } = request.body as { advanceMs: number };
      const namespace = namespaceOf(request.body, request.query);
      const moved = simulator.clock.advance(advanceMs, namespace);
      if (moved === 'full')
        throw new PhoneMatchError(
          'adminBusy',
          `${simulator.config.maxNamespaces} namespaces have a clock of their own already; reset some (or all) first.`,
        );
      if (moved === 'range')
        throw new PhoneMatchError(
          'adminBadRequest',
          `Advancing the clock by ${advanceMs} ms would take it past the year 275760, the end of JavaScript's dates; reset the clock first.`,
        );
      return clockView(simulator, namespace);
    },
    reset: (request) => {
      simulator.reset(request.query.namespace);
      return { reset: true, namespace: request.query.namespace ?? null };
    },
  };

  for (const [operationId, { path, method, operation }] of operations(doc)) {
    const handler = handlers[operationId] ?? opts.extraHandlers?.[operationId];
    if (!handler) throw new Error(`admin-openapi.yaml has an operation '${operationId}' with no handler`);
    const body = requestSchemaRef(doc, operation);
    const inline = resolveRef<{ content?: Record<string, { schema?: unknown }> }>(doc, operation.requestBody)?.content?.['application/json']
      ?.schema;
    app.route({
      method,
      url: path.replace(/\{(\w+)\}/g, ':$1'),
      schema: { ...parameterSchemas(doc, operation), ...(body ? { body } : inline ? { body: withSpecRefs(inline) } : {}) },
      validatorCompiler: ({ schema, httpPart }) => finiteOnly(() => ajv.compile(schema), httpPart),
      handler: handler as RouteHandlerMethod,
    });
  }
}

/**
 * Ajv takes `Infinity` (and `1e400`, which reads as it) for an integer, and lets it past a
 * `maximum` when coercing a query string; a wait or a limit of Infinity is refused here.
 *
 * The schema is compiled on its first request: compiling every control route's took about 20 ms
 * of each start, before the mock's first answer (docs/performance.md). test/hardening/fuzz-admin.test.ts
 * sends every route valid and invalid requests, so each schema is compiled there.
 */
function finiteOnly(compile: () => ValidateFunction, part: string | undefined) {
  let validate: ValidateFunction | undefined;
  const checked = (data: unknown) => {
    validate ??= compile();
    if (!validate(data)) {
      checked.errors = validate.errors;
      return false;
    }
    if (data !== null && typeof data === 'object') {
      for (const [name, value] of Object.entries(data)) {
        if (typeof value === 'number' && !Number.isFinite(value))
          return { error: new Error(`${part ?? 'request'}/${name} must be a finite number`) };
      }
    }
    return true;
  };
  checked.errors = null as ValidateFunction['errors'];
  return checked;
}

/** The namespace of a call that takes it in the body or as `?namespace=`; both must agree. */
function namespaceOf(body: { namespace?: unknown }, query: Query): string | undefined {
  const inBody = typeof body.namespace === 'string' ? body.namespace : undefined;
  if (inBody !== undefined && query.namespace !== undefined && inBody !== query.namespace) {
    throw new PhoneMatchError(
      'adminBadRequest',
      `The namespace is '${inBody}' in the body but '${query.namespace}' in the query string; give it once.`,
    );
  }
  return inBody ?? query.namespace;
}

function clockView(simulator: Simulator, namespace: string | undefined) {
  const now = simulator.clock.now(namespace);
  return { now, iso: new Date(now).toISOString(), offsetMs: simulator.clock.offset(namespace) };
}
