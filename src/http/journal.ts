/**
 * The request journal: every PhoneMatch request answered, with the body as sent (`pass`
 * redacted, bounded), the answer, and the scenario that decided it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Simulator } from '../simulator.js';
import { DEFAULT_NAMESPACE } from './context.js';
import { journalCopy } from './journal-copy.js';

/** Records the request once; `status` 0 means the connection was broken before any answer. */
export function recordJournal(simulator: Simulator, request: FastifyRequest, reply: FastifyReply, status: number): void {
  const state = request.phonematch;
  if (!state || state.journalled) return;
  state.journalled = true;
  const login = (request as FastifyRequest & { login?: { user: string } }).login;
  simulator.store.addJournal({
    namespace: state.namespace ?? login?.user ?? DEFAULT_NAMESPACE,
    at: simulator.clock.now(),
    method: request.method,
    url: request.url,
    endpoint: state.operation,
    body: journalCopy(request.body),
    status,
    response: state.fault && state.fault !== 'malformed' ? null : journalCopy(state.response),
    fault: state.fault,
    scenario: state.scenario,
    durationMs: Math.round(reply.elapsedTime),
  });
}
