import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { WriteBatch } from '../../src/http/write-batch.js';
import { gatewayBody, makeApp } from '../helpers/app.js';

const request = {} as FastifyRequest;
const reply = (name: string) => ({ name }) as unknown as FastifyReply;

describe('WriteBatch', () => {
  it('writes the answers handed to it in one turn of the event loop together, after that turn, in order', async () => {
    const events: string[] = [];
    const batch = new WriteBatch(
      (r) => events.push(`before ${(r as unknown as { name: string }).name}`),
      (error) => events.push(`error ${String(error)}`),
    );
    for (const name of ['a', 'b', 'c']) {
      batch.hook(request, reply(name), `payload ${name}`, (error, payload) => events.push(`write ${String(error)} ${String(payload)}`));
      events.push(`handled ${name}`);
    }
    expect(batch.waiting).toBe(3);
    expect(events).toEqual(['handled a', 'handled b', 'handled c']);
    await nextTurn();
    expect(events.slice(3)).toEqual([
      'before a',
      'write null payload a',
      'before b',
      'write null payload b',
      'before c',
      'write null payload c',
    ]);
    expect(batch.waiting).toBe(0);
  });

  it('reports a write that throws and still writes the others', async () => {
    const written: string[] = [];
    const errors: unknown[] = [];
    const batch = new WriteBatch(
      () => undefined,
      (error) => errors.push(error),
    );
    batch.hook(request, reply('a'), 'a', () => {
      throw new Error('socket gone');
    });
    batch.hook(request, reply('b'), 'b', (_e, payload) => written.push(String(payload)));
    await nextTurn();
    expect(written).toEqual(['b']);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('socket gone');
  });

  it('starts a new batch for answers handed to it while a batch is written', async () => {
    const written: string[] = [];
    const batch = new WriteBatch(
      () => undefined,
      () => undefined,
    );
    batch.hook(request, reply('first'), 'first', () => {
      written.push('first');
      batch.hook(request, reply('second'), 'second', () => written.push('second'));
    });
    await nextTurn();
    expect(written).toEqual(['first']);
    await nextTurn();
    expect(written).toEqual(['first', 'second']);
  });

  it('sends what a handler hands to send() with reply.send, in the same batch and order as the answers of the hook', async () => {
    const events: string[] = [];
    const batch = new WriteBatch(
      (r) => events.push(`before ${(r as unknown as { name: string }).name}`),
      () => undefined,
    );
    const sending = (name: string) =>
      ({ name, send: (payload: unknown) => events.push(`send ${String(payload)}`) }) as unknown as FastifyReply;
    batch.send(sending('a'), 'payload a');
    batch.hook(request, reply('b'), 'payload b', (_e, payload) => events.push(`write ${String(payload)}`));
    batch.send(sending('c'), 'payload c');
    expect(batch.waiting).toBe(3);
    expect(events).toEqual([]);
    await nextTurn();
    expect(events).toEqual(['before a', 'send payload a', 'before b', 'write payload b', 'before c', 'send payload c']);
  });

  it('in the mock: the PhoneMatch answers come through send(), with no onSend hook on their routes; the control API keeps the hook', async () => {
    const app = await makeApp({ scenarios: null });
    await app.ready();
    // Fastify's own listing of the routes with their hooks: the route's line, then one line a hook kind.
    const hooksOf = new Map<string, string[]>();
    let route = '';
    for (const line of app.printRoutes({ method: 'POST', includeHooks: true, commonPrefix: false }).split('\n')) {
      const named = /(\/\S+) \(POST\)/.exec(line);
      if (named) {
        route = named[1] as string;
        hooksOf.set(route, []);
      }
      const hook = /• \((\w+)\)/.exec(line);
      if (hook) hooksOf.get(route)?.push(hook[1] as string);
    }
    expect(hooksOf.get('/process/comprehensive/gateway')).toEqual(['onRequest']);
    expect(hooksOf.get('/process/continue')).toEqual(['onRequest']);
    expect(hooksOf.get('/__admin/reset')).toContain('onSend');
    // Answered all the same, and both kinds of answer in one batch.
    const [gateway, health] = await Promise.all([
      app.inject({ method: 'POST', url: '/process/comprehensive/gateway', payload: gatewayBody() }),
      app.inject({ method: 'GET', url: '/__admin/health' }),
    ]);
    expect(gateway.statusCode).toBe(200);
    expect(gateway.headers['content-length']).toBe(String(Buffer.byteLength(gateway.body)));
    expect(gateway.json().result.action).toBe('PENDING');
    expect(health.statusCode).toBe(200);
  });

  it('leaves what Fastify sends unchanged: status, headers and body, for answers and errors', async () => {
    const app = Fastify();
    const batch = new WriteBatch(
      (r) => r.header('x-written-by', 'batch'),
      () => undefined,
    );
    app.addHook('onSend', batch.hook);
    app.get('/ok', async () => ({ ok: true }));
    app.get('/fail', async () => {
      throw Object.assign(new Error('nope'), { statusCode: 418 });
    });
    try {
      const [ok, fail] = await Promise.all([app.inject('/ok'), app.inject('/fail')]);
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual({ ok: true });
      expect(ok.headers['x-written-by']).toBe('batch');
      expect(ok.headers['content-length']).toBe(String(ok.body.length));
      expect(fail.statusCode).toBe(418);
      expect(fail.json()).toMatchObject({ message: 'nope' });
      expect(fail.headers['x-written-by']).toBe('batch');
    } finally {
      await app.close();
    }
  });
});
