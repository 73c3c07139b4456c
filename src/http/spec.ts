/**
 * The OpenAPI documents, read once at start-up. Request validation is compiled from them, the
 * same objects are served at `/openapi.json`, and nothing re-states a schema by hand.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type CodeOptions } from 'ajv';
import fastJsonStringify from 'fast-json-stringify';
import { parse as parseYaml } from 'yaml';
import { builtFrom, packagePath } from '../paths.js';

export type OpenApiDocument = {
  openapi: string;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, unknown> };
} & Record<string, unknown>;

export interface OpenApiOperation {
  operationId?: string;
  requestBody?: unknown;
  parameters?: unknown[];
  [key: string]: unknown;
}

const cache = new Map<string, OpenApiDocument>();

/** The build's JSON copy of a document (scripts/build-specs.mjs), when it is not older than the YAML. */
function builtCopy(file: string): string | null {
  return builtFrom(`dist/spec/${file.replace(/\.yaml$/, '.json')}`, file);
}

export function loadSpec(file: 'openapi.yaml' | 'admin-openapi.yaml'): OpenApiDocument {
  let doc = cache.get(file);
  if (!doc) {
    const json = builtCopy(file);
    doc = (json ? JSON.parse(readFileSync(json, 'utf8')) : parseYaml(readFileSync(packagePath(file), 'utf8'))) as OpenApiDocument;
    cache.set(file, doc);
  }
  return doc;
}

/** `{ operationId: { path, method } }` for every operation of a document. */
export function operations(doc: OpenApiDocument): Map<string, { path: string; method: string; operation: OpenApiOperation }> {
  const found = new Map<string, { path: string; method: string; operation: OpenApiOperation }>();
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      if (operation?.operationId) found.set(operation.operationId, { path, method: method.toUpperCase(), operation });
    }
  }
  return found;
}

/** Follows a local `#/...` reference inside the document. */
export function resolveRef<T = unknown>(doc: OpenApiDocument, value: unknown): T {
  let current = value as { $ref?: string } | undefined;
  while (current && typeof current === 'object' && typeof current.$ref === 'string') {
    const path = current.$ref.replace(/^#\//, '').split('/');
    current = path.reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], doc) as { $ref?: string };
  }
  return current as T;
}

/**
 * An Ajv instance that knows the document's components under the id `spec`, so a route schema is
 * just `{ $ref: 'spec#/components/schemas/GatewayRequest' }`. OpenAPI 3.0's `nullable` is Ajv's
 * own keyword; `example` is declared so strict mode accepts it. No type coercion: a number where
 * the spec says string is a validation error, as on the real service.
 */
export function specAjv(doc: OpenApiDocument, options: { coerceTypes?: boolean; validateSchema?: boolean; code?: CodeOptions } = {}): Ajv {
  const ajv = new Ajv({
    allErrors: true,
    strict: true,
    // Checking the documents against Ajv's meta-schema costs a fifth of the cold start; the
    // documents only change with a release, and test/http/spec-documents.test.ts checks them.
    validateSchema: options.validateSchema ?? false,
    strictTypes: false,
    // Only the control API's query strings are coerced ("?limit=5" is a number).
    coerceTypes: options.coerceTypes ?? false,
    useDefaults: false,
    removeAdditional: false,
    // `source` for the build's standalone code (request-validators.ts).
    ...(options.code ? { code: options.code } : {}),
  });
  ajv.addKeyword('example');
  ajv.addKeyword(REQUIRED_NAME);
  ajv.addKeyword(INPUT_NAME);
  // The component schemas become `$defs` of one schema with the id `spec`; their local references
  // are rewritten to match, so `spec#/$defs/GatewayRequest` resolves everything it needs.
  const defs = JSON.parse(JSON.stringify(doc.components?.schemas ?? {}).replaceAll('"#/components/schemas/', '"#/$defs/')) as object;
  ajv.addSchema({ $id: 'spec', $defs: defs });
  return ajv;
}

/** The JSON-schema of an operation's JSON request body, as a reference into the `spec` schema. */
export function requestSchemaRef(doc: OpenApiDocument, operation: OpenApiOperation): { $ref: string } | undefined {
  const body = resolveRef<{ content?: Record<string, { schema?: { $ref?: string } }> }>(doc, operation.requestBody);
  const ref = body?.content?.['application/json']?.schema?.$ref;
  return ref ? { $ref: specRef(ref) } : undefined;
}

/** A schema taken out of the document, its references pointed into the `spec` schema of `specAjv`. */
export function withSpecRefs<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', '"spec#/$defs/')) as T;
}

/** `#/components/schemas/X` as a reference into the `spec` schema of `specAjv`. */
export function specRef(ref: string): string {
  return ref.replace('#/components/schemas/', 'spec#/$defs/');
}

/**
 * A serializer compiled from a response schema of the document (fast-json-stringify, the one
 * Fastify uses): about twice as fast as JSON.stringify on the gateway's answer, and it writes
 * exactly the properties the spec documents, in the spec's order.
 */
export function responseSerializer<T>(doc: OpenApiDocument, schemaName: string): (body: T) => string {
  const defs = withSpecRefs(doc.components?.schemas ?? {});
  // Its types know draft-07 `definitions` only; `$defs` is understood all the same.
  const external = { spec: { $id: 'spec', $defs: defs } } as unknown as Record<string, fastJsonStringify.Schema>;
  return fastJsonStringify({ $ref: `spec#/$defs/${schemaName}` }, { schema: external }) as (body: T) => string;
}

/** The vendor extension that names a required attribute for QRY1 ("Service requires Phone…"). */
export const REQUIRED_NAME = 'x-phonematch-name';

/** The vendor extension that names an attribute of a documented form for QRY2 ("Age input must conform to …"). */
export const INPUT_NAME = 'x-phonematch-input';

/**
 * The named attributes of a component schema, as JSON pointers into the body with their human
 * names, in the document's order (the order QRY1 reports them in). `extension` says which
 * names: the required attributes' (QRY1, the default) or the formed attributes' (QRY2).
 */
export function requiredNames(
  doc: OpenApiDocument,
  schemaName: string,
  extension: typeof REQUIRED_NAME | typeof INPUT_NAME = REQUIRED_NAME,
): Array<[pointer: string, name: string]> {
  const found: Array<[string, string]> = [];
  const walk = (schema: unknown, pointer: string, depth: number) => {
    const node = resolveRef<Record<string, unknown> | undefined>(doc, schema);
    if (!node || typeof node !== 'object' || depth > 8) return;
    const name = node[extension];
    if (typeof name === 'string' && pointer !== '') found.push([pointer, name]);
    const properties = node.properties as Record<string, unknown> | undefined;
    for (const [key, child] of Object.entries(properties ?? {})) walk(child, `${pointer}/${key}`, depth + 1);
  };
  walk({ $ref: `#/components/schemas/${schemaName}` }, '', 0);
  return found;
}
