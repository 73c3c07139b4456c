/**
 * Races over a real listening mock (port 0): many flows at once never share a token or lose a
 * message, and concurrent code entries for one token never get more evaluations than allowed.
 * A keep-alive agent with a bounded pool keeps the number of sockets sane.
 */
import { Agent, request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import type { LoadedScenario } from '../../src/scenarios/loader.js';
import { gatewayBody } from '../helpers/app.js';
import { startLive } from '../helpers/live.js';

const agents: Agent[] = [];
afterAll(() => {
  for (const agent of agents) agent.destroy();
});

function client(maxSockets: number) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  agents.push(agent);
  return (base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; json: any }>((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        `${base}${path}`,
        { method, agent, headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers } },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            text += chunk;
          });
          res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}

/** Continue answers wait 0 to 30 ms: the evaluation must still happen once, before the wait. */
const JITTERY: LoadedScenario = {
  scenario: { name: 'jittery-continue', description: 'Continue answers after 0 to 30 ms.', continue: { latencyMs: { min: 0, max: 30 } } },
  source: 'inline',
  phoneKeys: null,
};

describe('2,000 concurrent full flows', () => {
  it('each passes exactly once, with its own token, and every message is captured', async () => {
    const live = await startLive({ scenarios: null });
    const http = client(50);
    const FLOWS = 2_000;
    const flows = await Promise.all(
      Array.from({ length: FLOWS }, async (_, i) => {
        const sent = await http(live.url, 'POST', '/process/comprehensive/gateway', gatewayBody({ reference: `race-${i}` }));
        expect(sent.status).toBe(200);
        expect(sent.json.meta.reference).toBe(`race-${i}`);
        const token = sent.json.continuations.outofband.template.token as string;
        const read = await http(live.url, 'GET', `/__admin/transactions/${token}`);
        expect(read.json.transaction.reference).toBe(`race-${i}`);
        const pin = read.json.transaction.pin as string;
        const passed = await http(live.url, 'POST', '/process/continue', { token, codematch: { key: pin } });
        const again = await http(live.url, 'POST', '/process/continue', { token, codematch: { key: pin } });
        return { i, token, pin, result: passed.json.result?.action, again: again.json.error?.code };
      }),
    );
    expect(flows.filter((f) => f.result === 'PASS')).toHaveLength(FLOWS);
    expect(flows.filter((f) => f.again === 'QRY6')).toHaveLength(FLOWS);
    expect(new Set(flows.map((f) => f.token)).size).toBe(FLOWS);

    const { json } = await http(live.url, 'GET', '/__admin/messages?limit=100000');
    const byToken = new Map<string, { pin: string }>(json.messages.map((m: { token: string; pin: string }) => [m.token, m]));
    for (const flow of flows) expect(byToken.get(flow.token)?.pin, `message of flow ${flow.i}`).toBe(flow.pin);
    expect(live.app.simulator.store.transactions({}).filter((tx) => tx.state === 'passed')).toHaveLength(FLOWS);
  }, 120_000);
});

describe('200 concurrent continue calls on one token', () => {
  const http = client(200);

  async function storm(maxAttempts: number, keyOf: (i: number, pin: string) => string, headers: Record<string, string> = {}) {
    const live = await startLive({ scenarios: null, maxAttempts }, { inlineScenarios: [JITTERY] });
    const sent = await http(live.url, 'POST', '/process/comprehensive/gateway', gatewayBody());
    const token = sent.json.continuations.outofband.template.token as string;
    const seeded = live.app.simulator.store.transactionByToken(token);
    const pin = seeded?.kind === 'otp' ? (seeded.pin ?? '') : '';
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        http(live.url, 'POST', '/process/continue', { token, codematch: { key: keyOf(i, pin) } }, headers),
      ),
    );
    const evaluated = answers.filter((a) => a.status === 200);
    for (const a of answers.filter((x) => x.status !== 200)) expect([a.status, a.json.error.code]).toEqual([400, 'QRY6']);
    const tx = live.app.simulator.store.transactionByToken(token);
    expect(tx?.kind === 'otp' && tx.attempts).toHaveLength(evaluated.length);
    return { evaluated: evaluated.map((a) => a.json.result.action as string), tx };
  }

  const wrong = (_: number, pin: string) => (pin === '000000' ? '111111' : '000000');
  const right = (_: number, pin: string) => pin;
  const mixed = (i: number, pin: string) => (i % 2 === 0 ? wrong(i, pin) : pin);

  it('max attempts 1: the right code passes once, every other call is refused', async () => {
    const { evaluated, tx } = await storm(1, right);
    expect(evaluated).toEqual(['PASS']);
    expect(tx?.state).toBe('passed');
  });

  it('max attempts 1: a wrong code fails once, every other call is refused', async () => {
    const { evaluated, tx } = await storm(1, wrong);
    expect(evaluated).toEqual(['FAIL']);
    expect(tx?.state).toBe('failed');
  });

  it('max attempts 3: wrong codes are evaluated exactly three times', async () => {
    const { evaluated, tx } = await storm(3, wrong);
    expect(evaluated).toEqual(['FAIL', 'FAIL', 'FAIL']);
    expect(tx?.state).toBe('failed');
  });

  it('max attempts 3: mixed codes stop at the first PASS, never more than three evaluations', async () => {
    const { evaluated, tx } = await storm(3, mixed);
    expect(evaluated.length).toBeGreaterThanOrEqual(1);
    expect(evaluated.length).toBeLessThanOrEqual(3);
    expect(evaluated.filter((a) => a === 'PASS').length).toBeLessThanOrEqual(1);
    if (evaluated.includes('PASS')) expect(tx?.state).toBe('passed');
    else expect([evaluated.length, tx?.state]).toEqual([3, 'failed']);
  });

  it('max attempts 3 with answers delayed by a scenario: still at most three evaluations', async () => {
    const { evaluated } = await storm(3, wrong, { 'x-phonematch-scenario': 'jittery-continue' });
    expect(evaluated).toEqual(['FAIL', 'FAIL', 'FAIL']);
  });
});
