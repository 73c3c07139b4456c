import type { FastifyInstance } from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator.js';
import { gateway, gatewayBody, makeApp } from '../helpers/app.js';
import { send, startLive } from '../helpers/live.js';
import { expectSpecResponse } from '../helpers/spec.js';

const ADMIN = 'admin-openapi.yaml';

/** GET /__admin/messages/latest, its answer checked against admin-openapi.yaml. */
async function latest(app: FastifyInstance, query: string) {
  const res = await app.inject({ method: 'GET', url: `/__admin/messages/latest${query}` });
  expectSpecResponse('latestMessage', res.statusCode, res.json(), ADMIN);
  return res;
}

/** Counts the store listeners a test's long-polls hold, and tells when one is let go. */
function watchListeners(simulator: Simulator) {
  const store = simulator.store;
  const subscribe = store.subscribe.bind(store);
  let held = 0;
  const waiting: { count: number; resolve: () => void }[] = [];
  const check = () => {
    for (const w of waiting.splice(0)) {
      if (held === w.count) w.resolve();
      else waiting.push(w);
    }
  };
  store.subscribe = (listener) => {
    held++;
    check();
    const unsubscribe = subscribe(listener);
    return () => {
      held--;
      check();
      return unsubscribe();
    };
  };
  return {
    get held() {
      return held;
    },
    /** Resolves once exactly `count` listeners are held. */
    until(count: number) {
      return held === count ? Promise.resolve() : new Promise<void>((resolve) => waiting.push({ count, resolve }));
    },
  };
}

describe('GET /__admin/messages/latest (long-poll)', () => {
  it('returns as soon as the code is sent, not when the wait runs out', async () => {
    const app = await makeApp();
    const listeners = watchListeners(app.simulator);
    const started = performance.now();
    const poll = latest(app, '?phone=(201)%20510-6000&wait=10000');
    await listeners.until(1); // the poll is waiting
    const sent = await gateway(app, gatewayBody());
    const res = await poll;
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(res.statusCode).toBe(200);
    expectSpecResponse('latestMessage', 200, res.json(), ADMIN);
    const { message } = res.json();
    expect(message.token).toBe(sent.body.continuations.outofband.template.token);
    expect(message.text).toBe(`Hello John, your one-time password is ${message.pin}`);
    expect(listeners.held).toBe(0);
  });

  it('answers at once when a newer message is already there, and honours after=', async () => {
    const app = await makeApp();
    await gateway(app, gatewayBody());
    const first = (await latest(app, '?phone=2015106000')).json().message;
    const none = await latest(app, `?phone=2015106000&after=${first.id}`);
    expect(none.statusCode).toBe(404);
    expectSpecResponse('latestMessage', 404, none.json(), ADMIN);
    await gateway(app, gatewayBody());
    const second = (await latest(app, `?phone=%2B12015106000&after=${first.id}`)).json().message;
    expect(second.id).toBeGreaterThan(first.id);
  });

  it('ignores messages for other numbers and namespaces while it waits', async () => {
    const app = await makeApp();
    const listeners = watchListeners(app.simulator);
    const poll = latest(app, '?phone=2015106000&namespace=mine&wait=10000');
    await listeners.until(1);
    await gateway(app, gatewayBody(), { 'x-phonematch-namespace': 'theirs' });
    await gateway(app, gatewayBody({}, { phone: '2015106001' }), { 'x-phonematch-namespace': 'mine' });
    await gateway(app, gatewayBody(), { 'x-phonematch-namespace': 'mine' });
    const { message } = (await poll).json();
    expect(message).toMatchObject({ namespace: 'mine', phone: '+12015106000' });
  });

  it('answers 404 in the documented envelope once the wait runs out', async () => {
    const app = await makeApp();
    const started = performance.now();
    const res = await latest(app, '?phone=2015106000&wait=150');
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(res.statusCode).toBe(404);
    expectSpecResponse('latestMessage', 404, res.json(), ADMIN);
    expect(res.json().error.code).toBe('ADM404');
  });

  it('sees a late delivery that arrives after faster ones (ids follow arrival)', async () => {
    const app = await makeApp({ scenarios: null });
    app.simulator.scenarios.define({
      scenario: { name: 'late', description: 'late', delivery: { delayMs: 200 } },
      source: 'inline',
      phoneKeys: null,
    });
    await gateway(app, gatewayBody({}, { phone: '2015106000' }), { 'x-phonematch-scenario': 'late' });
    await gateway(app, gatewayBody({}, { phone: '2015106001' }));
    const quick = (await latest(app, '')).json().message;
    expect(quick.phone).toBe('+12015106001');
    const late = await latest(app, `?after=${quick.id}&wait=5000`);
    expect(late.statusCode).toBe(200);
    expect(late.json().message).toMatchObject({ phone: '+12015106000', scenario: 'late' });
    expect(late.json().message.id).toBeGreaterThan(quick.id);
  });

  it('lets go of its listener when the client disconnects, and does not hold up closing', async () => {
    const { app, url } = await startLive({}, {}, false);
    const listeners = watchListeners(app.simulator);
    const controller = new AbortController();
    const poll = send(`${url}/__admin/messages/latest?phone=2015106000&wait=60000`, 'GET', undefined, {}, controller.signal);
    await listeners.until(1);
    controller.abort();
    expect((await poll).error).toBe('AbortError');
    await listeners.until(0);
    // A poll still waiting when the mock closes is answered at once.
    const waiting = send(`${url}/__admin/messages/latest?wait=60000`, 'GET');
    await listeners.until(1);
    const started = performance.now();
    await app.close();
    expect(performance.now() - started).toBeLessThan(5_000);
    expect((await waiting).status).toBe(404);
  });
});
