/**
 * The PhoneMatch API: every operation of `openapi.yaml` is routed by its operationId, validated
 * by the schema the document gives it, and handled by a short function that calls the simulator.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PhoneMatchError } from '../domain/errors.js';
import type {
  ContinueRequest,
  ContinueResponse,
  Decision,
  GatewayRequest,
  GatewayResponse,
  RequestContext,
  Simulator,
} from '../simulator.js';
import { StoredValue } from '../store/stored-value.js';
import { acceptAnyJson } from './body.js';
import { NAMESPACE_HEADER, SCENARIO_HEADER } from './context.js';
import { recordJournal } from './journal.js';
import { journalCopy } from './journal-copy.js';
import type { PhoneMatchOperation } from './request-errors.js';
import { loadSpec, operations, requestSchemaRef, responseSerializer, specAjv } from './spec.js';
import { breakConnection, clientGone, delay } from './transport.js';

const OPERATION_KIND: Record<string, PhoneMatchOperation> = {
  gateway: 'gateway',
  gatewayV5: 'gateway',
  gatewayMulti: 'gateway',
  continue: 'continue',
};

/** What Fastify sends for an object: the simulator's answers are serialised before it sees them. */
const JSON_TYPE = 'application/json; charset=utf-8';

const NAMESPACE_FORM = /^[\w.@:+-]{1,128}$/;

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined || first.trim() === '' ? undefined : first.trim();
}

function validNamespace(namespace: string | undefined): string | null {
  return namespace !== undefined && NAMESPACE_FORM.test(namespace) ? namespace : null;
}

function requestContext(request: FastifyRequest): RequestContext {
  const namespace = header(request, NAMESPACE_HEADER);
  if (namespace !== undefined && !NAMESPACE_FORM.test(namespace)) {
    throw new PhoneMatchError('failedValidation', `The header ${NAMESPACE_HEADER} must be 1 to 128 letters, digits or . _ @ : + -.`);
  }
  return { namespace, scenario: header(request, SCENARIO_HEADER) };
}

export async function phoneMatchRoutes(app: FastifyInstance, opts: { simulator: Simulator }): Promise<void> {
  const { simulator } = opts;
  const doc = loadSpec('openapi.yaml');
  const ajv = specAjv(doc);
  acceptAnyJson(app, simulator.config.bodyLimit);

  app.decorateRequest('phonematch', null);
  // Callback-style hooks: they run on every request, and an async hook costs a promise each time.
  app.addHook('onRequest', (request, _reply, done) => {
    const operation = request.routeOptions.config.phonematch;
    if (operation) {
      request.phonematch = {
        operation,
        // A namespace header of the wrong form is refused later (QRY2); the journal does not keep it.
        namespace: validNamespace(header(request, NAMESPACE_HEADER)),
        scenario: null,
        response: null,
        fault: null,
        journalled: false,
        rawBody: null,
      };
    }
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    try {
      recordJournal(simulator, request, reply, reply.statusCode);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  });

  // Credentials are checked before the body's shape, as the real service answers AUTH0 first.
  // Callback style, like the hooks above: no promise per request.
  const authenticate = (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
    try {
      const body = request.body as Record<string, unknown> | undefined;
      if (body === undefined) throw new PhoneMatchError('noQuery', 'The request body is empty.');
      (request as FastifyRequest & { login?: unknown }).login = simulator.authenticate(body);
    } catch (error) {
      done(error as Error);
      return;
    }
    done();
  };

  /**
   * Sends what the simulator decided. Synchronous unless a scenario adds latency: the usual answer
   * needs neither a promise, nor a timer, nor an abort signal.
   */
  const answer = <Body>(request: FastifyRequest, reply: FastifyReply, decision: Decision<Body>, serialize: (body: Body) => string) => {
    const state = request.phonematch;
    if (state) {
      state.namespace = decision.namespace;
      state.scenario = decision.scenario;
    }
    if (decision.transport?.latencyMs === undefined) {
      send(request, reply, decision, serialize);
      return undefined;
    }
    return delay(decision.transport, clientGone(reply)).then(() => {
      send(request, reply, decision, serialize);
      return reply;
    });
  };

  const send = <Body>(request: FastifyRequest, reply: FastifyReply, decision: Decision<Body>, serialize: (body: Body) => string) => {
    const state = request.phonematch;
    const transport = decision.transport;
    if (transport?.fault) {
      if (state) state.fault = transport.fault;
      recordJournal(simulator, request, reply, transport.fault === 'malformed' ? 200 : 0);
      breakConnection(reply, transport.fault);
      return;
    }
    if (decision.body === null && transport?.response) {
      const { status, body, headers } = transport.response;
      if (state) state.response = body ?? null;
      if (headers) reply.headers(headers);
      reply.code(status).send(body === undefined ? '' : body);
      return;
    }
    // Serialised here, once, by a serializer compiled from the spec's response schema: the same
    // text goes out and into the journal, which keeps it as text (see store/stored-value.ts).
    const text = serialize(decision.body as Body);
    if (state) state.response = StoredValue.text(text, journalCopy);
    reply.code(200).type(JSON_TYPE).send(text);
  };

  const serializeGateway = responseSerializer<GatewayResponse>(doc, 'GatewayResponse');
  const serializeContinue = responseSerializer<ContinueResponse>(doc, 'ContinueResponse');

  for (const [operationId, { path, method, operation }] of operations(doc)) {
    const kind = OPERATION_KIND[operationId];
    if (!kind) throw new Error(`openapi.yaml has an operation '${operationId}' the mock does not implement`);
    const schema = requestSchemaRef(doc, operation);
    app.route({
      method,
      url: path,
      config: { phonematch: kind },
      schema: schema ? { body: schema } : {},
      validatorCompiler: ({ schema: s }) => ajv.compile(s),
      ...(kind === 'gateway'
        ? {
            preValidation: authenticate,
            handler: (request: FastifyRequest, reply: FastifyReply) => {
              const login = (request as FastifyRequest & { login: ReturnType<Simulator['authenticate']> }).login;
              return answer(
                request,
                reply,
                simulator.gateway(request.body as GatewayRequest, login, requestContext(request)),
                serializeGateway,
              );
            },
          }
        : {
            preValidation: (request: FastifyRequest, _reply: FastifyReply, done: (error?: Error) => void) => {
              done(request.body === undefined ? new PhoneMatchError('noQuery', 'The request body is empty.') : undefined);
            },
            handler: (request: FastifyRequest, reply: FastifyReply) =>
              answer(request, reply, simulator.continue(request.body as ContinueRequest, requestContext(request)), serializeContinue),
          }),
    });
  }
}
