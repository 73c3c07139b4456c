/**
 * What a PhoneMatch request carries between its hook, its handler, the error handler and the journal.
 */
import type { PhoneMatchOperation } from './request-errors.js';

export interface PhoneMatchRequestState {
  operation: PhoneMatchOperation;
  namespace: string | null;
  scenario: string | null;
  variation: string | null;
  /** The transaction the request made or continued, when there is one. */
  transactionId: number | null;
  /** The answer's body as an object, for the journal (not re-parsed from the wire). */
  response: unknown;
  fault: string | null;
  journalled: boolean;
  /** The body's text as it came, kept by the journal when small (see store/stored-value.ts). */
  rawBody: string | null;
  /** `performance.now()` when the request arrived: the journal's `durationMs` runs from it to the answer. */
  startedAt: number;
}

declare module 'fastify' {
  interface FastifyRequest {
    phonematch: PhoneMatchRequestState | null;
  }
}

export const NAMESPACE_HEADER = 'x-phonematch-namespace';
export const SCENARIO_HEADER = 'x-phonematch-scenario';
export const DEFAULT_NAMESPACE = 'default';
