/**
 * Every shipped scenario file, end to end, three ways: by its magic number (when it has one),
 * by the x-phonematch-scenario header on an ordinary number, and by activation through the
 * control API. A real listening mock and a real HTTP client, because faults and latency are
 * only visible from outside. Each scenario's three ways run at once, and the scenarios run
 * concurrently, so the slow ones (3 s, 2 s) cost their latency once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHIPPED_SCENARIOS } from '../../src/config.js';
import { MALFORMED_BODY } from '../../src/http/transport.js';
import { loadScenarioDirs } from '../../src/scenarios/loader.js';
import { type HttpResult, type Live, send, startLive } from '../helpers/live.js';
import { expectSpecResponse } from '../helpers/spec.js';

const ADMIN = 'admin-openapi.yaml';
const ORDINARY_NUMBER = '2015106000';
const PHONE_OPTIONS = { defaultRegion: 'US', ambiguousLineType: 'mobile' } as const;

/** What an answer must be. */
type Answer =
  /** A PhoneMatch answer (HTTP 200, checked against openapi.yaml); `issues` omitted: none. */
  | { action: 'PENDING' | 'FAIL' | 'PASS' | 'REVIEW'; detail: string; issues?: string[] }
  /** An answer a scenario replaced, or a request error. */
  | { status: number; code?: string; header?: [string, string]; contentType?: RegExp; text?: RegExp }
  /** A broken connection. */
  | { fault: 'reset' | 'empty' | 'malformed' }
  /** Left to chance: any one of these (the journal's `variation` then says which was drawn). */
  | { anyOf: Answer[] };

interface Entry {
  /** The pin that was sent, or a key that is surely wrong; `status`: the Dialer's status request. */
  key: 'pin' | 'wrong' | 'status';
  answer: Answer;
  atLeastMs?: number;
}

interface Run {
  /** The service asked for; omitted: PhoneMatch5.0.SMS. Dialer calls play `test.message`; Validate sends nothing. */
  service?: string;
  /** `options.outofband` of the gateway request, besides the message template. */
  outofband?: Record<string, unknown>;
  /** Validate's `target.invalid_phonelinetypes`. */
  invalidLineTypes?: string[];
  /** Validate's `output.data.PhoneNumber[0]` (some of its keys). */
  described?: Record<string, string>;
  gateway: Answer;
  gatewayAtLeastMs?: number;
  /** What the inbox gets; omitted: nothing. `afterMs`: it arrives that long after the answer. */
  message?: { status: 'delivered' | 'failed' | 'calling'; pin?: string; afterMs?: number };
  /** What the control API shows of the number and the token (when a transaction was made). */
  transaction?: { valid?: boolean; lineType?: string | null; country?: string; carrier?: string; maxAttempts?: number };
  /** Moves the namespace's clock before the entries. */
  advanceMs?: number;
  entries?: Entry[];
  /** The transaction's state after the entries. */
  finalState?: string;
  /** After this gateway, the previous gateway's token entered with its pin (a resend kills it, or not). */
  previousToken?: Answer;
  /** The journal's `variation` for the gateway, e.g. "gateway step 1 of 2". */
  variation?: string | RegExp;
  /** Gateways that follow in the same namespace, to the same number: sequences and resends. */
  next?: Run[];
}

const PASS = { action: 'PASS', detail: 'ALL CHECKS PASSED' } as const;
const PENDING = { action: 'PENDING', detail: 'MORE INFORMATION IS REQUIRED' } as const;
const OOB_FAIL = { action: 'FAIL', detail: 'FAILED OUT-OF-BAND CHECK' } as const;
const SUPPRESSED = { action: 'FAIL', detail: 'SUPPRESSED SENDING CODE' } as const;
const BAD_TOKEN = { status: 400, code: 'QRY6' } as const;
const DELIVERED = { status: 'delivered' } as const;
const DIALER = 'PhoneMatch5.0.Dialer';
const VALIDATE = 'PhoneMatch5.0.Validate';
const NOT_DELIVERED = { action: 'FAIL', detail: 'FAILED TO SEND TO NUMBER' } as const;
const STATUS_PENDING = { key: 'status', answer: PENDING } as const;
const SEND_FAIL = { action: 'FAIL', detail: 'FAILED TO SEND TO NUMBER' } as const;
/** The seed of the run: chance in the shipped scenarios draws the same way every time. */
const SEED = 20_261_129;
const flakySend: Run = { gateway: { anyOf: [PENDING, SEND_FAIL] }, variation: /^chance 0\.33: (hit|miss)$/ };

const SMART2FA = 'PhoneMatch5.0.Smart2FA.SMS';
const VERIFICATION = 'PhoneMatch5.0';

/** An identity scenario, both ways the identity services give a verdict: at once, and after a right code. */
function identityRuns(verdict: Answer): Run[] {
  return [
    { service: VERIFICATION, gateway: verdict, finalState: 'action' in verdict && verdict.action === 'PASS' ? 'passed' : 'failed' },
    { service: SMART2FA, gateway: PENDING, message: DELIVERED, entries: [{ key: 'pin', answer: verdict }], finalState: 'failed' },
    // A wrong code never reaches the identity step.
    { service: SMART2FA, gateway: PENDING, message: DELIVERED, entries: [{ key: 'wrong', answer: OOB_FAIL }], finalState: 'failed' },
    // The other services ignore the identity outcome.
    { gateway: PENDING, message: DELIVERED, entries: [{ key: 'pin', answer: PASS }], finalState: 'passed' },
  ];
}

/** One entry per shipped scenario file; a file without one fails the suite. */
const EXPECTATIONS: Record<string, Run[]> = {
  'happy-path': [
    {
      gateway: PENDING,
      message: { status: 'delivered', pin: '123456' },
      transaction: { lineType: 'mobile', carrier: 'Mock Wireless' },
      entries: [{ key: 'pin', answer: PASS }],
      finalState: 'passed',
    },
  ],
  landline: [
    {
      outofband: { do_not_send_to_types: ['landline'] },
      gateway: SUPPRESSED,
      transaction: { lineType: 'landline' },
      finalState: 'rejected',
    },
    {
      gateway: PENDING,
      message: DELIVERED,
      transaction: { lineType: 'landline', carrier: 'Mock Telephone Co.' },
      entries: [{ key: 'pin', answer: PASS }],
    },
  ],
  voip: [
    { outofband: { do_not_send_to_types: ['voip'] }, gateway: SUPPRESSED, transaction: { lineType: 'voip' }, finalState: 'rejected' },
    {
      service: VALIDATE,
      invalidLineTypes: ['voip'],
      gateway: { action: 'FAIL', detail: 'PHONE TYPE CHECK FAILED' },
      described: { phonelinetype: 'VoIP', carrier: 'Mock VoIP Inc.' },
      finalState: 'rejected',
    },
    { service: DIALER, outofband: { do_not_send_to_types: ['voip'] }, gateway: SUPPRESSED, finalState: 'rejected' },
    {
      gateway: PENDING,
      message: DELIVERED,
      transaction: { lineType: 'voip', carrier: 'Mock VoIP Inc.' },
      entries: [{ key: 'pin', answer: PASS }],
    },
  ],
  'send-failure': [
    { gateway: { action: 'FAIL', detail: 'FAILED TO SEND TO NUMBER' }, message: { status: 'failed' }, finalState: 'rejected' },
    { service: DIALER, gateway: NOT_DELIVERED, message: { status: 'failed' }, finalState: 'rejected' },
  ],
  'invalid-number': [
    { gateway: { action: 'FAIL', detail: 'DATA CHECK FAILED' }, transaction: { valid: false, lineType: null }, finalState: 'rejected' },
    { service: VALIDATE, gateway: { action: 'FAIL', detail: 'PHONE CHECK FAILED' }, finalState: 'rejected' },
    { service: DIALER, gateway: { action: 'FAIL', detail: 'DATA CHECK FAILED' }, finalState: 'rejected' },
  ],
  'dialer-no-answer': [
    {
      service: DIALER,
      gateway: PENDING,
      message: { status: 'failed' },
      entries: [
        { key: 'status', answer: NOT_DELIVERED },
        { key: 'status', answer: NOT_DELIVERED },
      ],
      finalState: 'failed',
    },
  ],
  'dialer-busy': [
    {
      service: DIALER,
      gateway: PENDING,
      message: { status: 'failed' },
      entries: [{ key: 'status', answer: NOT_DELIVERED }],
      finalState: 'failed',
    },
  ],
  'dialer-long-call': [
    { service: DIALER, gateway: PENDING, message: { status: 'calling' }, entries: [STATUS_PENDING, STATUS_PENDING], finalState: 'pending' },
    {
      service: DIALER,
      gateway: PENDING,
      message: { status: 'calling' },
      advanceMs: 60_000,
      entries: [{ key: 'status', answer: PASS }],
      finalState: 'passed',
    },
  ],
  'dialer-slow-status': [
    {
      service: DIALER,
      gateway: PENDING,
      message: { status: 'calling' },
      entries: [STATUS_PENDING, STATUS_PENDING, { key: 'status', answer: PASS }, { key: 'status', answer: PASS }],
      finalState: 'passed',
    },
  ],
  'code-mismatch': [
    {
      gateway: PENDING,
      message: DELIVERED,
      entries: [
        { key: 'pin', answer: OOB_FAIL },
        { key: 'pin', answer: BAD_TOKEN },
      ],
      finalState: 'failed',
    },
  ],
  'slow-provider': [{ gateway: PENDING, gatewayAtLeastMs: 3000, message: DELIVERED, entries: [{ key: 'pin', answer: PASS }] }],
  'provider-error': [{ gateway: { status: 503, code: 'SVC503', header: ['retry-after', '30'] } }],
  'connection-reset': [{ gateway: { fault: 'reset' } }],
  'expired-code': [{ gateway: PENDING, message: DELIVERED, entries: [{ key: 'pin', answer: BAD_TOKEN }], finalState: 'expired' }],
  'always-pass': [{ gateway: PENDING, message: DELIVERED, entries: [{ key: 'wrong', answer: PASS }], finalState: 'passed' }],
  'empty-response': [{ gateway: { fault: 'empty' } }],
  'malformed-response': [{ gateway: { fault: 'malformed' } }],
  'slow-continue': [{ gateway: PENDING, message: DELIVERED, entries: [{ key: 'pin', answer: PASS, atLeastMs: 1000 }] }],
  'continue-provider-error': [
    { gateway: PENDING, message: DELIVERED, entries: [{ key: 'pin', answer: { status: 500, code: 'SVC500' } }], finalState: 'pending' },
  ],
  'continue-reset': [
    { gateway: PENDING, message: DELIVERED, entries: [{ key: 'pin', answer: { fault: 'reset' } }], finalState: 'pending' },
  ],
  'delayed-delivery': [{ gateway: PENDING, message: { status: 'delivered', afterMs: 2000 }, entries: [{ key: 'pin', answer: PASS }] }],
  'three-attempts': [
    {
      gateway: PENDING,
      message: DELIVERED,
      transaction: { maxAttempts: 3 },
      entries: [
        { key: 'wrong', answer: OOB_FAIL },
        { key: 'wrong', answer: OOB_FAIL },
        { key: 'pin', answer: PASS },
        { key: 'pin', answer: BAD_TOKEN },
      ],
      finalState: 'passed',
    },
    {
      gateway: PENDING,
      message: DELIVERED,
      entries: [
        { key: 'wrong', answer: OOB_FAIL },
        { key: 'wrong', answer: OOB_FAIL },
        { key: 'wrong', answer: OOB_FAIL },
        { key: 'pin', answer: BAD_TOKEN },
      ],
      finalState: 'failed',
    },
  ],
  'retry-after-failure': [
    {
      gateway: SEND_FAIL,
      message: { status: 'failed' },
      finalState: 'rejected',
      variation: 'gateway step 1 of 2',
      next: [
        {
          gateway: PENDING,
          message: DELIVERED,
          variation: 'gateway step 2 of 2',
          entries: [{ key: 'pin', answer: PASS }],
          finalState: 'passed',
          next: [{ gateway: PENDING, message: DELIVERED, variation: 'gateway step 2 of 2' }],
        },
      ],
    },
  ],
  'third-attempt-passes': [
    {
      gateway: PENDING,
      message: DELIVERED,
      transaction: { maxAttempts: 3 },
      entries: [
        { key: 'pin', answer: OOB_FAIL },
        { key: 'pin', answer: OOB_FAIL },
        { key: 'pin', answer: PASS },
      ],
      finalState: 'passed',
    },
  ],
  'flaky-carrier': [{ ...flakySend, next: [flakySend, flakySend, flakySend, flakySend, flakySend] }],
  resend: [
    {
      gateway: PENDING,
      message: DELIVERED,
      next: [
        { gateway: PENDING, message: DELIVERED, previousToken: BAD_TOKEN, entries: [{ key: 'pin', answer: PASS }], finalState: 'passed' },
      ],
    },
  ],
  'rate-limited': [{ gateway: { status: 429, code: 'RATE429', header: ['retry-after', '60'] } }],
  'gateway-html-error': [{ gateway: { status: 502, contentType: /^text\/html/, text: /502 Bad Gateway/ } }],
  'foreign-number': [
    { outofband: { country: { whitelist: ['US'] } }, gateway: SUPPRESSED, transaction: { country: 'GB', carrier: 'Mock Mobile UK' } },
    {
      service: VALIDATE,
      gateway: { action: 'PASS', detail: 'ALL CHECKS PASSED' },
      described: { countrycode: 'GB', country: 'United Kingdom', phonelinetype: 'Mobile', carrier: 'Mock Mobile UK' },
      finalState: 'passed',
    },
    { gateway: PENDING, message: DELIVERED, transaction: { country: 'GB' }, entries: [{ key: 'pin', answer: PASS }] },
  ],
  'identity-deceased': identityRuns({ action: 'FAIL', detail: 'TARGET IS DECEASED' }),
  'identity-no-match': identityRuns({ action: 'FAIL', detail: 'NO MATCH' }),
  'identity-review': identityRuns({
    action: 'REVIEW',
    detail: 'TRANSACTION REQUIRES FURTHER ATTENTION',
    issues: ['ADDRESS CHECK FAILED', 'DATE OF BIRTH CHECK FAILED'],
  }),
  'short-token': [
    // 20 s of the 30: the rest is real time, and a loaded machine can take seconds between the gateway and the entry.
    { gateway: PENDING, message: DELIVERED, advanceMs: 20_000, entries: [{ key: 'pin', answer: PASS }], finalState: 'passed' },
    { gateway: PENDING, message: DELIVERED, advanceMs: 30_000, entries: [{ key: 'pin', answer: BAD_TOKEN }], finalState: 'expired' },
  ],
};

const loaded = loadScenarioDirs(SHIPPED_SCENARIOS, PHONE_OPTIONS);

type Way = 'magic number' | 'header' | 'activation';

let live: Live;

beforeAll(async () => {
  live = await startLive({ seed: SEED }, {}, false);
});

afterAll(async () => {
  await live.app.close();
});

async function admin(operationId: string, method: string, path: string, body?: unknown): Promise<HttpResult> {
  const res = await send(`${live.url}${path}`, method, body);
  expectSpecResponse(operationId, res.status, res.json, ADMIN);
  return res;
}

function expectAnswer(where: string, answer: Answer, res: HttpResult, operationId: 'gateway' | 'continue'): void {
  if ('anyOf' in answer) {
    const matching = answer.anyOf.filter((one) => {
      try {
        expectAnswer(where, one, res, operationId);
        return true;
      } catch {
        return false;
      }
    });
    expect(matching.length, `${where}: one of ${JSON.stringify(answer.anyOf)}, got ${res.text}`).toBeGreaterThan(0);
    return;
  }
  if ('fault' in answer) {
    if (answer.fault === 'malformed') {
      expect(res.status, where).toBe(200);
      expect(res.text, where).toBe(MALFORMED_BODY);
      expect(res.json, `${where}: the body must not parse`).toBeUndefined();
    } else {
      expect(res.status, `${where}: no answer at all`).toBe(0);
      // undici reports a reset as ECONNRESET and a close without an answer as "other side closed".
      expect(res.error, where).toBe(answer.fault === 'reset' ? 'ECONNRESET' : 'UND_ERR_SOCKET');
    }
    return;
  }
  if ('action' in answer) {
    expect(res.status, `${where}: ${res.text}`).toBe(200);
    expectSpecResponse(operationId, 200, res.json);
    expect(res.json.result, where).toEqual({ action: answer.action, detail: answer.detail, issues: answer.issues ?? [] });
    if (operationId === 'gateway') expect('continuations' in res.json, where).toBe(answer.action === 'PENDING');
    return;
  }
  expect(res.status, `${where}: ${res.text}`).toBe(answer.status);
  if (answer.status === 400) expectSpecResponse(operationId, 400, res.json);
  if (answer.code) expect(res.json?.error?.code, where).toBe(answer.code);
  if (answer.header) expect(res.headers?.get(answer.header[0]), where).toBe(answer.header[1]);
  if (answer.contentType) expect(res.headers?.get('content-type'), where).toMatch(answer.contentType);
  if (answer.text) expect(res.text, where).toMatch(answer.text);
}

function wrongKey(pin: string): string {
  return pin.replace(/^./, (d) => String((Number(d) + 1) % 10));
}

/** What the earlier gateways of a run left in its namespace. */
interface Before {
  gateways: number;
  transactions: number;
  continues: number;
  lastMessageId: number;
  token?: string;
  pin?: string;
}

/**
 * One run of one scenario, one way, in a namespace of its own (named by the run, not by the
 * order the concurrent tests start in, so the seeded chance draws the same every time), then
 * its `next` runs in the same namespace.
 */
async function play(name: string, way: Way, run: Run, phone: string, runIndex: number, before?: Before): Promise<void> {
  const namespace = `shipped-${name}-${way.replace(' ', '-')}-${runIndex}`;
  const step = before ? before.gateways : 0;
  const where = `${name} by ${way}${step > 0 ? `, gateway ${step + 1}` : ''}`;
  const seen: Before = before ?? { gateways: 0, transactions: 0, continues: 0, lastMessageId: 0 };
  const headers: Record<string, string> = { 'x-phonematch-namespace': namespace };
  if (way === 'header') headers['x-phonematch-scenario'] = name;
  if (way === 'activation' && !before) {
    const activated = await admin('activateScenario', 'PUT', '/__admin/scenarios/active', { name, namespace });
    expect(activated.status, where).toBe(200);
    expect(activated.json.active, where).toContainEqual({ namespace, name });
  }

  const common = { user: 'qa@company.com', pass: 'secret', reference: where };
  const body =
    run.service === VALIDATE
      ? { ...common, service: VALIDATE, target: { phone, invalid_phonelinetypes: run.invalidLineTypes ?? [] } }
      : run.service === DIALER
        ? { ...common, service: DIALER, options: { outofband: { message: 'test.message', ...run.outofband } }, target: { phone } }
        : {
            ...common,
            service: run.service ?? 'PhoneMatch5.0.SMS',
            options: { outofband: { message: 'Your code is {pin}', ...run.outofband } },
            target: { fn: 'Ada', ln: 'Lovelace', phone },
          };
  const sent = await send(`${live.url}/process/comprehensive/gateway`, 'POST', body, headers);
  const answeredAt = performance.now();
  expectAnswer(`${where}: gateway`, run.gateway, sent, 'gateway');
  if (run.described) expect(sent.json.output.data.PhoneNumber[0], where).toMatchObject(run.described);
  if (run.gatewayAtLeastMs) expect(sent.ms, `${where}: gateway latency`).toBeGreaterThanOrEqual(run.gatewayAtLeastMs - 5);

  // The journal has the request, as sent (pass redacted), and the scenario that decided it.
  const gatewayLog = await admin('listRequests', 'GET', `/__admin/requests?namespace=${namespace}&endpoint=gateway`);
  expect(gatewayLog.json.total, where).toBe(seen.gateways + 1);
  const logged = gatewayLog.json.requests[0];
  expect(logged.scenario, `${where}: the journal names the deciding scenario`).toBe(name);
  expect(logged.seed, where).toBe(SEED);
  if (run.variation !== undefined) expect(logged.variation, where).toMatch(run.variation);
  if ('anyOf' in run.gateway) {
    // Chance: the journal says what was drawn, and the answer follows it.
    expect(sent.json.result.detail, where).toBe(/hit$/.test(logged.variation) ? SEND_FAIL.detail : PENDING.detail);
    seen.gateways++;
    seen.transactions++;
    seen.lastMessageId = Math.max(
      seen.lastMessageId,
      ...(await admin('listMessages', 'GET', `/__admin/messages?namespace=${namespace}`)).json.messages.map((m: { id: number }) => m.id),
    );
    for (const [i, next] of (run.next ?? []).entries())
      await play(name, way, next, phone, runIndex, { ...seen, gateways: seen.gateways + i });
    return;
  }
  expect(logged.body.pass, where).toBe('[redacted]');
  expect(logged.status, where).toBe(sent.status);
  expect(logged.fault, where).toBe('fault' in run.gateway ? run.gateway.fault : null);

  const txs = await admin('listTransactions', 'GET', `/__admin/transactions?namespace=${namespace}&phone=${encodeURIComponent(phone)}`);
  const processed = 'action' in run.gateway;
  expect(txs.json.transactions.length, `${where}: a transaction only when the gateway processed the request`).toBe(
    seen.transactions + (processed ? 1 : 0),
  );
  const tx = txs.json.transactions[0];
  if (tx) {
    expect(tx.scenario, where).toBe(name);
    const facts = run.transaction ?? {};
    if (facts.valid !== undefined) expect(tx.phone.valid, where).toBe(facts.valid);
    if (facts.lineType !== undefined) expect(tx.phone.lineType, where).toBe(facts.lineType);
    if (facts.country !== undefined) expect(tx.phone.country, where).toBe(facts.country);
    if (facts.carrier !== undefined) expect(tx.phone.carrier, where).toBe(facts.carrier);
    if (facts.maxAttempts !== undefined) expect(tx.maxAttempts, where).toBe(facts.maxAttempts);
  }

  // The inbox: the message arrives (now, or late), or never does.
  let pin: string | undefined = tx?.pin ?? undefined;
  if (run.message) {
    if (run.message.afterMs) {
      const early = await admin('listMessages', 'GET', `/__admin/messages?namespace=${namespace}`);
      expect(early.json.messages, `${where}: not delivered yet`).toEqual([]);
    }
    const polled = await admin(
      'latestMessage',
      'GET',
      `/__admin/messages/latest?namespace=${namespace}&phone=${encodeURIComponent(phone)}&wait=10000&after=${seen.lastMessageId}`,
    );
    expect(polled.status, `${where}: a message arrives`).toBe(200);
    const message = polled.json.message;
    expect(message.status, where).toBe(run.message.status);
    expect(message.scenario, where).toBe(name);
    expect(message.text, where).toBe(run.service === DIALER ? 'test.message' : `Your code is ${message.pin}`);
    if (run.message.pin) expect(message.pin, where).toBe(run.message.pin);
    if (run.message.afterMs)
      expect(performance.now() - answeredAt, `${where}: delivery delay`).toBeGreaterThanOrEqual(run.message.afterMs - 100);
    pin = message.pin ?? undefined;
    seen.lastMessageId = message.id;
  } else {
    const none = await admin('listMessages', 'GET', `/__admin/messages?namespace=${namespace}`);
    expect(
      none.json.messages.filter((m: { id: number }) => m.id > seen.lastMessageId),
      `${where}: nothing is sent`,
    ).toEqual([]);
  }

  if (run.previousToken) {
    if (!seen.token || !seen.pin) throw new Error(`${where}: previousToken needs an earlier gateway with a token`);
    const old = await send(`${live.url}/process/continue`, 'POST', { token: seen.token, codematch: { key: seen.pin } });
    expectAnswer(`${where}: the previous token`, run.previousToken, old, 'continue');
    seen.continues++;
  }

  if (run.advanceMs) {
    // The mock's clock runs with real time, and a loaded machine takes a while to get here: move
    // it to exactly `advanceMs` past the gateway, so a 29-of-30-seconds run never races the edge.
    const clock = await admin('getClock', 'GET', `/__admin/clock?namespace=${namespace}`);
    const elapsed = tx ? clock.json.now - Date.parse(tx.createdAt) : 0;
    await admin('advanceClock', 'POST', '/__admin/clock', { advanceMs: Math.max(0, run.advanceMs - elapsed), namespace });
  }

  const token: string | undefined = sent.json?.continuations?.outofband?.template?.token;
  for (const [i, entry] of (run.entries ?? []).entries()) {
    // Only the gateway carries the header: its continue inherits the choice, as it inherits the namespace.
    let request: Record<string, unknown>;
    if (entry.key === 'status') {
      if (!token) throw new Error(`${where}: status requests need a token`);
      request = { token, dialer: { return: 'status' } };
    } else {
      if (!token || !pin) throw new Error(`${where}: entries need a token and a pin`);
      request = { token, codematch: { key: entry.key === 'pin' ? pin : wrongKey(pin) } };
    }
    const answer = await send(`${live.url}/process/continue`, 'POST', request);
    expectAnswer(`${where}: entry ${i + 1}`, entry.answer, answer, 'continue');
    if (entry.atLeastMs) expect(answer.ms, `${where}: continue latency`).toBeGreaterThanOrEqual(entry.atLeastMs - 5);
  }
  if (run.entries?.length) {
    const continueLog = await admin('listRequests', 'GET', `/__admin/requests?namespace=${namespace}&endpoint=continue`);
    expect(continueLog.json.total, where).toBe(seen.continues + run.entries.length);
    for (const entry of continueLog.json.requests) expect(entry.scenario, where).toBe(name);
  }
  if (run.finalState && token) {
    const final = await admin('getTransaction', 'GET', `/__admin/transactions/${token}`);
    expect(final.json.transaction.state, where).toBe(run.finalState);
  } else if (run.finalState && tx) {
    expect(tx.state, where).toBe(run.finalState);
  }
  const next: Before = {
    gateways: seen.gateways + 1,
    transactions: seen.transactions + (processed ? 1 : 0),
    continues: seen.continues + (run.entries?.length ?? 0),
    lastMessageId: seen.lastMessageId,
    ...(token ? { token } : {}),
    ...(pin ? { pin } : {}),
  };
  for (const following of run.next ?? []) {
    await play(name, way, following, phone, runIndex, next);
    next.gateways++;
  }
  if (way === 'activation' && !before) await admin('deactivateScenario', 'DELETE', `/__admin/scenarios/active?namespace=${namespace}`);
}

describe('the shipped scenarios', () => {
  it('load without errors, and each has an expectation here (add one with every new file)', () => {
    expect(loaded.errors).toEqual([]);
    expect(loaded.scenarios.map((s) => s.scenario.name).sort()).toEqual(Object.keys(EXPECTATIONS).sort());
  });

  it('are all visible through GET /__admin/scenarios with their source file', async () => {
    const list = await admin('listScenarios', 'GET', '/__admin/scenarios');
    expect(list.json.errors).toEqual([]);
    for (const { scenario, source } of loaded.scenarios) {
      expect(list.json.scenarios).toContainEqual(
        expect.objectContaining({ name: scenario.name, description: scenario.description, source }),
      );
    }
  });

  // The slow ones first: concurrent tests start in this order, a few at a time.
  const slowness = (name: string) =>
    Math.max(
      0,
      ...(EXPECTATIONS[name] ?? []).map(
        (run) =>
          (run.gatewayAtLeastMs ?? 0) + (run.message?.afterMs ?? 0) + (run.entries ?? []).reduce((ms, e) => ms + (e.atLeastMs ?? 0), 0),
      ),
    );
  const bySlowness = [...loaded.scenarios].sort((a, b) => slowness(b.scenario.name) - slowness(a.scenario.name));
  for (const { scenario } of bySlowness) {
    it.concurrent(`${scenario.name}: ${scenario.description}`, async () => {
      const runs = EXPECTATIONS[scenario.name];
      if (!runs) throw new Error(`scenarios/${scenario.name}.yaml has no expectation in ${import.meta.url}`);
      const phones = scenario.match?.phone;
      const magic = typeof phones === 'string' ? phones : phones?.[0];
      const ways: [Way, string][] = [
        ['header', ORDINARY_NUMBER],
        ['activation', ORDINARY_NUMBER],
        // The magic number written as people do: the match is on the normalised number.
        ...(magic ? ([['magic number', `+1 (${magic.slice(0, 3)}) ${magic.slice(3, 6)}-${magic.slice(6)}`]] as [Way, string][]) : []),
      ];
      await Promise.all(ways.flatMap(([way, phone]) => runs.map((run, i) => play(scenario.name, way, run, phone, i))));
    });
  }
});
