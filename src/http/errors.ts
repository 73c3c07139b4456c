/**
 * The one error handler and the one not-found handler: domain errors, schema-validation errors
 * and Fastify's own errors all become the documented envelope. Nothing answers with a stack.
 */
import type { FastifyBaseLogger, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorTimestamp } from '../domain/clock.js';
import { errorEnvelope, PhoneMatchError } from '../domain/errors.js';
import type { Simulator } from '../simulator.js';
import { recordJournal } from './journal.js';

function toPhoneMatchError(error: FastifyError, request: FastifyRequest): PhoneMatchError | null {
  if (error instanceof PhoneMatchError) return error;
  const operation = request.phonematch?.operation;
  // Only the control API has Fastify schemas: the PhoneMatch routes validate in two steps of their own.
  if (error.validation) {
    return new PhoneMatchError(
      'adminBadRequest',
      `${error.validationContext ?? 'request'}${error.message.replace(/^(body|querystring|params|headers)/, '')}`,
    );
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new PhoneMatchError(
      'tooLarge',
      `The request body is larger than the ${request.routeOptions.bodyLimit ?? 1048576} bytes allowed.`,
    );
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    // Fastify's own client errors (bad content length, unsupported encoding…): the body could not be read.
    return operation ? new PhoneMatchError('notParsable', error.message) : new PhoneMatchError('adminBadRequest', error.message);
  }
  return null;
}

/**
 * Errors Fastify raises before any route runs (a path it cannot decode, a path parameter longer
 * than the router allows) would otherwise be answered in Fastify's own format: same envelope.
 */
export function frameworkErrors(simulator: Simulator) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const detail =
      error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 'A path parameter is longer than the router allows.' : 'The URL cannot be decoded.';
    const known = request.url.startsWith('/__admin')
      ? new PhoneMatchError('adminBadRequest', detail)
      : new PhoneMatchError('notFound', `No route for this URL: ${detail}`);
    return reply.code(known.status).send(errorEnvelope(known, errorTimestamp(simulator.clock.now())));
  };
}

export function installErrorHandling(app: FastifyInstance, simulator: Simulator, log: FastifyBaseLogger): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    let known = toPhoneMatchError(error, request);
    if (!known) {
      // A bug of ours: logged with its stack, answered without it.
      log.error({ err: error, reqId: request.id }, 'unexpected error');
      known = new PhoneMatchError('internal', 'The mock failed to process the request; see its log.');
    }
    if (request.phonematch) {
      request.phonematch.namespace ??= known.namespace ?? null;
      request.phonematch.scenario ??= known.scenario;
    }
    const body = errorEnvelope(known, errorTimestamp(simulator.clock.now()));
    if (request.phonematch) request.phonematch.response = body;
    reply.code(known.status).send(body);
    recordJournal(simulator, request, known.status);
    return reply;
  });

  app.setNotFoundHandler((request, reply) => {
    const body = errorEnvelope(
      new PhoneMatchError('notFound', `No route ${request.method} ${request.url.split('?')[0]}.`),
      errorTimestamp(simulator.clock.now()),
    );
    return reply.code(404).send(body);
  });
}
