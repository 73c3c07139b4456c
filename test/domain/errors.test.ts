import { describe, expect, it } from 'vitest';
import { ERRORS, type ErrorName, errorEnvelope, PhoneMatchError } from '../../src/domain/errors.js';
import { loadSpec } from '../../src/http/spec.js';

const documented = {
  IN0: 'No Query',
  IN1: 'Query Not Parsable',
  AUTH0: 'Bad Login',
  QRY0: 'No Target',
  QRY1: 'Missing Required Input',
  QRY2: 'Input Failed Validation',
  // mock decisions (the real codes are not public)
  TKN0: 'Token Bad or Expired',
  SVC0: 'Unknown Service',
};

describe('the error catalogue', () => {
  it('holds the documented codes and messages, all HTTP 400', () => {
    const byCode = new Map<string, unknown>(Object.values(ERRORS).map((e) => [e.code, e]));
    for (const [code, message] of Object.entries(documented)) {
      expect(byCode.get(code), code).toEqual({ code, message, status: 400 });
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
