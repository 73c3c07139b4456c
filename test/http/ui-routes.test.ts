import { type ClientRequest, get, type IncomingMessage } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../src/index.js';
import { makeApp } from '../helpers/app.js';

interface SseEvent {
  event: string;
  data: any;
}

/**
 * Reads a server-sent event stream; `next(type)` resolves with the next event of that type.
 * node:http rather than fetch: an aborted fetch leaves undici holding a spare connection that
 * delays the server's close by its 4 s keep-alive.
 */
async function openStream(url: string) {
  const queue: SseEvent[] = [];
  const waiters: { type: string; resolve: (e: SseEvent) => void }[] = [];
  const deliver = () => {
    for (const waiter of [...waiters]) {
      const index = queue.findIndex((e) => e.event === waiter.type);
      if (index >= 0) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(queue.splice(index, 1)[0] as SseEvent);
      }
    }
  };
  let ended = false;
  let markDone!: () => void;
  const done = new Promise<void>((resolve) => {
    markDone = resolve;
  });
  const { request, response } = await new Promise<{ request: ClientRequest; response: IncomingMessage }>((resolve, reject) => {
    const request = get(url, (response) => resolve({ request, response }));
    request.on('error', reject);
  });
  let buffer = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => {
    buffer += chunk;
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data) queue.push({ event, data: JSON.parse(data) });
      cut = buffer.indexOf('\n\n');
    }
    deliver();
  });
  const finish = () => {
    ended = true;
    markDone();
  };
  response.on('end', finish);
  response.on('close', finish);
  request.on('error', () => undefined);
  return {
    status: response.statusCode,
    contentType: response.headers['content-type'],
    next: (type: string) =>
      new Promise<SseEvent>((resolve) => {
        waiters.push({ type, resolve });
        deliver();
      }),
    pending: (type: string) => queue.filter((e) => e.event === type),
    close: () => request.destroy(),
    done,
    get ended() {
      return ended;
    },
  };
}

const SMS = { user: 'user@company.com', pass: 'PASSWORD', service: 'PhoneMatch5.0.SMS' };
const send = (mock: RunningMock, phone: string, namespace: string) =>
  fetch(`${mock.url}/process/comprehensive/gateway`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-phonematch-namespace': namespace },
    body: JSON.stringify({ ...SMS, target: { phone } }),
  }).then((r) => r.json() as Promise<Record<string, any>>);

const mocks: RunningMock[] = [];
afterEach(async () => {
  await Promise.all(mocks.splice(0).map((m) => m.close()));
});
async function start(config: Parameters<typeof startMock>[0] = {}) {
  const mock = await startMock({ watchScenarios: false, logLevel: 'silent', ...config });
  mocks.push(mock);
  return mock;
}

describe('GET /__admin/events', () => {
  it('streams hello, then messages, transactions, journal entries, activations and resets', async () => {
    const mock = await start();
    const stream = await openStream(`${mock.url}/__admin/events`);
    expect(stream.contentType).toBe('text/event-stream; charset=utf-8');
    expect((await stream.next('hello')).data).toMatchObject({ active: [] });

    const sent = await send(mock, '2015550100', 'sse');
    const message = await stream.next('message');
    expect(message.data).toMatchObject({ phone: '+12015550100', pin: '123456', namespace: 'sse', scenario: 'happy-path' });
    const tx = await stream.next('transaction');
    expect(tx.data).toMatchObject({ id: sent.meta.confirmation, state: 'pending', outcome: { action: 'PENDING' } });
    expect((await stream.next('journal')).data).toMatchObject({ endpoint: 'gateway', status: 200, namespace: 'sse' });

    await fetch(`${mock.url}/process/continue`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: sent.continuations.outofband.template.token, codematch: { key: '123456' } }),
    });
    expect((await stream.next('transaction')).data).toMatchObject({ state: 'passed', outcome: { action: 'PASS' } });

    // An activation, and a deactivation, are announced at once, with no record to carry them.
    await mock.scenarios.use('voip', { namespace: 'sse' });
    expect((await stream.next('scenarios')).data.active).toEqual([{ namespace: 'sse', name: 'voip' }]);
    await mock.scenarios.clear({ namespace: 'sse' });
    expect((await stream.next('scenarios')).data.active).toEqual([]);

    await mock.reset({ namespace: 'sse' });
    expect((await stream.next('reset')).data).toEqual({ namespace: 'sse' });
    stream.close();
  });

  it('announces a scenario reload', async () => {
    const mock = await start();
    const stream = await openStream(`${mock.url}/__admin/events`);
    await stream.next('hello');
    mock.simulator.scenarios.reload();
    expect((await stream.next('scenarios')).data).toMatchObject({ loaded: mock.simulator.scenarios.list().length, errors: [] });
    stream.close();
  });

  it('sends only the records of the namespace asked for', async () => {
    const mock = await start();
    const stream = await openStream(`${mock.url}/__admin/events?namespace=mine`);
    await stream.next('hello');
    await send(mock, '2015106000', 'theirs');
    await send(mock, '2015550100', 'mine');
    const message = await stream.next('message');
    expect(message.data).toMatchObject({ namespace: 'mine', phone: '+12015550100' });
    expect(stream.pending('message')).toEqual([]);
    await mock.reset({ namespace: 'theirs' });
    await mock.reset();
    expect((await stream.next('reset')).data).toEqual({ namespace: null });
    stream.close();
  });

  it('needs the admin token when the mock has one, as ?token=', async () => {
    const mock = await start({ adminToken: 'tok' });
    const refused = await fetch(`${mock.url}/__admin/events`);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as any).error.code).toBe('ADM401');
    const stream = await openStream(`${mock.url}/__admin/events?token=tok`);
    expect(stream.status).toBe(200);
    await stream.next('hello');
    stream.close();
  });

  it('answers a bad namespace with the error envelope', async () => {
    const mock = await start();
    const bad = await fetch(`${mock.url}/__admin/events?namespace=${encodeURIComponent('no spaces')}`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.code).toBe('ADM400');
  });

  it('ends open streams when the mock closes, and unsubscribes them', async () => {
    const mock = await start();
    const listeners = () => (mock.simulator.store as unknown as { listeners: Set<unknown> }).listeners.size;
    const before = listeners();
    const stream = await openStream(`${mock.url}/__admin/events`);
    await stream.next('hello');
    expect(listeners()).toBe(before + 1);
    await mock.close();
    await stream.done;
    expect(stream.ended).toBe(true);
    expect(listeners()).toBe(before);
  });

  it('unsubscribes when the client goes away', async () => {
    const mock = await start();
    const store = mock.simulator.store;
    const subscribe = store.subscribe.bind(store);
    let unsubscribed!: () => void;
    const gone = new Promise<void>((resolve) => {
      unsubscribed = resolve;
    });
    // Observe the stream's own unsubscription rather than polling for it.
    store.subscribe = (listener) => {
      const off = subscribe(listener);
      return () => {
        off();
        unsubscribed();
      };
    };
    const stream = await openStream(`${mock.url}/__admin/events`);
    await stream.next('hello');
    stream.close();
    await gone;
    expect((store as unknown as { listeners: Set<unknown> }).listeners.size).toBe(0);
  });
});

describe('the inbox page', () => {
  it('serves the page, its script and style from the package, with a strict CSP', async () => {
    const app = await makeApp();
    const page = await app.inject({ method: 'GET', url: '/__admin/ui' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain('/__admin/ui/inbox.js');
    expect(page.body).not.toMatch(/(src|href)="https?:/);
    const script = await app.inject({ method: 'GET', url: '/__admin/ui/inbox.js' });
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toContain('EventSource');
    const style = await app.inject({ method: 'GET', url: '/__admin/ui/inbox.css' });
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('redirects a trailing slash, keeping the token', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'GET', url: '/__admin/ui/?token=abc' });
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe('/__admin/ui?token=abc');
  });

  it('answers an unknown file with the 404 envelope, never a file outside the page', async () => {
    const app = await makeApp();
    for (const url of ['/__admin/ui/nope.js', '/__admin/ui/..%2F..%2Fpackage.json', '/__admin/ui/inbox.js.map']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('ADM404');
    }
  });

  it('says how to build the page when it is missing', async () => {
    const { buildApp } = await import('../../src/app.js');
    const { uiRoutes } = await import('../../src/http/ui-routes.js');
    const app = await buildApp({ logLevel: 'silent', watchScenarios: false });
    // A second registration under another prefix, pointed at an empty folder.
    await app.register(uiRoutes, { prefix: '/elsewhere', dir: '/nonexistent' });
    const res = await app.inject({ method: 'GET', url: '/elsewhere/__admin/ui' });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.detail).toContain('npm run build');
    await app.close();
  });

  it('serves the page without the admin token (it holds no data)', async () => {
    const app = await makeApp({ adminToken: 'tok' });
    expect((await app.inject({ method: 'GET', url: '/__admin/ui' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/__admin/messages' })).statusCode).toBe(401);
  });
});
