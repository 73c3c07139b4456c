/**
 * The PhoneMatch API: every operation of `openapi.yaml` is routed by its operationId and handled
 * by a short function that calls the simulator. Validation goes in two steps, so the real error
 * order holds whichever service a request is for: first the envelope, the credentials and the
 * service (the continue: its token), then the body against the schema of that service's model.
 */

import type { ValidateFunction } from 'ajv';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { LoggedIn } from '../domain/accounts.js';
import { PhoneMatchError } from '../domain/errors.js';
import { modelOfContinueBody, modelOfKind, resolveService } from '../services/registry.js';
import type { Decision, RequestContext, Simulator } from '../simulator.js';
import { journalCopy } from '../store/journal-copy.js';
import { StoredValue } from '../store/stored-value.js';
import { acceptAnyJson } from './body.js';
import { NAMESPACE_HEADER, SCENARIO_HEADER } from './context.js';
import { recordJournal } from './journal.js';
import { type PhoneMatchOperation, requestError } from './request-errors.js';
import { requestValidators } from './request-validators.js';
import { INPUT_NAME, loadSpec, operations, requiredNames, responseSerializer } from './spec.js';
import { breakConnection, clientGone, delay } from './transport.js';
import type { WriteBatch } from './write-batch.js';

const OPERATION_KIND: Record<string, PhoneMatchOperation> = {
  gateway: 'gateway',
  gatewayV5: 'gateway',
  gatewayMulti: 'gateway',
  continue: 'continue',
};

/** What Fastify sends for an object: the simulator's answers are serialised before it sees them. */
const JSON_TYPE = 'application/json; charset=utf-8';

const NAMESPACE_FORM = /^[\w.@:+-]{1,128}$/;

/** What the gateway's first step of validation leaves on the request, for the journal. */
type GatewayRequestState = FastifyRequest & { login?: LoggedIn };

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

export async function phoneMatchRoutes(app: FastifyInstance, opts: { simulator: Simulator; writes: WriteBatch }): Promise<void> {
  const { simulator, writes } = opts;
  const doc = loadSpec('openapi.yaml');
  acceptAnyJson(app, simulator.config.bodyLimit);

  app.decorateRequest('phonematch', null);
  /**
   * The request's PhoneMatch state, made as it arrives by a hook of its route, which knows its
   * operation (reading it from `request.routeOptions` built an object of a dozen fields per
   * request). A callback hook: an async one costs a promise each time.
   */
  const arriving =
    (operation: PhoneMatchOperation): onRequestHookHandler =>
    (request, _reply, done) => {
      request.phonematch = {
        operation,
        // A namespace header of the wrong form is refused later (QRY2); the journal does not keep it.
        namespace: validNamespace(header(request, NAMESPACE_HEADER)),
        scenario: null,
        variation: null,
        transactionId: null,
        response: null,
        fault: null,
        journalled: false,
        rawBody: null,
        startedAt: performance.now(),
      };
      done();
    };
  // The journal records each request where its answer is handed to Fastify (`send` below, the
  // error handler, a broken connection), not in an `onResponse` hook: with an `onResponse` hook,
  // Fastify times every response with two listeners and two clock reads (docs/performance.md).

  /**
   * Sends what the simulator decided. Synchronous unless a scenario adds latency: the usual answer
   * needs neither a promise, nor a timer, nor an abort signal.
   */
  const answer = <Body>(request: FastifyRequest, reply: FastifyReply, decision: Decision<Body>, serialize: (body: Body) => string) => {
    const state = request.phonematch;
    if (state) {
      state.namespace = decision.namespace;
      state.scenario = decision.scenario;
      state.variation = decision.variation;
      state.transactionId ??= decision.transactionId;
    }
    if (decision.latencyMs <= 0) {
      send(request, reply, decision, serialize);
      return undefined;
    }
    return delay(decision.latencyMs, clientGone(reply)).then(() => {
      send(request, reply, decision, serialize);
      return reply;
    });
  };

  const send = <Body>(request: FastifyRequest, reply: FastifyReply, decision: Decision<Body>, serialize: (body: Body) => string) => {
    const state = request.phonematch;
    const transport = decision.transport;
    if (transport?.fault) {
      if (state) state.fault = transport.fault;
      recordJournal(simulator, request, transport.fault === 'malformed' ? 200 : 0);
      breakConnection(reply, transport.fault);
      return;
    }
    if (decision.body === null && transport?.response) {
      const { status, body, headers } = transport.response;
      if (headers) reply.headers(headers);
      if (body !== null && typeof body === 'object') {
        // Serialised once, as Fastify would (JSON.stringify), and journalled as that text: copied
        // into the journal as an object and serialised again, a scenario's answer cost a third of
        // the throughput of the service's own.
        const text = JSON.stringify(body);
        if (state) state.response = StoredValue.text(text, journalCopy);
        if (!reply.hasHeader('content-type')) reply.type(JSON_TYPE);
        writes.send(reply.code(status), text);
      } else {
        if (state) state.response = body ?? null;
        writes.send(reply.code(status), body === undefined ? '' : body);
      }
      recordJournal(simulator, request, status);
      return;
    }
    // Serialised here, once, by a serializer compiled from the spec's response schema: the same
    // text goes out and into the journal, which keeps it as text (see store/stored-value.ts).
    const text = serialize(decision.body as Body);
    if (state) state.response = StoredValue.text(text, journalCopy);
    // Its length is taken here, while the serializer's string is in the CPU's caches: measuring
    // it makes V8 gather the string's hundred-odd pieces into one. Left to Fastify, that happened
    // when the batch is written (write-batch.ts), after the turn's other answers had pushed the
    // pieces out of the caches: 1.3 µs an answer in `perf`. Taken here: +5% on the gateway.
    // (Sending the answer encoded as a Buffer gained as much there but cost 2% on the continue.)
    writes.send(reply.code(200).type(JSON_TYPE).header('content-length', Buffer.byteLength(text)), text);
    recordJournal(simulator, request, 200);
  };

  // One validator (built with the package: request-validators.ts) and one compiled serializer per
  // schema, shared by the models that use it; the request errors name what each schema requires.
  const validators = requestValidators().validators;
  const namesOf = new Map<string, Array<[string, string]>>();
  const inputsOf = new Map<string, Array<[string, string]>>();
  for (const schemaName of validators.keys()) {
    namesOf.set(schemaName, requiredNames(doc, schemaName));
    inputsOf.set(schemaName, requiredNames(doc, schemaName, INPUT_NAME));
  }
  // Each serializer is compiled on first use: compiling the nine of them took 16 ms of each start,
  // before the first answer (docs/performance.md); test/http/spec-documents.test.ts compiles each.
  const serializers = new Map<string, (body: unknown) => string>();
  /** The second step of validation: the body against one schema of the spec, or its request error. */
  const validate = (operation: PhoneMatchOperation, schemaName: string, body: unknown) => {
    const check = validators.get(schemaName) as ValidateFunction;
    if (!check(body))
      throw requestError(operation, check.errors ?? [], body, namesOf.get(schemaName) ?? [], inputsOf.get(schemaName) ?? []);
  };
  const serializerOf = (schemaName: string) => {
    let serialize = serializers.get(schemaName);
    if (serialize === undefined) {
      serialize = responseSerializer(doc, schemaName);
      serializers.set(schemaName, serialize);
    }
    return serialize;
  };

  // The gateway validates in two steps, like the continue: first the body, the credentials and
  // the service (AUTH0 before any schema error, reference section 6), then the body against that
  // service's schema. Both in the handler, as the continue's (a preValidation hook did the first
  // step until 2026-12-05: no faster in alternating runs, but one more stage and one more object
  // per request).
  const gatewayHandler = (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body as Record<string, unknown> | undefined;
    if (body === undefined) throw new PhoneMatchError('noQuery');
    const login = simulator.authenticate(body);
    // The journal names the account's namespace when the request named none.
    (request as GatewayRequestState).login = login;
    const { model, service, addOns } = resolveService(body.service);
    validate('gateway', model.gatewayRequest, body);
    const decision = simulator.gateway(
      model,
      service,
      body as unknown as { reference?: string; target: { phone: string } },
      login,
      requestContext(request),
      addOns,
    );
    const schema = addOns.reduce((name, addOn) => model.gatewayResponseWith?.[addOn] ?? name, model.gatewayResponse);
    return answer(request, reply, decision, serializerOf(schema));
  };

  const continueHandler = (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body as Record<string, unknown> | undefined;
    if (body === undefined) throw new PhoneMatchError('noQuery');
    validate('continue', 'ContinueEnvelope', body);
    const token = body.token as string;
    const tx = simulator.transactionOf(token);
    if (tx && request.phonematch) request.phonematch.transactionId = tx.id;
    const model = tx ? modelOfKind(tx.kind) : modelOfContinueBody(body);
    // Synchronous services hand out no token, so only a bug could get here without a continue schema.
    if (model.continueRequest === undefined || model.continueResponse === undefined)
      throw new Error(`a token names a ${model.kind} transaction, which has no continue`);
    validate('continue', model.continueRequest, body);
    return answer(request, reply, simulator.continue(token, tx, body, requestContext(request)), serializerOf(model.continueResponse));
  };

  for (const [operationId, { path, method }] of operations(doc)) {
    const kind = OPERATION_KIND[operationId];
    if (!kind) throw new Error(`openapi.yaml has an operation '${operationId}' the mock does not implement`);
    app.route({
      method,
      url: path,
      onRequest: arriving(kind),
      handler: kind === 'gateway' ? gatewayHandler : continueHandler,
    });
  }
}
