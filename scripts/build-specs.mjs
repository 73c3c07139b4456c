// Part of `npm run build`: the OpenAPI documents as JSON in dist/spec/, so the mock does not parse
// YAML at start-up (about 50 ms of its cold start). openapi.yaml stays the source; src/http/spec.ts
// reads the JSON only when it is at least as new as the YAML beside it.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'dist', 'spec'), { recursive: true });
for (const name of ['openapi', 'admin-openapi']) {
  const doc = parse(readFileSync(join(root, `${name}.yaml`), 'utf8'));
  writeFileSync(join(root, 'dist', 'spec', `${name}.json`), JSON.stringify(doc));
}
