import { describe, expect, it } from 'vitest';
import { ERRORS, type ErrorName, errorEnvelope, PhoneMatchError } from '../../src/domain/errors.js';
import { loadSpec } from '../../src/http/spec.js';

/** The "Error Returns" page: code, message and HTTP status. */
const documented: Record<string, [message: string, status: number]> = {
  IN0: ['No Query', 400],
  IN1: ['Query Not Parsable', 400],
  AUTH0: ['Bad Login', 400],
  QRY0: ['No Target', 400],
  QRY1: ['Missing Required Input', 400],
  QRY2: ['Input Failed Validation', 400],
  QRY6: ['Token Bad or Expired', 400],
  // The status and message are documented; the codes are mock decisions (not readable).
  AUTH1: ['User Not Active', 403],
  SVC0: ['No Such Service', 404],
};

describe('the error catalogue', () => {
  it('holds the documented codes, messages and statuses', () => {
    const byCode = new Map<string, unknown>(Object.values(ERRORS).map((e) => [e.code, e]));
    for (const [code, [message, status]] of Object.entries(documented)) {
      expect(byCode.get(code), code).toEqual({ code, message, status });
    }
  });

  it('has one entry per code', () => {
    const codes = Object.values(ERRORS).map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it('lists in openapi.yaml every code the PhoneMatch endpoints can answer', () => {
    const schemas = loadSpec('openapi.yaml').components?.schemas as Record<string, { enum: string[] }>;
    const phoneMatchCodes = Object.values(ERRORS)
      .map((e) => e.code)
      .filter((code) => !code.startsWith('ADM'));
    expect([...(schemas.ErrorCode?.enum ?? [])].sort()).toEqual(phoneMatchCodes.sort());
  });

  it('answers a too-large body with 413 and an unknown route with 404', () => {
    expect(ERRORS.tooLarge.status).toBe(413);
    expect(ERRORS.notFound.status).toBe(404);
  });
});

describe('PhoneMatchError and its envelope', () => {
  it.each(Object.keys(ERRORS) as ErrorName[])('%s carries its catalogue entry and detail', (name) => {
    const error = new PhoneMatchError(name, 'some detail');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('PhoneMatchError');
    expect(error.code).toBe(ERRORS[name].code);
    expect(error.status).toBe(ERRORS[name].status);
    expect(error.detail).toBe('some detail');
    expect(error.message).toBe(`${ERRORS[name].code} ${ERRORS[name].message}: some detail`);
    expect(error.namespace).toBeUndefined();
  });

  it('leaves the detail key out where there is none (IN0), keeping the order message, code, detail', () => {
    const envelope = errorEnvelope(new PhoneMatchError('noQuery'), '2019-10-21T13:02:48');
    expect(JSON.stringify(envelope)).toBe('{"meta":{"timestamp":"2019-10-21T13:02:48"},"error":{"message":"No Query","code":"IN0"}}');
    const withDetail = errorEnvelope(new PhoneMatchError('badToken', '1bauxkpczhdiyy3vqm15ais8ue12u7zw'), '2019-10-23T11:36:49');
    expect(Object.keys(withDetail)).toEqual(['meta', 'error']);
    expect(Object.keys(withDetail.error)).toEqual(['message', 'code', 'detail']);
  });

  it('builds the documented envelope, meta first, with no stack and no result', () => {
    const envelope = errorEnvelope(new PhoneMatchError('notParsable', '{"user":'), '2019-10-21T13:04:26');
    expect(envelope).toEqual({
      meta: { timestamp: '2019-10-21T13:04:26' },
      error: { message: 'Query Not Parsable', code: 'IN1', detail: '{"user":' },
    });
    expect(Object.keys(envelope)).toEqual(['meta', 'error']);
    expect(Object.keys(envelope.error)).toEqual(['message', 'code', 'detail']);
    expect(JSON.stringify(envelope)).not.toMatch(/stack|\bat \w/);
  });
});
