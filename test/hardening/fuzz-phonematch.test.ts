/**
 * Property-based hardening of the two PhoneMatch endpoints: any JSON value in any field, any
 * bytes under any content type, huge strings, deep nesting, long arrays, and unicode and control
 * characters everywhere. Every answer is a documented 200/400/413 with the documented body, never
 * a 5xx; a rejected request changes nothing in the store (the journal aside, which records every
 * request); and the mock keeps serving. Over `inject` for speed, then over a real socket.
 */
import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { gatewayBody } from '../helpers/app.js';
import { startLive } from '../helpers/live.js';
import { expectSpecResponse } from '../helpers/spec.js';
import {
  CONTINUE_PATHS,
  expectErrorEnvelope,
  GATEWAY_PATHS,
  HOSTILE_FRAGMENTS,
  hostileJson,
  storeSnapshot,
  withFragment,
  withValue,
} from './support.js';

const GATEWAY_URLS = ['/process/comprehensive/gateway', '/process/5/gateway', '/process/multi/gateway'] as const;
const CONTINUE_URL = '/process/continue';
type Url = (typeof GATEWAY_URLS)[number] | typeof CONTINUE_URL;
const OPERATION: Record<Url, string> = {
  '/process/comprehensive/gateway': 'gateway',
  '/process/5/gateway': 'gatewayV5',
  '/process/multi/gateway': 'gatewayMulti',
  '/process/continue': 'continue',
};
const RUNS = 250;

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApp({ logLevel: 'silent', watchScenarios: false, scenarios: null, maxAttempts: 3 });
});
afterAll(async () => {
  await app.close();
});

/** A fresh pending transaction: its token and pin. */
async function freshToken(): Promise<{ token: string; pin: string }> {
  const res = await app.inject({ method: 'POST', url: GATEWAY_URLS[0], payload: gatewayBody() });
  const token = res.json().continuations.outofband.template.token as string;
  const tx = app.simulator.store.transactionByToken(token);
  return { token, pin: tx?.kind === 'otp' ? (tx.pin ?? '') : '' };
}

/**
 * Sends one request and checks everything the issue asks: a documented status and body; after a
 * 200 the store changed as documented (one new transaction, or one more attempt); after a
 * rejection nothing changed.
 */
async function check(url: Url, payload: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const before = storeSnapshot(app);
  const res = await app.inject({ method: 'POST', url, payload, headers });
  expect([200, 400, 403, 404, 413], res.body.slice(0, 300)).toContain(res.statusCode);
  const body = res.json();
  expectSpecResponse(OPERATION[url], res.statusCode, body);
  const after = storeSnapshot(app);
  if (res.statusCode === 200) {
    if (url === CONTINUE_URL) {
      expect(after.transactions).toBe(before.transactions);
      expect(after.transactionList).not.toBe(before.transactionList); // one attempt more
    } else expect(after.transactions).toBe(before.transactions + 1);
  } else {
    expectErrorEnvelope(body, res.body);
    expect(after).toEqual(before);
  }
  return res;
}

async function expectStillServing() {
  const { token, pin } = await freshToken();
  const res = await app.inject({ method: 'POST', url: CONTINUE_URL, payload: { token, codematch: { key: pin } } });
  expect(res.json().result.action).toBe('PASS');
}

describe('any JSON in any field', () => {
  it('of a gateway request, on every gateway path', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GATEWAY_URLS), fc.constantFrom(...GATEWAY_PATHS), hostileJson, async (url, path, value) => {
        await check(url, withValue(gatewayBody(), path, value));
      }),
      { numRuns: RUNS },
    );
    await expectStillServing();
  });

  it('of a continue request for a real token', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CONTINUE_PATHS), hostileJson, fc.boolean(), async (path, value, rightPin) => {
        app.simulator.reset();
        const { token, pin } = await freshToken();
        await check(CONTINUE_URL, withValue({ token, codematch: { key: rightPin ? pin : '000000' } }, path, value));
      }),
      { numRuns: RUNS },
    );
    await expectStillServing();
  });
});

describe('big and strange values in every field', () => {
  it('deep nesting, long arrays, huge strings and numbers, unicode and prototype keys, in the gateway', async () => {
    for (const [name, fragment] of Object.entries(HOSTILE_FRAGMENTS)) {
      for (const path of GATEWAY_PATHS) {
        const res = await check(GATEWAY_URLS[0], withFragment(gatewayBody(), path, fragment));
        if (name.startsWith('over the body limit')) expect(res.json().error.code).toBe('REQ413');
      }
    }
    await expectStillServing();
  }, 120_000);

  it('the same in continue, for a real token', async () => {
    for (const [name, fragment] of Object.entries(HOSTILE_FRAGMENTS)) {
      const { token, pin } = await freshToken();
      for (const path of CONTINUE_PATHS) {
        const res = await check(CONTINUE_URL, withFragment({ token, codematch: { key: pin } }, path, fragment));
        if (name.startsWith('over the body limit')) expect(res.json().error.code).toBe('REQ413');
      }
    }
    await expectStillServing();
  }, 120_000);

  it('the IN1 echo of a huge unparsable body is bounded', async () => {
    const res = await check(GATEWAY_URLS[0], `{"user":"${'u'.repeat(900_000)}`);
    expect(res.json().error.code).toBe('IN1');
    expect(res.body.length).toBeLessThan(10_000);
  });
});

/** Content types real clients send, and junk. */
const contentType = fc.oneof(
  fc.constantFrom(
    'application/json',
    'application/json; charset=utf-8',
    'application/json; charset=utf-16',
    'application/json; charset=klingon',
    'text/plain',
    'application/octet-stream',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=xyz',
    'application/x-ndjson',
    '*/*',
    '',
  ),
  fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: 60 }),
);
const contentEncoding = fc.constantFrom(undefined, 'gzip', 'deflate', 'br', 'identity', 'x-klingon');

/** Raw bytes: random, or the valid request with some bytes changed. */
const bytes = fc.oneof(
  fc.uint8Array({ maxLength: 600 }),
  fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }).map((edits) => {
    const valid = Buffer.from(JSON.stringify(gatewayBody()));
    for (const [at, byte] of edits) valid[at % valid.length] = byte;
    return new Uint8Array(valid);
  }),
);

describe('any bytes under any content type', () => {
  it('through inject, on every endpoint', async () => {
    const { token } = await freshToken();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Url>(...GATEWAY_URLS, CONTINUE_URL),
        bytes,
        contentType,
        contentEncoding,
        async (url, body, type, encoding) => {
          const headers: Record<string, string> = { 'content-type': type };
          if (encoding) headers['content-encoding'] = encoding;
          // Some bodies are valid continue requests for the real token, changed.
          const payload =
            url === CONTINUE_URL && body.length % 2 === 0
              ? Buffer.from(JSON.stringify({ token, codematch: { key: Buffer.from(body).toString('latin1') } }))
              : Buffer.from(body);
          await check(url, payload, headers);
        },
      ),
      { numRuns: RUNS },
    );
    await expectStillServing();
  });
});

describe('over a real socket', () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });
  afterAll(() => agent.destroy());

  /** After any abuse, an ordinary gateway request is still answered. */
  async function expectOrdinaryRequestAnswered(url: string): Promise<void> {
    const ok = await post(url, GATEWAY_URLS[0], Buffer.from(JSON.stringify(gatewayBody())), { 'content-type': 'application/json' }, false);
    expect(ok.status).toBe(200);
  }

  function post(url: string, path: string, body: Buffer, headers: Record<string, string>, chunked: boolean) {
    return new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = httpRequest(
        `${url}${path}`,
        { method: 'POST', agent, headers: chunked ? headers : { ...headers, 'content-length': String(body.length) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  it('random bytes, content types, encodings and framings all get a documented answer', async () => {
    const live = await startLive({ scenarios: null });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<Url>(...GATEWAY_URLS, CONTINUE_URL),
        bytes,
        contentType,
        contentEncoding,
        fc.boolean(),
        async (path, body, type, encoding, chunked) => {
          const headers: Record<string, string> = { 'content-type': type };
          if (encoding) headers['content-encoding'] = encoding;
          const { status, text } = await post(live.url, path, Buffer.from(body), headers, chunked);
          expect([200, 400, 403, 404, 413]).toContain(status);
          expectSpecResponse(OPERATION[path], status, JSON.parse(text));
        },
      ),
      { numRuns: 150 },
    );
    await expectOrdinaryRequestAnswered(live.url);
  });

  it('bytes that are not HTTP at all are refused with a 4xx or a closed connection, and the mock keeps serving', async () => {
    const live = await startLive({ scenarios: null });
    const { port } = new URL(live.url);
    const garbage = fc.oneof(
      fc.uint8Array({ minLength: 1, maxLength: 400 }),
      fc
        .constantFrom(
          'GET / HTTP/9.9\r\n\r\n',
          'POST /process/continue HTTP/1.1\r\nContent-Length: -1\r\n\r\n',
          'POST /process/continue HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\nzz\r\n',
          `GET /${'a'.repeat(70_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
          `GET / HTTP/1.1\r\nX: ${'b'.repeat(20_000)}\r\n\r\n`,
          'POST /process/comprehensive/gateway HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{}',
        )
        .map((s) => new Uint8Array(Buffer.from(s))),
    );
    await fc.assert(
      fc.asyncProperty(garbage, async (data) => {
        const reply = await new Promise<string>((resolve) => {
          const socket = connect(Number(port), '127.0.0.1');
          let text = '';
          socket.setEncoding('latin1');
          socket.on('data', (chunk: string) => {
            text += chunk;
          });
          socket.on('error', () => resolve(text));
          socket.on('close', () => resolve(text));
          socket.setTimeout(300, () => socket.destroy()); // a request the mock is still waiting for
          socket.end(Buffer.from(data));
        });
        if (reply !== '') expect(reply).toMatch(/^HTTP\/1\.1 (2|4)\d\d /);
        expect(reply).not.toMatch(/^HTTP\/1\.1 5/);
      }),
      { numRuns: 100 },
    );
    await expectOrdinaryRequestAnswered(live.url);
  });
});
