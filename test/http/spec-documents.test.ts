/**
 * The running mock skips Ajv's meta-schema pass to start faster (src/http/spec.ts); this is where
 * the shipped schemas are held to it instead.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { loadSpec, specAjv } from '../../src/http/spec.js';
import { packagePath } from '../../src/paths.js';

describe('the shipped schemas', () => {
  it.each(['openapi.yaml', 'admin-openapi.yaml'] as const)('%s: every component schema is valid JSON Schema', (file) => {
    const ajv = specAjv(loadSpec(file), { validateSchema: true });
    expect(() => ajv.compile({ $ref: 'spec' })).not.toThrow();
    expect(ajv.validateSchema({ $defs: loadSpec(file).components?.schemas ?? {} })).toBe(true);
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
