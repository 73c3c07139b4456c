/**
 * What a scenario does to the HTTP answer itself: latency, a replaced status and body, or a
 * broken connection. This is transport, so it lives with Fastify, not in the domain.
 */
import { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import type { ScenarioTransport } from '../generated/scenario.js';

export type Fault = NonNullable<ScenarioTransport['fault']>;

/**
 * Waits the latency the simulator drew (scenarios/variation.ts). A timer, never a busy wait: other requests are served meanwhile.
 * The wait ends early when `signal` aborts (the client went away, see `clientGone`), so a dead
 * request does not hold the mock's shutdown for the rest of its latency.
 */
export async function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms > 0 && !signal?.aborted) await sleep(ms, undefined, signal ? { signal } : undefined).catch(() => undefined);
}

/** Aborts when the client disconnects before its answer was sent. */
export function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  const raw = reply.raw;
  // A response's `close` means "finished, or the connection died first"; only the latter aborts.
  raw.once('close', () => {
    if (!raw.writableFinished) controller.abort();
  });
  return controller.signal;
}

/** A truncated PENDING answer: valid headers, a body no JSON parser accepts. */
export const MALFORMED_BODY = '{"output":{"outofband":{}},"meta":{"confirmation":';

/** What `app.inject()` rejects with for a broken connection: it has no socket to break. */
export class SimulatedFault extends Error {
  override name = 'SimulatedFault';
  readonly code = 'ECONNRESET';
  constructor(readonly fault: Fault) {
    super(
      fault === 'reset'
        ? 'read ECONNRESET (phonematch-mock fault "reset": the connection was reset without an answer)'
        : 'socket hang up (phonematch-mock fault "empty": the connection was closed without an answer)',
    );
  }
}

/**
 * Breaks the connection as the scenario says; the reply is hijacked, Fastify sends nothing.
 * Over a real socket a client sees exactly what a broken provider would give it. Under
 * `app.inject()` there is no socket: `reset` and `empty` make the inject promise reject with a
 * `SimulatedFault` (code ECONNRESET) instead of hanging, and `malformed` answers as it would.
 */
export function breakConnection(reply: FastifyReply, fault: Fault): void {
  reply.hijack();
  const raw = reply.raw;
  if (fault === 'malformed') {
    raw.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(MALFORMED_BODY),
      connection: 'close',
    });
    raw.end(MALFORMED_BODY);
    return;
  }
  const socket: unknown = raw.socket;
  if (!(socket instanceof Socket)) {
    // light-my-request gives the response a stand-in stream; destroying it with an error is how
    // an injected request learns that its connection broke.
    (socket as { destroy?: (error: Error) => void } | null)?.destroy?.(new SimulatedFault(fault));
    return;
  }
  if (fault === 'reset') {
    // TCP RST: the client sees ECONNRESET.
    socket.resetAndDestroy();
  } else {
    // FIN with no byte of an answer: the client sees an empty reply ("socket hang up", "other side closed").
    socket.end(() => socket.destroy());
  }
}
