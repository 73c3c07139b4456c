/**
 * What a scenario does to the HTTP answer itself: latency, a replaced status and body, or a
 * broken connection. This is transport, so it lives with Fastify, not in the domain.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyReply } from 'fastify';
import type { Latency, ScenarioTransport } from '../generated/scenario.js';

export function latencyMs(latency: Latency | undefined, random: () => number = Math.random): number {
  if (latency === undefined) return 0;
  if (typeof latency === 'number') return latency;
  return latency.min + Math.floor(random() * (latency.max - latency.min + 1));
}

export async function delay(transport: ScenarioTransport | undefined, signal?: AbortSignal): Promise<void> {
  const ms = latencyMs(transport?.latencyMs);
  if (ms > 0) await sleep(ms, undefined, signal ? { signal } : undefined).catch(() => undefined);
}

/** A truncated PENDING answer: valid headers, a body no JSON parser accepts. */
const MALFORMED = '{"output":{"outofband":{}},"meta":{"confirmation":';

/** Breaks the connection as the scenario says; the reply is hijacked, Fastify sends nothing. */
export function breakConnection(reply: FastifyReply, fault: NonNullable<ScenarioTransport['fault']>): void {
  reply.hijack();
  const raw = reply.raw;
  const socket = reply.request.raw.socket;
  switch (fault) {
    case 'reset':
      // TCP RST: the client sees ECONNRESET.
      socket.resetAndDestroy();
      break;
    case 'empty':
      // FIN with no byte of an answer: the client sees an empty reply / "socket hang up".
      socket.end();
      break;
    case 'malformed':
      raw.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(MALFORMED),
        connection: 'close',
      });
      raw.end(MALFORMED);
      break;
  }
}
