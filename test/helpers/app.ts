/**
 * Builds an in-process app for `inject()` tests: silent, scenario watching off, shipped
 * scenarios unless told otherwise.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import { type BuildOptions, buildApp } from '../../src/app.js';
import type { MockConfig } from '../../src/config.js';

const open: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

/** An app closed automatically after the test. */
export async function makeApp(config: Partial<MockConfig> = {}, options: BuildOptions = {}): Promise<FastifyInstance> {
  const app = await buildApp({ logLevel: 'silent', watchScenarios: false, ...config }, options);
  open.push(app);
  return app;
}

export const SMS_REQUEST = {
  user: 'user@company.com',
  pass: 'PASSWORD',
  service: 'PhoneMatch5.0.SMS',
  reference: '12345',
  options: {
    outofband: {
      message: 'Hello {fn}, your one-time password is {pin}',
      do_not_send_to_types: ['voip', 'landline'],
    },
  },
  target: { fn: 'John', ln: 'Smith', phone: '2015106000' },
} as const;

export function gatewayBody(overrides: Record<string, unknown> = {}, target: Record<string, unknown> = {}) {
  return { ...SMS_REQUEST, ...overrides, target: { ...SMS_REQUEST.target, ...target } };
}

export async function gateway(app: FastifyInstance, body: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'POST', url: '/process/comprehensive/gateway', payload: body as object, headers });
  return { status: res.statusCode, body: res.json() as Record<string, any>, res };
}

export async function continueWith(app: FastifyInstance, token: string, key: unknown, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'POST', url: '/process/continue', payload: { token, codematch: { key } }, headers });
  return { status: res.statusCode, body: res.json() as Record<string, any>, res };
}

/** The pin the mock "sent" for a token, read through the control API as a test would. */
export async function pinFor(app: FastifyInstance, token: string): Promise<string> {
  const res = await app.inject({ method: 'GET', url: `/__admin/transactions/${token}` });
  return (res.json() as { transaction: { pin: string } }).transaction.pin;
}
