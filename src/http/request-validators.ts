/**
 * The validators of the PhoneMatch request bodies, one per schema of `openapi.yaml` that a service
 * model names, compiled by Ajv when the package is built.
 *
 * Why: compiling them took about 40 ms of each start. `npm run build` writes Ajv's standalone code
 * for all of them to `dist/spec/request-validators.cjs` (scripts/build-specs.mjs); the mock loads
 * that file when it is not older than `openapi.yaml`, and compiles them itself otherwise. Both give
 * the same errors: test/http/request-validators.test.ts holds them to it.
 */
import type { ValidateFunction } from 'ajv';
import * as standalone from 'ajv/dist/standalone/index.js';
import { requireBuilt } from '../paths.js';
import { serviceModels } from '../services/registry.js';
import { loadSpec, specAjv } from './spec.js';

/** Where the build writes the validators, relative to the package root. */
export const BUILT_REQUEST_VALIDATORS = 'dist/spec/request-validators.cjs';

/** The schemas validated: the continue's envelope, and each model's gateway and continue request. */
export function requestSchemaNames(): string[] {
  const names = new Set<string>(['ContinueEnvelope']);
  for (const model of serviceModels()) {
    names.add(model.gatewayRequest);
    if (model.continueRequest !== undefined) names.add(model.continueRequest);
  }
  return [...names];
}

const refOf = (name: string) => `spec#/$defs/${name}`;

function compile(source: boolean) {
  const ajv = specAjv(loadSpec('openapi.yaml'), { code: { source } });
  const validators = new Map<string, ValidateFunction>();
  for (const name of requestSchemaNames()) validators.set(name, ajv.getSchema(refOf(name)) as ValidateFunction);
  return { ajv, validators };
}

/** The validators compiled now, from `openapi.yaml` as it is. */
export function compiledRequestValidators(): Map<string, ValidateFunction> {
  return compile(false).validators;
}

/** The standalone JavaScript (CommonJS) of the validators, one export per schema: what the build writes. */
export function requestValidatorsCode(): string {
  const { ajv } = compile(true);
  return standalone.default(ajv, Object.fromEntries(requestSchemaNames().map((name) => [name, refOf(name)])));
}

/** The build's validators when they are not older than `openapi.yaml`, else ones compiled now. */
export function requestValidators(): { validators: Map<string, ValidateFunction>; built: boolean } {
  const exported = requireBuilt<Record<string, ValidateFunction>>(BUILT_REQUEST_VALIDATORS, 'openapi.yaml');
  if (exported === null) return { validators: compiledRequestValidators(), built: false };
  const validators = new Map(requestSchemaNames().map((name) => [name, exported[name] as ValidateFunction]));
  // A model added since the build has no validator there: compile them all.
  if ([...validators.values()].some((v) => typeof v !== 'function')) return { validators: compiledRequestValidators(), built: false };
  return { validators, built: true };
}
