/**
 * Guards at the edge of the server: the browser next door (Host and Origin checks), transport
 * errors in the documented envelope, timeouts and a connection cap for slow and greedy clients,
 * and a shutdown that does not wait for a request still arriving. Threat model and figures:
 * docs/security.md and docs/reliability.md.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MockConfig } from '../config.js';
import { errorTimestamp } from '../domain/clock.js';
import { type ErrorName, errorEnvelope, PhoneMatchError } from '../domain/errors.js';
import type { Simulator } from '../simulator.js';

const LOOPBACK_ADDRESS = /^(127(\.\d{1,3}){3}|::1|localhost|\[::1\])$/;

/** A bind address on the loopback interface. */
export function isLoopback(host: string): boolean {
  return LOOPBACK_ADDRESS.test(host);
}

/**
 * A Host header (or an Origin's host) naming this machine: `localhost` and its subdomains (RFC
 * 6761 keeps them on loopback), 127.0.0.0/8 and [::1], with any port.
 */
const LOOPBACK_HOST = /^(?:(?:[a-z0-9-]+\.)*localhost\.?|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK_HOST.test(host);
}

/** The host part of an Origin (`http://localhost:8080`), or null for `null` and anything unreadable. */
function originHost(origin: string): string | null {
  const m = /^https?:\/\/([^/?#]+)$/i.exec(origin);
  return m ? (m[1] ?? null) : null;
}

/**
 * Whether the browser checks apply: a loopback mock without an admin token is open to every page
 * the developer's browser opens (cross-origin requests, DNS rebinding). With a token, the control
 * API already refuses what no page can send; beyond loopback a token is required.
 */
export function browserGuarded(config: MockConfig): boolean {
  return isLoopback(config.host) && !config.adminToken;
}

/** Content types a web page may send cross-origin without a preflight (the CORS "simple" ones). */
const SIMPLE_TYPE = /^\s*(text\/plain|application\/x-www-form-urlencoded|multipart\/form-data)\b/i;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function refusal(request: FastifyRequest): string | null {
  const host = request.headers.host;
  // An HTTP/1.0 request may omit Host; a rebinding browser always sends one.
  if (host !== undefined && !isLoopbackHost(host)) {
    return `This mock listens on loopback without an admin token and answers only requests addressed to localhost, 127.0.0.1 or [::1], not '${host.slice(0, 100)}' (a guard against DNS rebinding). Use a loopback address, or set --admin-token.`;
  }
  const origin = request.headers.origin;
  if (origin !== undefined) {
    const from = originHost(origin);
    if (from === null || !isLoopbackHost(from)) {
      return `Requests from web pages of other sites are refused (Origin '${origin.slice(0, 100)}'): a page you open must not drive this mock. Set --admin-token to open it up.`;
    }
  }
  return null;
}

function send(reply: FastifyReply, simulator: Simulator, name: ErrorName, detail: string): void {
  const error = new PhoneMatchError(name, detail);
  reply.code(error.status).send(errorEnvelope(error, errorTimestamp(simulator.clock.now())));
}

/** Host and Origin checks on every request; a JSON (or no) body on state-changing control calls. */
export function installBrowserGuards(app: FastifyInstance, simulator: Simulator): void {
  if (!browserGuarded(simulator.config)) return;
  // Checked on every request: remembering the last good Host saved less than 1% (docs/performance.md).
  app.addHook('onRequest', (request, reply, done) => {
    const refused = refusal(request);
    if (refused !== null) {
      send(reply, simulator, 'forbidden', refused);
      return;
    }
    const type = request.headers['content-type'];
    if (STATE_CHANGING.has(request.method) && request.url.startsWith('/__admin') && type !== undefined && SIMPLE_TYPE.test(type)) {
      send(
        reply,
        simulator,
        'adminBadRequest',
        `The control API takes application/json (or no body), not '${type.slice(0, 100)}': a web page can send that type to any site without asking.`,
      );
      return;
    }
    done();
  });
}

/** The transport limits: Fastify's options for them. */
export function transportOptions(config: MockConfig) {
  return {
    // The whole request, head and body, must arrive within this time (a body sent a byte at a
    // time would otherwise hold its socket for ever). Node answers 408 through clientError.
    requestTimeout: config.requestTimeoutMs,
    // An idle keep-alive connection is closed after this time (Fastify's default is 72 s).
    keepAliveTimeout: config.idleTimeoutMs,
    http: {
      headersTimeout: Math.min(config.requestTimeoutMs, 60_000),
      // Node checks the two timeouts above this often (its default, 30 s, lets them run late).
      connectionsCheckingInterval: 1_000,
    },
  };
}

const CLIENT_ERRORS: Record<string, { name: ErrorName; detail: string }> = {
  ERR_HTTP_REQUEST_TIMEOUT: { name: 'timeout', detail: 'The request did not arrive in full within the time allowed.' },
  HPE_HEADER_OVERFLOW: { name: 'headersTooLarge', detail: 'The request headers are larger than the server allows.' },
};

/**
 * Errors Node raises while reading a request, before any route runs (a malformed request line, a
 * header too large, a request too slow): answered in the documented envelope, then closed.
 */
export function clientErrorHandler(simulator: Simulator) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const known = CLIENT_ERRORS[error.code ?? ''] ?? { name: 'badRequest' as const, detail: 'The request is not valid HTTP.' };
    const failure = new PhoneMatchError(known.name, known.detail);
    const body = JSON.stringify(errorEnvelope(failure, errorTimestamp(simulator.clock.now())));
    // Only when nothing of an answer was written yet, as Node itself does.
    if (socket.writable && socket.bytesWritten === 0) {
      const reason = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' }[failure.status] ?? 'Error';
      socket.write(
        `HTTP/1.1 ${failure.status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}

/**
 * The connection cap, and a shutdown that does not wait for requests still arriving. Closing
 * waits for every request in flight to be answered; one whose head or body has not arrived in
 * full would hold the close until the client finishes (or for ever), so its socket is destroyed.
 */
export function installConnectionGuards(app: FastifyInstance, config: MockConfig): void {
  const server = app.server as Server;
  server.maxConnections = config.maxConnections;
  const sockets = new Set<Socket>();
  // Each socket's latest request is kept on the socket itself: a WeakMap set on every request
  // cost about 1% of the gateway's throughput in alternating runs (docs/performance.md).
  const current = Symbol('latest request');
  type Tracked = Socket & { [current]?: IncomingMessage };
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // The latest request of each socket (a keep-alive socket whose latest request is answered is
  // idle, and Fastify closes it on close already).
  server.on('request', (request: IncomingMessage) => {
    (request.socket as Tracked)[current] = request;
  });
  app.addHook('preClose', (done) => {
    for (const socket of sockets) {
      const request = (socket as Tracked)[current];
      // No request dispatched yet (its head still arriving), or its body still arriving.
      if (request === undefined || !request.complete) socket.destroy();
    }
    done();
  });
}

/** Fastify's connection count cannot be read otherwise: the health answer shows it. */
export function openConnections(app: FastifyInstance): Promise<number> {
  return new Promise((resolve) => {
    (app.server as Server).getConnections((error, count) => resolve(error ? 0 : count));
  });
}
