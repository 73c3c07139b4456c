import { setImmediate as nextTurn } from 'node:timers/promises';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { WriteBatch } from '../../src/http/write-batch.js';

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
