/**
 * The request journal: every PhoneMatch request answered, with the body as sent (`pass`
 * redacted, bounded), the answer, and the scenario that decided it.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Simulator } from '../simulator.js';
import { StoredValue } from '../store/stored-value.js';
import { DEFAULT_NAMESPACE } from './context.js';
import { journalCopy, REDACTED } from './journal-copy.js';
import { MALFORMED_BODY } from './transport.js';

/**
 * `"pass": …` in text that is not JSON (a truncated body), up to the end of its value. A JSON
 * string may spell any letter of the key as a \u escape (`"p\u0061ss"`), so those count too.
 */
const PASS_IN_TEXT = /("(?:p|\\u0070)(?:a|\\u0061)(?:s|\\u0073)(?:s|\\u0073)"\s*:\s*)(?:"(?:[^"\\]|\\.)*"?|[^,}\]\s]+)/g;

/** A body that could not be parsed: only the IN1 answer holds it (its detail is the raw body). */
function unparsed(response: unknown): { body: string | null; response: unknown } {
  const error = (response as { error?: { code?: unknown; detail?: unknown } } | null)?.error;
  if (error?.code !== 'IN1' || typeof error.detail !== 'string') return { body: null, response };
  const redacted = error.detail.replace(PASS_IN_TEXT, '$1"[redacted]"');
  return { body: redacted, response: { ...(response as object), error: { ...error, detail: redacted } } };
}

/** Bodies up to this size are kept as parsed (see store/stored-value.ts); bigger ones as a bounded copy. */
const KEPT_BODY_LIMIT = 4096;

/**
 * What the journal keeps of a parsed body. A small JSON object (nearly every request) is kept as
 * the object already parsed, its top-level `pass` redacted now, and bounded and redacted all
 * through when read: nothing uses the body once the request is answered. Anything else is
 * copied now, bounded and redacted.
 */
function bodyRecord(request: FastifyRequest): unknown {
  const body = request.body;
  const length = Number(request.headers['content-length']);
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && length <= KEPT_BODY_LIMIT) {
    const record = body as Record<string, unknown>;
    if (Object.hasOwn(record, 'pass')) record.pass = REDACTED;
    return StoredValue.value(record, journalCopy);
  }
  return journalCopy(body);
}

/** Records the request once; `status` 0 means the connection was broken before any answer. */
export function recordJournal(simulator: Simulator, request: FastifyRequest, reply: FastifyReply, status: number): void {
  const state = request.phonematch;
  if (!state || state.journalled) return;
  state.journalled = true;
  const login = (request as FastifyRequest & { login?: { user: string } }).login;
  // A body that did not parse is undefined here; it is known (and redacted) from its IN1 answer.
  const raw = request.body === undefined ? unparsed(state.response) : null;
  simulator.store.addJournal({
    namespace: state.namespace ?? login?.user ?? DEFAULT_NAMESPACE,
    at: simulator.clock.now(),
    method: request.method,
    url: request.url,
    endpoint: state.operation,
    body: raw ? raw.body : bodyRecord(request),
    status,
    response:
      state.fault === 'malformed'
        ? MALFORMED_BODY
        : state.fault
          ? null
          : state.response instanceof StoredValue
            ? state.response
            : journalCopy(raw ? raw.response : state.response),
    fault: state.fault,
    scenario: state.scenario,
    variation: state.variation,
    transactionId: state.transactionId,
    seed: simulator.seed,
    durationMs: Math.round(reply.elapsedTime),
  });
}
