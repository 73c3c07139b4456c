/**
 * Checks answers against the response schemas of `openapi.yaml` (and `admin-openapi.yaml`), so
 * every body a test sees is also proof the mock keeps to its spec.
 */
import { expect } from 'vitest';
import { loadSpec, operations, resolveRef, specAjv, specRef } from '../../src/http/spec.js';

type Doc = 'openapi.yaml' | 'admin-openapi.yaml';
const ajvs = new Map<Doc, ReturnType<typeof specAjv>>();

function responseSchema(file: Doc, operationId: string, status: number): object {
  const doc = loadSpec(file);
  const op = operations(doc).get(operationId);
  if (!op) throw new Error(`no operation ${operationId} in ${file}`);
  const responses = op.operation.responses as Record<string, unknown>;
  const response = resolveRef<{ content?: Record<string, { schema?: { $ref?: string } & object }> }>(doc, responses[String(status)]);
  const schema = response?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${file} documents no JSON body for ${operationId} ${status}`);
  return schema.$ref
    ? { $ref: specRef(schema.$ref) }
    : JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"spec#/$defs/'));
}

/** Fails the test unless `body` is what the spec documents for this operation and status. */
export function expectSpecResponse(operationId: string, status: number, body: unknown, file: Doc = 'openapi.yaml'): void {
  let ajv = ajvs.get(file);
  if (!ajv) {
    ajv = specAjv(loadSpec(file), { validateSchema: true });
    ajvs.set(file, ajv);
  }
  const validate = ajv.compile(responseSchema(file, operationId, status));
  const ok = validate(body);
  expect(ok ? [] : validate.errors, `${operationId} ${status} answer must match ${file}`).toEqual([]);
}
