/**
 * The services the mock simulates, found by the name a request sends. The only place that lists
 * them: the HTTP layer, the simulator and the control API ask here.
 */
import { PhoneMatchError } from '../domain/errors.js';
import { journalCopy } from '../store/journal-copy.js';
import { dialerService } from './dialer.js';
import { otpService } from './otp.js';
import { smart2faService } from './smart2fa.js';
import type { AddOn, AnyServiceModel } from './types.js';
import { validateService } from './validate.js';
import { verificationService } from './verification.js';

const MODELS: readonly AnyServiceModel[] = [otpService, smart2faService, verificationService, validateService, dialerService];

const BY_KIND = new Map<string, AnyServiceModel>(MODELS.map((model) => [model.kind, model]));

/** Every model, for compiling their schemas and serializers once at start-up. */
export function serviceModels(): readonly AnyServiceModel[] {
  return MODELS;
}

/** What a service name resolves to. */
type Resolved = { readonly model: AnyServiceModel; readonly service: string; readonly addOns: readonly AddOn[] };

/**
 * Every name a request may send, resolved: each model's names, and each with the suffix of each
 * add-on it accepts (`PhoneMatch5.0.VPIN` is `PhoneMatch5.0` with VPIN). A name is one lookup,
 * with nothing made per request; anything not here is No Such Service.
 */
const resolved = (model: AnyServiceModel, service: string, addOns: AddOn[]) =>
  [service, Object.freeze({ model, service, addOns: Object.freeze(addOns) })] as const;
const RESOLVED = new Map<string, Resolved>(
  MODELS.flatMap((model) =>
    model.names.flatMap((name) => [
      resolved(model, name, []),
      ...(model.addOns ?? []).map((addOn) => resolved(model, `${name}.${addOn}`, [addOn])),
    ]),
  ),
);

/** Every service name a request may send, with the add-on suffixes each accepts. */
export function serviceNames(): string[] {
  return [...RESOLVED.keys()];
}

const MAX_SERVICE_ECHO = 256;

/** The echo of an unusable service value in an error detail: bounded, like IN1's. */
function shown(value: unknown): string {
  // A bounded copy first: JSON.stringify overflows the stack on a deeply nested value.
  const text = typeof value === 'string' ? value : JSON.stringify(journalCopy(value));
  return text.length > MAX_SERVICE_ECHO ? `${text.slice(0, MAX_SERVICE_ECHO)}…` : text;
}

/**
 * The model of a request's `service` and the add-ons its suffixes turn on, or the documented
 * HTTP 404 `No Such Service` for an "invalid or empty service name" (a missing one too).
 * mock decision: `.VPIN` is accepted by the identity services (Phone Verification, Smart 2FA),
 * the only ones that find a person to give a V-PIN to; on any other service it is No Such
 * Service, as any unknown name is.
 */
export function resolveService(value: unknown): Resolved {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) {
    throw new PhoneMatchError('unknownService', 'No service was given.');
  }
  const resolved = typeof value === 'string' ? RESOLVED.get(value) : undefined;
  if (!resolved) throw new PhoneMatchError('unknownService', `The service ${shown(value)} is not available.`);
  return resolved;
}

/** The model that made a transaction: the continue dispatches on it. */
export function modelOfKind(kind: string): AnyServiceModel {
  const model = BY_KIND.get(kind);
  if (!model) throw new Error(`no service model of kind '${kind}'`);
  return model;
}

const CONTINUED = MODELS.filter((model) => model.continueRequest !== undefined);

/**
 * The model whose continue schema a body is checked against when its token names no
 * transaction: the one whose continue shape the body has, else the code entry's.
 */
export function modelOfContinueBody(body: Readonly<Record<string, unknown>>): AnyServiceModel {
  const claimed = CONTINUED.find((model) => model.continueShape !== undefined && Object.hasOwn(body, model.continueShape));
  return claimed ?? otpService;
}
