/**
 * The validator of `schema/scenario.schema.json`, compiled by Ajv when the package is built.
 *
 * Why: compiling the schema (every error, verbose, for the "did you mean" messages) took about
 * 50 ms of each start, a tenth of the cold start. `npm run build` writes Ajv's standalone code for
 * it to `dist/spec/scenario-validator.cjs` (scripts/build-specs.mjs), from the options below; the
 * mock loads that file when it is not older than the schema, and compiles the schema itself
 * otherwise (a schema edited since the build, or no build). Both give the same errors:
 * test/scenarios/validator.test.ts holds them to it.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import * as standalone from 'ajv/dist/standalone/index.js';
import { packagePath, requireBuilt } from '../paths.js';

const SCHEMA = 'schema/scenario.schema.json';
/** Where the build writes the validator, relative to the package root. */
export const BUILT_VALIDATOR = 'dist/spec/scenario-validator.cjs';

// The schema itself is checked against the meta-schema by test/http/spec-documents.test.ts.
// `verbose` gives each error its schema, whose property names feed the "did you mean".
const OPTIONS: Options = { allErrors: true, strict: true, validateSchema: false, verbose: true };

function compile(source: boolean): { ajv: Ajv; validate: ValidateFunction } {
  const schema = JSON.parse(readFileSync(packagePath(SCHEMA), 'utf8')) as object;
  const ajv = new Ajv({ ...OPTIONS, code: { source } });
  return { ajv, validate: ajv.compile(schema) };
}

/** The validator compiled now, from the schema as it is. */
export function compiledScenarioValidator(): ValidateFunction {
  return compile(false).validate;
}

/** The standalone JavaScript (CommonJS) of the validator: what the build writes. */
export function scenarioValidatorCode(): string {
  const { ajv, validate } = compile(true);
  return standalone.default(ajv, validate);
}

/** The build's validator when it is not older than the schema, else one compiled now. */
export function scenarioValidator(): { validate: ValidateFunction; built: boolean } {
  const built = requireBuilt<ValidateFunction>(BUILT_VALIDATOR, SCHEMA);
  if (built !== null) return { validate: built, built: true };
  return { validate: compiledScenarioValidator(), built: false };
}
