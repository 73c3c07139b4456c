import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { packagePath } from '../../src/paths.js';
import { compiledScenarioValidator, scenarioValidator } from '../../src/scenarios/validator.js';

const shipped = readdirSync(packagePath('scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => parse(readFileSync(join(packagePath('scenarios'), f), 'utf8')) as Record<string, unknown>);

/** Scenario documents wrong in each way the schema states: each must fail, with the same errors either way. */
const WRONG: unknown[] = [
  {},
  { name: 'x' },
  { name: 'x', description: 'd', extra: 1 },
  { name: 'x', description: 'd', numbr: { valid: true } },
  { name: 'x', description: 'd', number: { valid: 'yes', lineType: 'pager' } },
  { name: 'x', description: 'd', otp: { entry: 'maybe', pin: 12 } },
  { name: 'x', description: 'd', gateway: { latencyMs: -5, fault: 'explode' } },
  { name: 'x', description: 'd', gateway: { latencyMs: { min: 'a' } } },
  { name: 'x', description: 'd', gateway: { response: { status: 99, body: {} } } },
  { name: 'has\nnewline', description: 'd' },
  { name: 'x', description: 'd', match: { phone: [12, null] } },
  'not a scenario',
  [],
];

describe('the scenario validator', () => {
  it('is the one the build compiled (npm test builds first), not compiled at start', () => {
    expect(scenarioValidator().built).toBe(true);
  });

  it('accepts every shipped scenario, as the validator compiled now does', () => {
    const built = scenarioValidator().validate;
    const compiled = compiledScenarioValidator();
    for (const doc of shipped) {
      expect(built(doc), String(doc.name)).toBe(true);
      expect(compiled(doc), String(doc.name)).toBe(true);
    }
  });

  it('gives the same errors as the validator compiled now, schema and parent schema included', () => {
    const built = scenarioValidator().validate;
    const compiled = compiledScenarioValidator();
    for (const doc of WRONG) {
      expect(built(doc), JSON.stringify(doc)).toBe(false);
      expect(compiled(doc)).toBe(false);
      expect(built.errors?.length).toBeGreaterThan(0);
      expect(built.errors).toEqual(compiled.errors);
    }
  });
});
