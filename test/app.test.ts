/**
 * The mock's log. Fastify has the logger only from debug down: with one, it times every response
 * with two listeners and two clock reads, 3–6% of the gateway's throughput (docs/performance.md).
 * Above debug, the mock's own lines still go out, and requests are not logged (the journal has them).
 */
import { describe, expect, it } from 'vitest';
import { listen } from '../src/server.js';
import { gatewayBody, makeApp } from './helpers/app.js';

function capture() {
  const lines: Record<string, any>[] = [];
  return { lines, stream: { write: (line: string) => lines.push(JSON.parse(line)) } };
}

describe('the log', () => {
  it('above debug: Fastify runs without a logger, requests write no line, the mock says where it listens', async () => {
    const { lines, stream } = capture();
    const { app, url } = await listen({ port: 0, logLevel: 'info', watchScenarios: false }, { logger: { level: 'info', stream } });
    try {
      expect(app.log).not.toBe(app.mockLog);
      await fetch(`${url}/process/comprehensive/gateway`, { method: 'POST', body: JSON.stringify(gatewayBody()) });
      expect(lines.map((line) => line.msg)).toEqual([`Server listening at ${url}`]);
      expect(lines[0]?.level).toBe(30);
    } finally {
      await app.close();
    }
  });

  it('from debug down: Fastify logs each request, with its id and time, never its body', async () => {
    const { lines, stream } = capture();
    const app = await makeApp({ scenarios: null }, { logger: { level: 'debug', stream } });
    const res = await app.inject({
      method: 'POST',
      url: '/process/comprehensive/gateway?token=abc',
      payload: gatewayBody({ pass: 'hunter2' }),
    });
    expect(res.statusCode).toBe(200);
    const incoming = lines.find((line) => line.msg === 'incoming request');
    const completed = lines.find((line) => line.msg === 'request completed');
    expect(incoming).toMatchObject({
      level: 20,
      reqId: expect.any(String),
      req: { method: 'POST', url: '/process/comprehensive/gateway?token=[redacted]' },
    });
    expect(completed).toMatchObject({ level: 20, reqId: incoming?.reqId, res: { statusCode: 200 }, responseTime: expect.any(Number) });
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });
});
