/**
 * The running mock skips Ajv's meta-schema pass to start faster (src/http/spec.ts); this is where
 * the shipped schemas are held to it instead.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadSpec, operations, resolveRef, responseSerializer, specAjv, withSpecRefs } from '../../src/http/spec.js';
import { packagePath } from '../../src/paths.js';
import { serviceModels } from '../../src/services/registry.js';

describe('the shipped schemas', () => {
  it.each(['openapi.yaml', 'admin-openapi.yaml'] as const)('%s: every component schema is valid JSON Schema', (file) => {
    const ajv = specAjv(loadSpec(file), { validateSchema: true });
    expect(() => ajv.compile({ $ref: 'spec' })).not.toThrow();
    expect(ajv.validateSchema({ $defs: loadSpec(file).components?.schemas ?? {} })).toBe(true);
  });

  it('openapi.yaml: every named example is valid against the schema it illustrates', () => {
    const doc = loadSpec('openapi.yaml');
    const ajv = specAjv(doc, { validateSchema: true });
    // The gateway body's discriminator is documentation (Ajv refuses its mapping): the branches'
    // `service` enums tell them apart, and that is what is checked here.
    ajv.addKeyword('discriminator');
    const checked: string[] = [];
    const check = (where: string, content: Record<string, { schema?: object; examples?: Record<string, { value: unknown }> }>) => {
      const json = content['application/json'];
      if (!json?.schema) return;
      const validate = ajv.compile(withSpecRefs(json.schema));
      for (const [name, example] of Object.entries(json.examples ?? {})) {
        expect(validate(example.value) ? [] : validate.errors, `${where} example ${name}`).toEqual([]);
        checked.push(name);
      }
    };
    for (const [, { operation }] of operations(doc)) {
      const body = resolveRef<{ content?: Parameters<typeof check>[1] }>(doc, operation.requestBody);
      if (body?.content) check(`${operation.operationId} request`, body.content);
      for (const [status, response] of Object.entries((operation.responses ?? {}) as Record<string, unknown>)) {
        const resolved = resolveRef<{ content?: Parameters<typeof check>[1] }>(doc, response);
        if (resolved?.content) check(`${operation.operationId} ${status}`, resolved.content);
      }
    }
    // One named example per documented result row of the identity services, at least.
    expect(checked).toEqual(
      expect.arrayContaining([
        'smart2faPending',
        'smart2faVoipNotAllowed',
        'smart2faSuppressedSendingCode',
        'smart2faFailedToSendToNumber',
        'smart2faDataCheckFailed',
        'smart2faPass',
        'smart2faFailedOutOfBandCheck',
        'smart2faNoMatch',
        'smart2faDeceased',
        'smart2faReview',
        'smart2faVpinPass',
        'verificationPass',
        'verificationNoMatch',
        'verificationDeceased',
        'verificationReview',
        'verificationVpin',
        'verificationVpinNoMatch',
      ]),
    );
  });

  it("every service model's answer schema compiles to a serializer (the mock compiles them on first use)", () => {
    const doc = loadSpec('openapi.yaml');
    const names = new Set<string>();
    for (const model of serviceModels()) {
      names.add(model.gatewayResponse);
      for (const name of Object.values(model.gatewayResponseWith ?? {})) names.add(name);
      if (model.continueResponse !== undefined) names.add(model.continueResponse);
    }
    expect(names.size).toBeGreaterThan(5);
    for (const name of names) expect(() => responseSerializer(doc, name), name).not.toThrow();
    expect(() => responseSerializer(doc, 'NoSuchSchema')).toThrow();
  });

  it('schema/scenario.schema.json is valid against its meta-schema', () => {
    const schema = JSON.parse(readFileSync(packagePath('schema/scenario.schema.json'), 'utf8')) as object;
    const ajv = new Ajv({ strict: true });
    expect(ajv.validateSchema(schema), JSON.stringify(ajv.errors)).toBe(true);
  });

  it('an invalid schema is caught by the meta-schema pass', () => {
    const ajv = new Ajv({ strict: true });
    expect(ajv.validateSchema({ type: 'strnig' })).toBe(false);
  });
});
