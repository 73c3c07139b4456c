/**
 * Turns schema-validation errors (Ajv's, from the spec) into the real API's request errors. The
 * order is the real service's as far as section 6 shows: the service is read first, then the
 * target, then the required attributes, then the form of everything else.
 */
import type { ErrorObject } from 'ajv';
import { PhoneMatchError } from '../domain/errors.js';
import { journalCopy } from './journal-copy.js';

export type PhoneMatchOperation = 'gateway' | 'continue';

const MAX_SERVICE_ECHO = 256;

/** Human names of the required attributes, as in the real detail "Service requires Phone to be specified." */
const REQUIRED_NAMES: Record<string, string> = {
  '/service': 'Service',
  '/target/phone': 'Phone',
  '/token': 'Token',
  '/codematch': 'Codematch',
  '/codematch/key': 'Codematch Key',
};

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

export function requestError(operation: PhoneMatchOperation, errors: readonly ErrorObject[], body: unknown): PhoneMatchError {
  const paths = errors.map((e) => ({ error: e, path: pathOf(e) }));
  const at = (pointer: string) => paths.find((p) => p.path === pointer || p.path.startsWith(`${pointer}/`));

  if (operation === 'gateway') {
    const service = at('/service');
    if (service) {
      const value = valueAt(body, '/service');
      if (isEmpty(value)) return new PhoneMatchError('missingInput', 'Service requires Service to be specified.');
      // A bounded copy first: JSON.stringify overflows the stack on a deeply nested value.
      const shown = typeof value === 'string' ? value : JSON.stringify(journalCopy(value));
      // The service has no length cap of its own: echo a bounded part of it, like IN1 does.
      const cut = shown.length > MAX_SERVICE_ECHO ? `${shown.slice(0, MAX_SERVICE_ECHO)}…` : shown;
      return new PhoneMatchError('unknownService', `The service ${cut} is not available.`);
    }
    const target = valueAt(body, '/target');
    if (target === undefined || target === null || typeof target !== 'object' || Array.isArray(target))
      return new PhoneMatchError('noTarget', 'This service requires a target to be specified.');
  }

  // A required attribute that is missing or empty comes before any attribute of the wrong form.
  for (const [pointer, name] of Object.entries(REQUIRED_NAMES)) {
    if (at(pointer) && isEmpty(valueAt(body, pointer))) {
      return new PhoneMatchError('missingInput', `Service requires ${name} to be specified.`);
    }
  }
  const first = paths[0];
  if (!first) return new PhoneMatchError('failedValidation', 'The request failed validation.');
  // For `codematch.key` Ajv reports each branch of the oneOf; the oneOf says it best.
  const oneOf = paths.find((p) => p.path === first.path && p.error.keyword === 'oneOf');
  const reason = oneOf ? 'must be a string or a number' : (first.error.message ?? 'is not in the documented form');
  return new PhoneMatchError('failedValidation', `The attribute ${dotted(first.path)} failed validation: ${reason}.`);
}
