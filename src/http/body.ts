/**
 * Body parsing for the PhoneMatch API. Real clients send JSON with `application/json`, with
 * another content type, or with none at all (Node's `request` library): a body that parses as
 * JSON is accepted whatever the header says (reference section 1). An empty body is IN0; a body
 * that is not a JSON object is IN1 with the raw body as detail.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { PhoneMatchError } from '../domain/errors.js';

/** mock decision: the raw body echoed in an IN1 detail is cut at 4 KiB. */
const MAX_ECHO = 4096;

const BLANK = /^\s*$/;

export function parseQuery(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Only a body that failed to parse can be empty (JSON.parse refuses ''): no copy of every body.
    if (BLANK.test(text)) throw new PhoneMatchError('noQuery');
    throw new PhoneMatchError('notParsable', text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new PhoneMatchError('notParsable', text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text);
  }
  return value as Record<string, unknown>;
}

/** Registers the parser for every content type, JSON included, on this (encapsulated) instance. */
export function acceptAnyJson(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  const parse = (request: FastifyRequest, body: string | Buffer, done: (error: Error | null, body?: unknown) => void) => {
    if (request.phonematch) request.phonematch.rawBody = body as string;
    try {
      done(null, parseQuery(body as string));
    } catch (error) {
      done(error as Error, undefined);
    }
  };
  // `application/json` by name as well: Fastify remembers the parser of a content type it has
  // seen only when the type is registered by name, and parses the header of every request that
  // reaches the catch-all (about 1% of the gateway's time).
  app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit }, parse);
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, parse);
}
