/**
 * No request can make the PhoneMatch endpoints answer 500 or leak a stack: random bodies,
 * random content types and random changes to a valid request all get a documented answer.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { gatewayBody, makeApp } from '../helpers/app.js';
import { GATEWAY_PATHS } from '../helpers/gateway-fields.js';
import { expectSpecResponse } from '../helpers/spec.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp({ logLevel: 'silent', watchScenarios: false, scenarios: null, maxAttempts: 3 });
});
afterAll(async () => {
  await app.close();
});

const URLS = ['/process/comprehensive/gateway', '/process/5/gateway', '/process/multi/gateway', '/process/continue'] as const;
const OPERATION: Record<(typeof URLS)[number], string> = {
  '/process/comprehensive/gateway': 'gateway',
  '/process/5/gateway': 'gatewayV5',
  '/process/multi/gateway': 'gatewayMulti',
  '/process/continue': 'continue',
};
const contentType = fc.constantFrom(
  undefined,
  'application/json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  '',
);

async function expectDocumentedAnswer(url: (typeof URLS)[number], payload: string, type: string | undefined) {
  const res = await app.inject({ method: 'POST', url, payload, ...(type === undefined ? {} : { headers: { 'content-type': type } }) });
  expect([200, 400, 403, 404]).toContain(res.statusCode);
  expect(res.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  expectSpecResponse(OPERATION[url], res.statusCode, res.json());
}

/** A value at a random place of a valid gateway request. */
function mutate(base: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  const node = base !== null && typeof base === 'object' && !Array.isArray(base) ? (base as Record<string, unknown>) : {};
  return { ...node, [head]: mutate(node[head], rest, value) };
}

const paths = fc.constantFrom(
  ...GATEWAY_PATHS.filter((path) => path.length > 0),
  ['target', '__proto__'],
  ['target', 'constructor'],
  ['__proto__'],
);

describe('no request gets a 500', () => {
  it('random text bodies, with any content type, on every endpoint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...URLS), fc.string({ unit: 'binary', maxLength: 200 }), contentType, async (url, payload, type) => {
        await expectDocumentedAnswer(url, payload, type);
      }),
      { numRuns: 300 },
    );
  });

  it('random JSON values, on every endpoint', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...URLS), fc.jsonValue({ maxDepth: 4 }), contentType, async (url, value, type) => {
        await expectDocumentedAnswer(url, JSON.stringify(value), type);
      }),
      { numRuns: 300 },
    );
  });

  it('a valid gateway request with any one value changed', async () => {
    await fc.assert(
      fc.asyncProperty(paths, fc.jsonValue({ maxDepth: 3 }), async (path, value) => {
        await expectDocumentedAnswer(
          '/process/comprehensive/gateway',
          JSON.stringify(mutate(gatewayBody(), path, value)),
          'application/json',
        );
      }),
      { numRuns: 400 },
    );
  });

  it('any phone text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 64 }), async (phone) => {
        await expectDocumentedAnswer('/process/comprehensive/gateway', JSON.stringify(gatewayBody({}, { phone })), undefined);
      }),
      { numRuns: 300 },
    );
  });

  it('a continue request with any token and key', async () => {
    const key = fc.oneof(fc.string({ maxLength: 70 }), fc.double(), fc.integer(), fc.jsonValue({ maxDepth: 2 }));
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ maxLength: 300 }), fc.jsonValue({ maxDepth: 2 })), key, async (token, k) => {
        await expectDocumentedAnswer('/process/continue', JSON.stringify({ token, codematch: { key: k } }), 'application/json');
      }),
      { numRuns: 300 },
    );
  });

  it('any entry for a real token', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string({ minLength: 1, maxLength: 64 }), fc.double(), fc.integer()), async (key) => {
        const sent = await app.inject({ method: 'POST', url: '/process/comprehensive/gateway', payload: gatewayBody() });
        const token = sent.json().continuations.outofband.template.token;
        await expectDocumentedAnswer('/process/continue', JSON.stringify({ token, codematch: { key } }), 'application/json');
      }),
      { numRuns: 200 },
    );
  });
});

describe('a bug in the mock', () => {
  it('is answered 500 in the error envelope, with no stack; logged with its stack at the default level, and journalled', async () => {
    const lines: string[] = [];
    const broken = await makeApp({ scenarios: null }, { logger: { level: 'info', stream: { write: (line: string) => lines.push(line) } } });
    broken.simulator.gateway = () => {
      throw new TypeError('a bug with a secret stack');
    };
    const res = await broken.inject({ method: 'POST', url: '/process/comprehensive/gateway', payload: gatewayBody() });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toMatch(/secret|TypeError|\n\s+at /);
    expect(res.json().error).toEqual({
      message: 'Internal Error',
      code: 'ERR500',
      detail: 'The mock failed to process the request; see its log.',
    });
    // Same envelope as every other error.
    expectSpecResponse('gateway', 400, res.json());
    // "See its log": the log has it, though Fastify itself has no logger above debug (app.ts).
    const logged = lines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'unexpected error');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 50,
      reqId: expect.any(String),
      err: { type: 'TypeError', message: 'a bug with a secret stack' },
    });
    expect(logged[0].err.stack).toMatch(/\n\s+at /);
    const journal = (await broken.inject({ method: 'GET', url: '/__admin/requests' })).json();
    expect(
      journal.requests.map((r: { status: number; response: { error: { code: string } } }) => [r.status, r.response.error.code]),
    ).toEqual([[500, 'ERR500']]);
  });
});
