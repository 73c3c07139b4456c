/**
 * Scenarios with memory and chance, and the resend rule, over real HTTP: what QA see from an app.
 * The shipped files are the ones under test (retry-after-failure, third-attempt-passes,
 * flaky-carrier, resend); inline scenarios cover the other settings.
 */
import { describe, expect, it } from 'vitest';
import { compileScenario, type LoadedScenario } from '../../src/scenarios/loader.js';
import { type Live, send, startLive } from '../helpers/live.js';
import { expectSpecResponse } from '../helpers/spec.js';

const FLAKY = '2015550112';
const RETRY = '2015550110';
const RESEND = '2015550113';

function inline(value: Record<string, unknown>): LoadedScenario {
  const compiled = compileScenario({ description: 'inline', ...value }, 'inline', { defaultRegion: 'US', ambiguousLineType: 'mobile' });
  if (typeof compiled === 'string') throw new Error(compiled);
  return compiled;
}

function gatewayTo(live: Live, phone: string, namespace: string, extra: Record<string, string> = {}) {
  return send(
    `${live.url}/process/comprehensive/gateway`,
    'POST',
    { user: 'qa@company.com', pass: 'secret', service: 'PhoneMatch5.0.SMS', reference: 'ref-1', target: { phone } },
    { 'x-phonematch-namespace': namespace, ...extra },
  );
}

async function details(live: Live, phone: string, namespace: string, count: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push((await gatewayTo(live, phone, namespace)).json.result.detail);
  return out;
}

async function pinOf(live: Live, token: string): Promise<string> {
  return (await send(`${live.url}/__admin/transactions/${token}`, 'GET')).json.transaction.pin;
}

describe('chance: flaky-carrier with a fixed seed', () => {
  it('replays the same sequence with the same seed, whatever other namespaces do, and about one in three fails', async () => {
    const first = await startLive({ seed: 4242 });
    const second = await startLive({ seed: 4242 });
    const a = await details(first, FLAKY, 'qa', 30);
    // Interleaved traffic in another namespace does not shift the sequence of 'qa'.
    const b: string[] = [];
    for (let i = 0; i < 30; i++) {
      await gatewayTo(second, FLAKY, 'someone-else');
      b.push((await gatewayTo(second, FLAKY, 'qa')).json.result.detail);
    }
    expect(b).toEqual(a);
    const fails = a.filter((d) => d === 'FAILED TO SEND TO NUMBER').length;
    expect(fails).toBeGreaterThanOrEqual(4);
    expect(fails).toBeLessThanOrEqual(18);
    expect(a.filter((d) => d === 'MORE INFORMATION IS REQUIRED').length).toBe(30 - fails);
    // A reset of the namespace starts its stream over: the same sequence again.
    await send(`${first.url}/__admin/reset?namespace=qa`, 'POST');
    expect(await details(first, FLAKY, 'qa', 30)).toEqual(a);
    // Another seed, another sequence.
    const other = await startLive({ seed: 4243 });
    expect(await details(other, FLAKY, 'qa', 30)).not.toEqual(a);
    // The journal and the scenario list show the seed.
    const journal = await send(`${first.url}/__admin/requests?namespace=qa&limit=1`, 'GET');
    expect(journal.json.requests[0]).toMatchObject({ seed: 4242, variation: expect.stringMatching(/^chance 0\.33: (hit|miss)$/) });
    const list = await send(`${first.url}/__admin/scenarios`, 'GET');
    expect(list.json.seed).toBe(4242);
  });

  it('without --seed picks one, and shows it', async () => {
    const live = await startLive({});
    const list = await send(`${live.url}/__admin/scenarios`, 'GET');
    expect(list.json.seed).toBe(live.app.simulator.seed);
    expect(Number.isInteger(list.json.seed)).toBe(true);
  });
});

describe('memory: retry-after-failure', () => {
  it('fails the first send per number, delivers the retries; the position shows, and a reset starts over', async () => {
    const live = await startLive({ seed: 1 });
    expect(await details(live, RETRY, 'app', 3)).toEqual([
      'FAILED TO SEND TO NUMBER',
      'MORE INFORMATION IS REQUIRED',
      'MORE INFORMATION IS REQUIRED',
    ]);
    // Another namespace has its own count.
    expect(await details(live, RETRY, 'other', 1)).toEqual(['FAILED TO SEND TO NUMBER']);
    const list = await send(`${live.url}/__admin/scenarios?namespace=app`, 'GET');
    expectSpecResponse('listScenarios', 200, list.json, 'admin-openapi.yaml');
    expect(list.json.positions).toEqual([
      {
        namespace: 'app',
        scenario: 'retry-after-failure',
        endpoint: 'gateway',
        per: 'phone',
        key: '+12015550110',
        count: 3,
        nextStep: 2,
        steps: 2,
      },
    ]);
    const txs = await send(`${live.url}/__admin/transactions?namespace=app`, 'GET');
    expect(txs.json.transactions.map((t: { variation: string }) => t.variation)).toEqual([
      'gateway step 2 of 2',
      'gateway step 2 of 2',
      'gateway step 1 of 2',
    ]);
    await send(`${live.url}/__admin/reset?namespace=app`, 'POST');
    expect((await send(`${live.url}/__admin/scenarios?namespace=app`, 'GET')).json.positions).toEqual([]);
    expect(await details(live, RETRY, 'app', 1)).toEqual(['FAILED TO SEND TO NUMBER']);
  });

  it('counts per reference when the scenario says so', async () => {
    const byReference = inline({
      name: 'by-ref',
      match: { phone: '2015106100' },
      sequence: { per: 'reference', gateway: [{ delivery: { fail: true } }, {}] },
    });
    const live = await startLive({ scenarios: null }, { inlineScenarios: [byReference] });
    const sendRef = (reference: string) =>
      send(`${live.url}/process/comprehensive/gateway`, 'POST', {
        user: 'u',
        pass: 'p',
        service: 'PhoneMatch5.0.SMS',
        reference,
        target: { phone: '2015106100' },
      });
    expect((await sendRef('order-1')).json.result.action).toBe('FAIL');
    expect((await sendRef('order-1')).json.result.action).toBe('PENDING');
    expect((await sendRef('order-2')).json.result.action).toBe('FAIL');
  });
});

describe('memory: third-attempt-passes', () => {
  it('fails the first two entries of the right code and passes the third', async () => {
    const live = await startLive({});
    const sent = await gatewayTo(live, '2015550111', 'qa');
    const token = sent.json.continuations.outofband.template.token;
    const pin = await pinOf(live, token);
    const actions: string[] = [];
    for (let i = 0; i < 3; i++)
      actions.push((await send(`${live.url}/process/continue`, 'POST', { token, codematch: { key: pin } })).json.result.action);
    expect(actions).toEqual(['FAIL', 'FAIL', 'PASS']);
    const journal = await send(`${live.url}/__admin/requests?namespace=qa&endpoint=continue`, 'GET');
    expect(journal.json.requests.map((r: { variation: string }) => r.variation)).toEqual([
      'continue step 3 of 3',
      'continue step 2 of 3',
      'continue step 1 of 3',
    ]);
  });
});

describe('resend', () => {
  it('resend: a new token and pin; the old token gets the bad-token error and reads as replaced', async () => {
    const live = await startLive({});
    const first = await gatewayTo(live, RESEND, 'qa');
    const oldToken = first.json.continuations.outofband.template.token;
    const oldPin = await pinOf(live, oldToken);
    const second = await gatewayTo(live, RESEND, 'qa');
    const newToken = second.json.continuations.outofband.template.token;
    expect(newToken).not.toBe(oldToken);
    const old = await send(`${live.url}/process/continue`, 'POST', { token: oldToken, codematch: { key: oldPin } });
    expect(old.json.error.code).toBe('QRY6');
    const state = await send(`${live.url}/__admin/transactions/${oldToken}`, 'GET');
    expectSpecResponse('getTransaction', 200, state.json, 'admin-openapi.yaml');
    expect(state.json.transaction.state).toBe('replaced');
    const fresh = await send(`${live.url}/process/continue`, 'POST', { token: newToken, codematch: { key: await pinOf(live, newToken) } });
    expect(fresh.json.result.action).toBe('PASS');
    // Another namespace's pending code is not touched.
    const elsewhere = await gatewayTo(live, RESEND, 'other');
    await gatewayTo(live, RESEND, 'qa');
    const token = elsewhere.json.continuations.outofband.template.token;
    const kept = await send(`${live.url}/process/continue`, 'POST', { token, codematch: { key: await pinOf(live, token) } });
    expect(kept.json.result.action).toBe('PASS');
  });

  it('a resend finds the pending code sent before any resend rule was in force (the first rule in force builds its index from the store)', async () => {
    const live = await startLive({});
    // Two numbers, two namespaces, codes sent while no resend rule is in force anywhere.
    const first = await gatewayTo(live, '2015106210', 'qa');
    const otherNumber = await gatewayTo(live, '2015106211', 'qa');
    const otherNamespace = await gatewayTo(live, '2015106210', 'other');
    const later = await gatewayTo(live, '2015106210', 'qa');
    // The shipped resend scenario forced on one gateway: the latest pending code of that number in
    // that namespace (not the first one, which a resend would no longer name) is replaced.
    await gatewayTo(live, '2015106210', 'qa', { 'x-phonematch-scenario': 'resend' });
    const stateOf = async (answer: { json: { continuations: { outofband: { template: { token: string } } } } }) =>
      (await send(`${live.url}/__admin/transactions/${answer.json.continuations.outofband.template.token}`, 'GET')).json.transaction.state;
    expect(await stateOf(later)).toBe('replaced');
    expect(await stateOf(first)).toBe('pending');
    expect(await stateOf(otherNumber)).toBe('pending');
    expect(await stateOf(otherNamespace)).toBe('pending');
    // From then on the index is kept as gateways come.
    const next = await gatewayTo(live, '2015106211', 'qa');
    await gatewayTo(live, '2015106211', 'qa', { 'x-phonematch-scenario': 'resend' });
    expect(await stateOf(next)).toBe('replaced');
    expect(await stateOf(otherNumber)).toBe('pending');
  });

  it('a code seeded by the control API (a Pact state) is not a pending code a resend replaces', async () => {
    const live = await startLive({});
    const seeded = live.app.simulator.seedTransaction({ phone: '2015106212', pin: '123456', user: 'qa@company.com', namespace: 'qa' });
    await gatewayTo(live, '2015106212', 'qa', { 'x-phonematch-scenario': 'resend' });
    expect(seeded.state).toBe('pending');
    const continued = await send(`${live.url}/process/continue`, 'POST', { token: seeded.token, codematch: { key: '123456' } });
    expect(continued.json.result.action).toBe('PASS');
  });

  it('without the rule every gateway is its own transaction; oldToken: keep and pin: same change the rule', async () => {
    const keep = inline({ name: 'keep', match: { phone: '2015106200' }, otp: { resend: { oldToken: 'keep', pin: 'same' } } });
    const live = await startLive({ scenarios: null }, { inlineScenarios: [keep] });
    for (const phone of ['2015106200', '2015106201']) {
      const first = await gatewayTo(live, phone, 'qa');
      const second = await gatewayTo(live, phone, 'qa');
      const t1 = first.json.continuations.outofband.template.token;
      const t2 = second.json.continuations.outofband.template.token;
      const p1 = await pinOf(live, t1);
      if (phone === '2015106200') expect(await pinOf(live, t2)).toBe(p1);
      const old = await send(`${live.url}/process/continue`, 'POST', { token: t1, codematch: { key: p1 } });
      expect(old.json.result.action, phone).toBe('PASS');
    }
  });
});

describe('your scenarios beside the shipped ones', () => {
  it('loads a folder of yours and keeps every shipped magic number', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'pm-mine-'));
    try {
      writeFileSync(join(dir, 'mine.yaml'), 'name: mine\ndescription: Mine.\nmatch:\n  phone: 2015106300\nnumber:\n  valid: false\n');
      const live = await startLive({ scenarios: [dir] });
      expect((await gatewayTo(live, '2015106300', 'x')).json.result.detail).toBe('DATA CHECK FAILED');
      expect((await gatewayTo(live, '2015550103', 'x')).json.result.detail).toBe('FAILED TO SEND TO NUMBER'); // shipped send-failure
      const alone = await startLive({ scenarios: [dir], shippedScenarios: false });
      expect((await gatewayTo(alone, '2015550103', 'x')).json.result.detail).toBe('MORE INFORMATION IS REQUIRED');
      expect((await send(`${alone.url}/__admin/scenarios`, 'GET')).json.scenarios.map((s: { name: string }) => s.name)).toEqual(['mine']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
