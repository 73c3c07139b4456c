/**
 * A really listening mock (port 0, loopback) and a real HTTP client (Node's fetch), for what
 * `app.inject()` cannot show: latency seen from outside, a reset or closed connection, a body
 * no JSON parser accepts, a long-poll the client walks away from.
 */
import type { FastifyInstance } from 'fastify';
import { afterEach } from 'vitest';
import type { BuildOptions } from '../../src/app.js';
import type { MockConfig } from '../../src/config.js';
import { listen } from '../../src/server.js';

export interface Live {
  app: FastifyInstance;
  url: string;
}

const open: FastifyInstance[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

/** A listening mock closed after the test (or call `app.close()` yourself in `afterAll`). */
export async function startLive(config: Partial<MockConfig> = {}, options: BuildOptions = {}, closeAfterEach = true): Promise<Live> {
  const running = await listen({ logLevel: 'silent', watchScenarios: false, ...config, host: '127.0.0.1', port: 0 }, options);
  if (closeAfterEach) open.push(running.app);
  return running;
}

export interface HttpResult {
  /** 0 when the connection broke before an answer. */
  status: number;
  headers: Headers | null;
  /** The raw body text ('' for none). */
  text: string;
  /** The parsed JSON body, or undefined when the body is not JSON. */
  json: any;
  /** The low-level error code when the connection broke (ECONNRESET, UND_ERR_SOCKET…). */
  error: string | null;
  ms: number;
}

/** Sends a request and never throws: a broken connection is a result like any other. */
export async function send(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
  signal?: AbortSignal,
): Promise<HttpResult> {
  const started = performance.now();
  try {
    const res = await fetch(url, {
      method,
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, headers: res.headers, text, json, error: null, ms: performance.now() - started };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return {
      status: 0,
      headers: null,
      text: '',
      json: undefined,
      error: cause?.code ?? (error as Error).name,
      ms: performance.now() - started,
    };
  }
}
