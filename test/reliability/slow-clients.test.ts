/**
 * Slow and greedy clients against a listening mock: streams and long-polls capped and sharing
 * one subscription, a slow stream destroyed, requests that never finish arriving timed out, a
 * connection cap, and transport errors in the documented envelope.
 */
import { connect, type Socket } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { expectErrorEnvelope } from '../hardening/support.js';
import { gatewayBody } from '../helpers/app.js';
import { send, startLive } from '../helpers/live.js';

const GATEWAY = '/process/comprehensive/gateway';

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** A raw socket that sent `text`; resolves with everything it received once the server closed it. */
function raw(url: string, text: string, options: { read?: boolean } = {}): { socket: Socket; received: Promise<string> } {
  const socket = connect(portOf(url), '127.0.0.1');
  let data = '';
  const received = new Promise<string>((resolve) => {
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
    });
    socket.on('close', () => resolve(data));
    socket.on('error', () => undefined);
  });
  if (options.read === false) socket.pause();
  socket.write(text);
  return { socket, received };
}

function parseAnswer(text: string): { status: number; body: unknown; bodyText: string } {
  const [head = '', bodyText = ''] = text.split('\r\n\r\n');
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0);
  return { status, body: JSON.parse(bodyText), bodyText };
}

describe('event streams', () => {
  it('are capped (ADM429) and share one store subscription', async () => {
    const live = await startLive({ maxEventStreams: 2 });
    const subscribe = vi.spyOn(live.app.simulator.store, 'subscribe');
    const controller = new AbortController();
    const open = await Promise.all([1, 2].map(() => fetch(`${live.url}/__admin/events`, { signal: controller.signal })));
    expect(open.map((r) => r.status)).toEqual([200, 200]);
    const third = await send(`${live.url}/__admin/events`, 'GET');
    expect(third.status).toBe(429);
    expect(third.json.error.code).toBe('ADM429');
    expectErrorEnvelope(third.json, third.text);
    expect(subscribe).toHaveBeenCalledTimes(1);
    controller.abort();
  });

  it('destroy a client that reads too slowly: socket and buffer go at once', async () => {
    const live = await startLive();
    const reader = raw(live.url, 'GET /__admin/events HTTP/1.1\r\nHost: localhost\r\n\r\n', { read: false });
    await vi.waitFor(async () => expect((await live.app.inject({ url: '/__admin/health' })).json().budgets.eventStreams.used).toBe(1));
    // Each gateway sends three events of about a kilobyte; the reader never reads.
    const body = JSON.stringify(gatewayBody({ reference: 'r'.repeat(250) }));
    for (let i = 0; i < 4000; i++) {
      await live.app.inject({ method: 'POST', url: GATEWAY, payload: body, headers: { 'content-type': 'application/json' } });
      if (i % 200 === 0 && (await live.app.inject({ url: '/__admin/health' })).json().budgets.eventStreams.used === 0) break;
    }
    // The server dropped its end: its connection is gone, not only the stream's subscription.
    await vi.waitFor(async () => expect((await live.app.inject({ url: '/__admin/health' })).json().budgets.connections.used).toBe(0), {
      timeout: 5_000,
    });
    reader.socket.destroy();
  }, 60_000);
});

describe('long-polls', () => {
  it('are capped (ADM429), share one subscription, and each gets the message it waits for', async () => {
    const live = await startLive({ maxLongPolls: 20 });
    const subscribe = vi.spyOn(live.app.simulator.store, 'subscribe');
    const waiting = Array.from({ length: 20 }, (_, i) =>
      send(`${live.url}/__admin/messages/latest?wait=20000&namespace=${i % 2 === 0 ? 'even' : 'odd'}`, 'GET'),
    );
    await vi.waitFor(async () => expect((await live.app.inject({ url: '/__admin/health' })).json().budgets.longPolls.used).toBe(20));
    const refused = await send(`${live.url}/__admin/messages/latest?wait=20000`, 'GET');
    expect(refused.status).toBe(429);
    expect(refused.json.error.code).toBe('ADM429');
    expect(subscribe).toHaveBeenCalledTimes(1);
    for (const ns of ['even', 'odd']) {
      await send(`${live.url}${GATEWAY}`, 'POST', gatewayBody(), { 'x-phonematch-namespace': ns });
    }
    const answers = await Promise.all(waiting);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(answers.map((a) => a.json.message.namespace)).toEqual(Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? 'even' : 'odd')));
    expect((await live.app.inject({ url: '/__admin/health' })).json().budgets.longPolls.used).toBe(0);
  });
});

describe('transport', () => {
  it('answers a body that never finishes arriving with 408 in the envelope', async () => {
    const live = await startLive({ requestTimeoutMs: 1_000 });
    const slow = raw(
      live.url,
      `POST ${GATEWAY} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"us`,
    );
    const answer = parseAnswer(await slow.received);
    expect(answer.status).toBe(408);
    expect((answer.body as { error: { code: string } }).error.code).toBe('REQ408');
    expectErrorEnvelope(answer.body, answer.bodyText);
  });

  it('answers headers too large with 431, and a request that is not HTTP with 400, both in the envelope', async () => {
    const live = await startLive();
    const big = raw(live.url, `GET /__admin/health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    const bigAnswer = parseAnswer(await big.received);
    expect(bigAnswer.status).toBe(431);
    expect((bigAnswer.body as { error: { code: string } }).error.code).toBe('REQ431');
    const junk = raw(live.url, 'HELLO THERE\r\n\r\n');
    const junkAnswer = parseAnswer(await junk.received);
    expect(junkAnswer.status).toBe(400);
    expect((junkAnswer.body as { error: { code: string } }).error.code).toBe('REQ400');
    expectErrorEnvelope(junkAnswer.body, junkAnswer.bodyText);
  });

  it('caps open connections: one more is closed at once, and the others still work', async () => {
    const live = await startLive({ maxConnections: 3 });
    const held = [1, 2, 3].map(() => raw(live.url, 'GET /__admin/health HTTP/1.1\r\nHost: localhost\r\n'));
    await vi.waitFor(async () => expect((await live.app.inject({ url: '/__admin/health' })).json().budgets.connections.used).toBe(3));
    const extra = raw(live.url, 'GET /__admin/health HTTP/1.1\r\nHost: localhost\r\n\r\n');
    expect(await extra.received).toBe('');
    for (const h of held) h.socket.write('\r\n');
    const answers = await Promise.all(
      held.map(async (h) => {
        const text = await new Promise<string>((resolve) => h.socket.once('data', (chunk) => resolve(chunk.toString())));
        h.socket.destroy();
        return text;
      }),
    );
    expect(answers.every((a) => a.startsWith('HTTP/1.1 200'))).toBe(true);
  });
});
