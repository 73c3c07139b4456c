/**
 * The browser next door: on a loopback mock without a token, a web page the developer opens can
 * neither drive the mock (cross-origin requests) nor read it (DNS rebinding).
 */
import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from '../../src/http/guards.js';
import { makeApp } from '../helpers/app.js';

describe('Host check', () => {
  it.each(['evil.example', 'evil.example:8080', '10.0.0.5:8080', 'localhost.evil.example', '127.0.0.1.nip.io'])(
    'refuses Host %s with 403 REQ403',
    async (host) => {
      const app = await makeApp();
      for (const url of ['/__admin/messages', '/__admin/health', '/__admin/requests']) {
        const res = await app.inject({ url, headers: { host } });
        expect(res.statusCode, url).toBe(403);
        expect(res.json().error.code).toBe('REQ403');
      }
    },
  );

  it.each(['localhost', 'localhost:8080', '127.0.0.1:9', '127.1.2.3', '[::1]:8080', 'app.localhost:3000'])(
    'serves Host %s',
    async (host) => {
      const app = await makeApp();
      expect((await app.inject({ url: '/__admin/health', headers: { host } })).statusCode).toBe(200);
    },
  );

  it('is off with an admin token (the token guards the control API)', async () => {
    const app = await makeApp({ adminToken: 't0ken' });
    const res = await app.inject({ url: '/__admin/health', headers: { host: 'mock.internal:8080', authorization: 'Bearer t0ken' } });
    expect(res.statusCode).toBe(200);
  });

  it('knows loopback names', () => {
    expect(isLoopbackHost('LOCALHOST:1')).toBe(true);
    expect(isLoopbackHost('127.0.0.1')).toBe(true);
    expect(isLoopbackHost('::1')).toBe(false); // a Host names an IPv6 address in brackets
    expect(isLoopbackHost('evil.example')).toBe(false);
  });
});

describe('Origin and content type of state-changing calls', () => {
  it('refuses a cross-origin text/plain reset, and changes nothing', async () => {
    const app = await makeApp();
    await app.inject({ method: 'POST', url: '/__admin/clock', payload: { advanceMs: 1000 } });
    const res = await app.inject({
      method: 'POST',
      url: '/__admin/reset',
      payload: 'x',
      headers: { origin: 'https://evil.example', 'content-type': 'text/plain' },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('REQ403');
    expect(app.simulator.clock.offset()).toBe(1000);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x'])(
    'refuses a %s body on a state-changing call even without an Origin',
    async (type) => {
      const app = await makeApp();
      const res = await app.inject({ method: 'POST', url: '/__admin/reset', payload: 'x', headers: { 'content-type': type } });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('ADM400');
    },
  );

  it('refuses the null origin of a sandboxed page', async () => {
    const app = await makeApp();
    const res = await app.inject({ method: 'POST', url: '/__admin/reset', headers: { origin: 'null' } });
    expect(res.statusCode).toBe(403);
  });

  it('takes calls from its own origin, from other loopback origins, and with no body at all', async () => {
    const app = await makeApp();
    for (const origin of ['http://localhost:80', 'http://127.0.0.1:3000', undefined]) {
      const res = await app.inject({ method: 'POST', url: '/__admin/reset', headers: origin ? { origin } : {} });
      expect(res.statusCode, origin).toBe(200);
    }
    const json = await app.inject({
      method: 'POST',
      url: '/__admin/clock',
      payload: { advanceMs: 5 },
      headers: { origin: 'http://localhost:80' },
    });
    expect(json.statusCode).toBe(200);
  });
});
