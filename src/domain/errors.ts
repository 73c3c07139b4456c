/**
 * The one error catalogue. Every request error the PhoneMatch API (and the mock's control API)
 * can answer is a named entry here; the HTTP layer's single error handler turns a
 * `PhoneMatchError` into the documented envelope. Statuses, messages and the IN/AUTH0/QRY codes
 * are the real service's ("Error Returns", reference section 6); the codes of `No Such Service`
 * and `User Not Active` are not readable there, so SVC0 and AUTH1 are mock decisions.
 */
import type { components } from '../generated/phonematch.js';

export type ErrorCode = components['schemas']['ErrorCode'];

export interface CatalogueEntry {
  readonly code: string;
  readonly message: string;
  readonly status: number;
}

export const ERRORS = {
  noQuery: { code: 'IN0', message: 'No Query', status: 400 },
  notParsable: { code: 'IN1', message: 'Query Not Parsable', status: 400 },
  badLogin: { code: 'AUTH0', message: 'Bad Login', status: 400 },
  noTarget: { code: 'QRY0', message: 'No Target', status: 400 },
  missingInput: { code: 'QRY1', message: 'Missing Required Input', status: 400 },
  failedValidation: { code: 'QRY2', message: 'Input Failed Validation', status: 400 },
  // The status and message are documented; mock decision: the code (not readable) is SVC0.
  unknownService: { code: 'SVC0', message: 'No Such Service', status: 404 },
  // The status and message are documented; mock decision: the code (not readable) is AUTH1.
  userNotActive: { code: 'AUTH1', message: 'User Not Active', status: 403 },
  // Documented: the detail is the token itself.
  badToken: { code: 'QRY6', message: 'Token Bad or Expired', status: 400 },
  tooLarge: { code: 'REQ413', message: 'Request Too Large', status: 413 },
  notFound: { code: 'NOTFOUND', message: 'Not Found', status: 404 },
  // Transport errors Node raises before any route runs (docs/security.md, docs/reliability.md).
  badRequest: { code: 'REQ400', message: 'Bad Request', status: 400 },
  // A foreign Host (DNS rebinding) or Origin (a web page) on a loopback mock without a token.
  forbidden: { code: 'REQ403', message: 'Forbidden', status: 403 },
  timeout: { code: 'REQ408', message: 'Request Timeout', status: 408 },
  headersTooLarge: { code: 'REQ431', message: 'Request Header Fields Too Large', status: 431 },
  // The control API's own errors (never returned by the PhoneMatch endpoints).
  // The mock's own: the x-phonematch-scenario header names no loaded scenario.
  unknownScenario: { code: 'SCN0', message: 'Unknown Scenario', status: 400 },
  // A bug in the mock: answered in the envelope, never with a stack (the stack goes to the log).
  internal: { code: 'ERR500', message: 'Internal Error', status: 500 },
  adminBadRequest: { code: 'ADM400', message: 'Bad Admin Request', status: 400 },
  adminUnauthorized: { code: 'ADM401', message: 'Admin Token Required', status: 401 },
  adminNotFound: { code: 'ADM404', message: 'Not Found', status: 404 },
  // Every event stream or long-poll slot is taken.
  adminBusy: { code: 'ADM429', message: 'Too Many Requests', status: 429 },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorName = keyof typeof ERRORS;

/** A request error the API answers with its documented envelope. Never carries a stack to the client. */
export class PhoneMatchError extends Error {
  readonly entry: CatalogueEntry;
  /** Undefined where the real answer has no `detail` key (IN0). */
  readonly detail: string | undefined;
  /** The namespace the failed request belongs to, when it is known (for the journal). */
  namespace: string | undefined;
  /** The scenario in force for the failed request, when one was (for the journal). */
  scenario: string | null = null;

  constructor(name: ErrorName, detail?: string) {
    super(
      detail === undefined ? `${ERRORS[name].code} ${ERRORS[name].message}` : `${ERRORS[name].code} ${ERRORS[name].message}: ${detail}`,
    );
    this.name = 'PhoneMatchError';
    this.entry = ERRORS[name];
    this.detail = detail;
  }

  get code(): string {
    return this.entry.code;
  }

  get status(): number {
    return this.entry.status;
  }
}

export interface ErrorEnvelope {
  meta: { timestamp: string };
  error: { message: string; code: string; detail?: string };
}

/** The documented envelope: `meta` then `error`; inside it `message`, `code`, then `detail` where there is one. */
export function errorEnvelope(error: PhoneMatchError, isoTimestamp: string): ErrorEnvelope {
  const { message, code } = error.entry;
  return {
    meta: { timestamp: isoTimestamp },
    error: error.detail === undefined ? { message, code } : { message, code, detail: error.detail },
  };
}
