// Part of `npm run build`, after tsc. What the mock would otherwise work out at every start:
// - the OpenAPI documents as JSON in dist/spec/, so the mock does not parse YAML at start-up
//   (about 50 ms of its cold start). openapi.yaml stays the source; src/http/spec.ts reads the
//   JSON only when it is at least as new as the YAML beside it;
// - the validators of the scenario schema and of the PhoneMatch request bodies, compiled by Ajv
//   into standalone code (about 50 and 40 ms more): src/scenarios/validator.ts and
//   src/http/request-validators.ts say when they are used;
// - the shipped scenarios, parsed (about 35 ms):
//   src/scenarios/loader.ts uses a copy when the file's text is the same.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { BUILT_REQUEST_VALIDATORS, requestValidatorsCode } from '../dist/http/request-validators.js';
import { BUILT_SCENARIOS, parsedScenarioTexts } from '../dist/scenarios/loader.js';
import { BUILT_VALIDATOR, scenarioValidatorCode } from '../dist/scenarios/validator.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'dist', 'spec'), { recursive: true });
for (const name of ['openapi', 'admin-openapi']) {
  const doc = parse(readFileSync(join(root, `${name}.yaml`), 'utf8'));
  writeFileSync(join(root, 'dist', 'spec', `${name}.json`), JSON.stringify(doc));
}
writeFileSync(join(root, BUILT_VALIDATOR), scenarioValidatorCode());
writeFileSync(join(root, BUILT_REQUEST_VALIDATORS), requestValidatorsCode());
writeFileSync(join(root, BUILT_SCENARIOS), JSON.stringify(parsedScenarioTexts(join(root, 'scenarios'))));
