import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compiledRequestValidators, requestSchemaNames, requestValidators } from '../../src/http/request-validators.js';
import { packagePath } from '../../src/paths.js';

/** Every named example of openapi.yaml that is an object: requests of each service, answers too. */
function documentedObjects(): Record<string, unknown>[] {
  const found: Record<string, unknown>[] = [];
  const stack: unknown[] = [parse(readFileSync(packagePath('openapi.yaml'), 'utf8'))];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const named = (node as { examples?: unknown }).examples;
    if (named && typeof named === 'object' && !Array.isArray(named)) {
      for (const entry of Object.values(named) as { value?: unknown }[]) {
        if (entry?.value && typeof entry.value === 'object' && !Array.isArray(entry.value))
          found.push(entry.value as Record<string, unknown>);
      }
    }
    stack.push(...Object.values(node));
  }
  return found;
}

/** Each documented object, and each of it made wrong in a way a client gets wrong. */
function bodies(): unknown[] {
  const out: unknown[] = [{}, [], 'text', null, 42];
  for (const doc of documentedObjects()) {
    out.push(doc, { ...doc, zzz: 1 });
    for (const key of Object.keys(doc)) {
      const { [key]: _dropped, ...without } = doc;
      out.push(without, { ...doc, [key]: 12345 }, { ...doc, [key]: { nested: true } }, { ...doc, [key]: 'x'.repeat(300) });
    }
  }
  return out;
}

describe('the PhoneMatch request validators', () => {
  it('are the ones the build compiled (npm test builds first), one per schema a service model names', () => {
    const { validators, built } = requestValidators();
    expect(built).toBe(true);
    expect([...validators.keys()].sort()).toEqual(requestSchemaNames().sort());
    expect(requestSchemaNames()).toEqual(expect.arrayContaining(['ContinueEnvelope', 'GatewayRequest']));
  });

  it('give the same verdict and the same errors as validators compiled now, on every documented body and its mistakes', () => {
    const built = requestValidators().validators;
    const compiled = compiledRequestValidators();
    const all = bodies();
    let failures = 0;
    for (const name of requestSchemaNames()) {
      const a = built.get(name);
      const b = compiled.get(name);
      if (!a || !b) throw new Error(`no validator for ${name}`);
      for (const body of all) {
        const verdict = a(body);
        expect(b(body), `${name} ${JSON.stringify(body).slice(0, 80)}`).toBe(verdict);
        expect(a.errors ?? null).toEqual(b.errors ?? null);
        if (!verdict) failures++;
      }
    }
    // The comparison covered errors, not only passes.
    expect(failures).toBeGreaterThan(100);
  });
});
