/**
 * Turns schema-validation errors (Ajv's, from the spec) into the real API's request errors. The
 * order is the real service's as far as section 6 shows: the service is read first (by the
 * service registry, before any schema), then the target, then the required attributes, then the
 * form of everything else.
 */
import type { ErrorObject } from 'ajv';
import { PhoneMatchError } from '../domain/errors.js';

export type PhoneMatchOperation = 'gateway' | 'continue';

function pathOf(error: ErrorObject): string {
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return `${error.instancePath}/${missing}`;
  }
  return error.instancePath;
}

function valueAt(body: unknown, pointer: string): unknown {
  let node = body;
  for (const key of pointer.split('/').slice(1)) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

const isEmpty = (value: unknown) => value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

function dotted(pointer: string): string {
  return pointer.slice(1).replaceAll('/', '.') || '(body)';
}

/**
 * @param names the schema's named attributes (`x-phonematch-name` in the spec), in the order
 *   QRY1 reports them: "Service requires Phone to be specified."
 * @param inputs the attributes of a documented form (`x-phonematch-input`): a value not in its
 *   form is reported as the documented QRY2 sample is, "Age input must conform to (…)." with the
 *   spec's pattern.
 */
export function requestError(
  operation: PhoneMatchOperation,
  errors: readonly ErrorObject[],
  body: unknown,
  names: ReadonlyArray<readonly [pointer: string, name: string]>,
  inputs: ReadonlyArray<readonly [pointer: string, name: string]> = [],
): PhoneMatchError {
  const paths = errors.map((e) => ({ error: e, path: pathOf(e) }));
  const at = (pointer: string) => paths.find((p) => p.path === pointer || p.path.startsWith(`${pointer}/`));

  if (operation === 'gateway') {
    const target = valueAt(body, '/target');
    if (target === undefined || target === null || typeof target !== 'object' || Array.isArray(target))
      return new PhoneMatchError('noTarget', 'This service requires a target to be specified.');
  }

  // A required attribute that is missing or empty comes before any attribute of the wrong form.
  for (const [pointer, name] of names) {
    if (at(pointer) && isEmpty(valueAt(body, pointer))) {
      return new PhoneMatchError('missingInput', `Service requires ${name} to be specified.`);
    }
  }
  const first = paths[0];
  if (!first) return new PhoneMatchError('failedValidation', 'The request failed validation.');
  const input = first.error.keyword === 'pattern' ? inputs.find(([pointer]) => pointer === first.path) : undefined;
  if (input) {
    const pattern = (first.error.params as { pattern: string }).pattern;
    return new PhoneMatchError('failedValidation', `${input[1]} input must conform to ${pattern}.`);
  }
  // For `codematch.key` Ajv reports each branch of the oneOf; the oneOf says it best.
  const oneOf = paths.find((p) => p.path === first.path && p.error.keyword === 'oneOf');
  const reason = oneOf ? 'must be a string or a number' : (first.error.message ?? 'is not in the documented form');
  return new PhoneMatchError('failedValidation', `The attribute ${dotted(first.path)} failed validation: ${reason}.`);
}
