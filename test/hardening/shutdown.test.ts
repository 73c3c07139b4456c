/**
 * Graceful shutdown under load: the real command, 50 keep-alive connections busy, SIGTERM while a
 * slow answer is in flight on every one of them. Every request sent is answered in full, and the
 * process exits 0 within 2 s.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gatewayBody } from '../helpers/app.js';
import { startCli } from './support.js';

const LATENCY_MS = 300;
const CONNECTIONS = 50;

const folder = mkdtempSync(join(tmpdir(), 'phonematch-shutdown-'));
writeFileSync(
  join(folder, 'slow-300.yaml'),
  `name: slow-300\ndescription: The gateway answers after ${LATENCY_MS} ms.\ngateway:\n  latencyMs: ${LATENCY_MS}\n`,
);
const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
afterAll(() => {
  agent.destroy();
  rmSync(folder, { recursive: true, force: true });
});

interface Answer {
  status: number;
  action: string | null;
  error: string | null;
}

interface Sent {
  slow: boolean;
  /** Resolves when the request is fully written to its socket. */
  written: Promise<void>;
  answer: Promise<Answer>;
}

function post(base: string, slow: boolean): Sent {
  let written: () => void = () => undefined;
  const writtenPromise = new Promise<void>((resolve) => {
    written = resolve;
  });
  const answer = new Promise<Answer>((resolve) => {
    const req = request(
      `${base}/process/comprehensive/gateway`,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', ...(slow ? { 'x-phonematch-scenario': 'slow-300' } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () => {
          let action: string | null = null;
          try {
            action = (JSON.parse(text) as { result?: { action?: string } }).result?.action ?? null;
          } catch {
            action = null;
          }
          resolve({ status: res.statusCode ?? 0, action, error: null });
        });
        res.on('error', (error) => resolve({ status: 0, action: null, error: error.message }));
      },
    );
    req.on('finish', () => written());
    req.on('error', (error) => resolve({ status: 0, action: null, error: (error as NodeJS.ErrnoException).code ?? error.message }));
    req.end(JSON.stringify(gatewayBody()));
  });
  return { slow, written: writtenPromise, answer };
}

describe('SIGTERM under load', () => {
  it('answers every request in flight on 50 busy connections and exits 0 within 2 s', async () => {
    const cli = await startCli(['--log-level', 'silent', '--no-watch', '--scenarios', folder]);
    const sent: Sent[] = [];
    // Every connection works: a burst of quick answers each, then one slow answer each.
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async () => {
        for (let i = 0; i < 10; i++) {
          const quick = post(cli.url, false);
          sent.push(quick);
          await quick.answer;
        }
        const slow = post(cli.url, true);
        sent.push(slow);
        await slow.written;
      }),
    );
    // All 50 slow requests are written; give them a moment to reach the mock's handler.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const killedAt = performance.now();
    cli.child.kill('SIGTERM');

    const answers = await Promise.all(sent.map((s) => s.answer));
    const exit = await cli.exit;
    expect(
      answers.filter((a) => a.status !== 200 || a.action !== 'PENDING'),
      'requests not answered in full',
    ).toEqual([]);
    expect(sent.filter((s) => s.slow)).toHaveLength(CONNECTIONS);
    expect(answers).toHaveLength(CONNECTIONS * 11);
    expect(exit.code).toBe(0);
    expect(exit.at - killedAt).toBeLessThan(2_000);
    // The slow answers did wait: the mock did not cut their latency short to close sooner.
    expect(exit.at - killedAt).toBeGreaterThanOrEqual(LATENCY_MS - 100);
  }, 30_000);
});

describe('SIGTERM with a request still arriving', () => {
  it('does not wait for a body that never comes: exits 0 at once', async () => {
    const cli = await startCli(['--log-level', 'silent', '--no-watch']);
    const { port } = new URL(cli.url);
    const socket = connect(Number(port), '127.0.0.1');
    socket.on('error', () => undefined);
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write('POST /process/comprehensive/gateway HTTP/1.1\r\nHost: localhost\r\nContent-Length: 500\r\n\r\n{"user":');
    // The head has reached the mock's handler once a second, idle connection sees an answer.
    const health = await fetch(`${cli.url}/__admin/health`);
    expect(health.status).toBe(200);
    const killedAt = performance.now();
    cli.child.kill('SIGTERM');
    const exit = await cli.exit;
    await closed;
    expect(exit.code).toBe(0);
    expect(exit.at - killedAt).toBeLessThan(2_000);
  }, 20_000);
});
