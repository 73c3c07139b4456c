/**
 * The request journal: every PhoneMatch request answered, with the body as sent (`pass`
 * redacted, bounded), the answer, and the scenario that decided it.
 */
import type { FastifyRequest } from 'fastify';
import type { Simulator } from '../simulator.js';
import { journalCopy, REDACTED, TRUNCATED } from '../store/journal-copy.js';
import { StoredValue } from '../store/stored-value.js';
import { DEFAULT_NAMESPACE } from './context.js';
import { MALFORMED_BODY } from './transport.js';

/**
 * `"pass": …` in text that is not JSON (a truncated body), up to the end of its value. A JSON
 * string may spell any letter of the key as a \u escape (`"p\u0061ss"`), so those count too.
 */
const PASS_IN_TEXT = /("(?:p|\\u0070)(?:a|\\u0061)(?:s|\\u0073)(?:s|\\u0073)"\s*:\s*)(?:"(?:[^"\\]|\\.)*"?|[^,}\]\s]+)/g;

/** `pass=…` in a form-encoded body, its key percent-encoded or not (`p%61ss=`). */
const PASS_IN_FORM = /(^|[&;\s])((?:p|%70)(?:a|%61)(?:s|%73)(?:s|%73)=)[^&;\s]*/gi;

/** Text that is not JSON with every `pass` value hidden, whether it looks like JSON or a form. */
export function redactText(text: string): string {
  return text.replace(PASS_IN_TEXT, `$1"${REDACTED}"`).replace(PASS_IN_FORM, `$1$2${REDACTED}`);
}

/** A body that could not be parsed: only the IN1 answer holds it (its detail is the raw body). */
function unparsed(response: unknown): { body: string | null; response: unknown } {
  const error = (response as { error?: { code?: unknown; detail?: unknown } } | null)?.error;
  if (error?.code !== 'IN1' || typeof error.detail !== 'string') return { body: null, response };
  const redacted = redactText(error.detail);
  return { body: redacted, response: { ...(response as object), error: { ...error, detail: redacted } } };
}

/** Bodies up to this many characters are kept as the text that came (see store/stored-value.ts); bigger ones as a bounded copy. */
const KEPT_BODY_LIMIT = 4096;
/** mock decision: the journal keeps the first 2,048 characters of a URL (Node allows 16 KiB of headers). */
const MAX_URL = 2048;

/**
 * A value as the journal keeps it: a bounded, redacted copy, as JSON text whose size the
 * journal's byte budget counts. Strings and other primitives stay as they are (bounded).
 */
function boundedRecord(value: unknown): unknown {
  const copy = journalCopy(value);
  return copy !== null && typeof copy === 'object' ? StoredValue.shown(JSON.stringify(copy)) : copy;
}

/**
 * What the journal keeps of a parsed body. A small body (nearly every request) is kept as the
 * text that came, and bounded and redacted when read: no copy, no walk, and a size known at
 * once. Anything bigger is copied now, bounded and redacted.
 */
function bodyRecord(request: FastifyRequest): unknown {
  const raw = request.phonematch?.rawBody;
  if (typeof raw === 'string' && raw.length <= KEPT_BODY_LIMIT) return StoredValue.text(raw, journalCopy);
  return boundedRecord(request.body);
}

/**
 * Records the request once, as its answer is handed to Fastify; `status` 0 means the connection
 * was broken before any answer.
 */
export function recordJournal(simulator: Simulator, request: FastifyRequest, status: number): void {
  const state = request.phonematch;
  if (!state || state.journalled) return;
  state.journalled = true;
  const login = (request as FastifyRequest & { login?: { user: string } }).login;
  // A body that did not parse is undefined here; it is known (and redacted) from its IN1 answer.
  const raw = request.body === undefined ? unparsed(state.response) : null;
  simulator.store.addJournal({
    id: 0,
    namespace: state.namespace ?? login?.user ?? DEFAULT_NAMESPACE,
    at: simulator.clock.now(),
    method: request.method,
    url: request.url.length > MAX_URL ? `${request.url.slice(0, MAX_URL)}…${TRUNCATED}` : request.url,
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
            : boundedRecord(raw ? raw.response : state.response),
    fault: state.fault,
    scenario: state.scenario,
    variation: state.variation,
    transactionId: state.transactionId,
    seed: simulator.seed,
    durationMs: Math.round(performance.now() - state.startedAt),
  });
}
