// @ts-check
/**
 * The requests the bench sends, taken from `openapi.yaml`'s named examples: the documented
 * samples real clients send (reference §2 and phonematch-services.md), so the figures are the
 * ones users feel, not those of the lightest possible body.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

const doc = parse(readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8'));

/** Every named example of the document, depth first: `[name, value]`. */
function* examples() {
  /** @type {unknown[]} */
  const stack = [doc];
  while (stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== 'object') continue;
    const named = /** @type {Record<string, any>} */ (node).examples;
    if (named && typeof named === 'object' && !Array.isArray(named)) {
      for (const [name, entry] of Object.entries(named)) if (entry?.value !== undefined) yield [name, entry.value];
    }
    for (const child of Object.values(node)) stack.push(child);
  }
}

/**
 * The value of the example called `name` anywhere in the document (per-service schemas may move
 * examples around), or undefined.
 * @param {string} name
 */
export function example(name) {
  for (const [found, value] of examples()) if (found === name) return structuredClone(value);
  return undefined;
}

/**
 * A documented gateway request of `service`: the first request example that names it.
 * @param {string} service
 */
export function requestOf(service) {
  for (const [, value] of examples()) {
    if (value && typeof value === 'object' && value.service === service && typeof value.pass === 'string' && value.target)
      return structuredClone(value);
  }
  return undefined;
}

/** The documented SMS sample: reference, a `{fn}`/`{pin}` template, do_not_send_to_types, the country lists, fn/ln. */
export const SMS = example('sms');
if (!SMS) throw new Error('openapi.yaml has no example named "sms"');

/** The lightest body the gateway accepts: the row the bench showed before it used the documented sample. */
export const LIGHT = { user: SMS.user, pass: SMS.pass, service: SMS.service, target: { phone: SMS.target.phone } };

/** The magic number whose pin is always 123456 (scenarios/happy-path.yaml). */
export const HAPPY_PHONE = '2015550100';
export const HAPPY_PIN = '123456';

/** One documented gateway request of each other service (left out of the run while a service has none). */
export const SERVICE_SAMPLES = [
  { name: 'validate', label: 'Validate (synchronous)', service: 'PhoneMatch5.0.Validate' },
  { name: 'smart2fa', label: 'Smart 2FA gateway', service: 'PhoneMatch5.0.Smart2FA.SMS' },
  { name: 'verification', label: 'Phone Verification (synchronous)', service: 'PhoneMatch5.0' },
];

/** The Dialer: its status request on `/process/continue` is what the bench measures. */
export const DIALER_SERVICE = 'PhoneMatch5.0.Dialer';
