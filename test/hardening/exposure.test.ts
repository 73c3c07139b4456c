/**
 * Exposure: the mock binds to loopback by default; beyond it, it refuses to start without an
 * admin token; with a token, the control API and the inbox's data require it. Passwords (and the
 * admin token) never reach the log, the journal or an admin answer.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.js';
import { isLoopback, listen } from '../../src/server.js';
import { gatewayBody } from '../helpers/app.js';
import { send } from '../helpers/live.js';
import { runCli, startCli } from './support.js';

describe('bound to loopback unless told otherwise', () => {
  it('listen() binds 127.0.0.1 by default', async () => {
    const { app, url } = await listen({ logLevel: 'silent', watchScenarios: false, port: 0 });
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((app.server.address() as { address: string }).address).toBe('127.0.0.1');
    } finally {
      await app.close();
    }
  });

  it('the command binds 127.0.0.1 by default', async () => {
    const cli = await startCli(['--log-level', 'silent', '--no-watch']);
    expect(cli.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    cli.child.kill('SIGTERM');
    expect((await cli.exit).code).toBe(0);
  });

  it('knows what loopback is', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost']) expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '192.168.1.10', '10.0.0.1', 'example.com', '']) expect(isLoopback(host), host).toBe(false);
  });
});

describe('beyond loopback without an admin token', () => {
  const HOSTS = ['0.0.0.0', '::', '192.168.1.10', 'example.com'];

  it('listen() refuses to start, and says how to fix it', async () => {
    for (const host of HOSTS) {
      const attempt = listen({ logLevel: 'silent', watchScenarios: false, port: 0, host });
      await expect(attempt).rejects.toBeInstanceOf(ConfigError);
      await expect(attempt).rejects.toThrow(new RegExp(`refusing to listen on ${host.replace(/[.:]/g, '\\$&')} without an admin token`));
      await expect(attempt).rejects.toThrow(/--admin-token \(PHONEMATCH_ADMIN_TOKEN\)/);
    }
  });

  it('the command refuses with exit code 2 and a clear message, by flag and by environment', async () => {
    for (const [args, env] of [
      [['--host', '0.0.0.0'], {}],
      [[], { HOST: '0.0.0.0' }],
      [['--host', '::'], { PHONEMATCH_ADMIN_TOKEN: '' }],
    ] as const) {
      const { code, stdout, stderr } = await runCli(['--port', '0', ...args], env);
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(/^phonematch-mock: refusing to listen on .+ without an admin token/);
      expect(stderr).toContain('--admin-token (PHONEMATCH_ADMIN_TOKEN)');
      expect(stderr).not.toMatch(/\n\s+at /); // no stack
      expect(stdout).not.toContain('listening on');
    }
  });
});

describe('with an admin token', () => {
  const TOKEN = `tok-${randomBytes(8).toString('hex')}`;
  let url = '';
  let close: () => Promise<unknown> = async () => undefined;
  afterAll(() => close());

  const ADMIN_GETS = [
    '/__admin/health',
    '/__admin/messages',
    '/__admin/messages/latest',
    '/__admin/transactions',
    '/__admin/transactions/abc',
    '/__admin/requests',
    '/__admin/scenarios',
    '/__admin/clock',
  ];

  async function running() {
    if (!url) {
      const live = await listen({ logLevel: 'silent', watchScenarios: false, port: 0, adminToken: TOKEN });
      url = live.url;
      close = () => live.app.close();
    }
    return url;
  }

  it('the control API and the inbox data answer 401 in the error envelope without it, or with a wrong one', async () => {
    const base = await running();
    for (const path of [...ADMIN_GETS, '/__admin/events']) {
      for (const headers of [{}, { authorization: 'Bearer nope' }, { 'x-admin-token': `${TOKEN}x` }, { authorization: TOKEN }] as Record<
        string,
        string
      >[]) {
        const res = await send(`${base}${path}`, 'GET', undefined, headers);
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(401);
        expect(res.json.error).toEqual({ message: 'Admin Token Required', code: 'ADM401', detail: expect.any(String) });
      }
    }
    for (const [method, path] of [
      ['POST', '/__admin/reset'],
      ['DELETE', '/__admin/requests'],
      ['PUT', '/__admin/scenarios/active'],
      ['POST', '/__admin/clock'],
      ['POST', '/__admin/states'],
    ] as const) {
      const res = await send(`${base}${path}`, method, {});
      expect(res.status, `${method} ${path}`).toBe(401);
    }
  });

  it('accepts it as a bearer token, as x-admin-token, or as ?token=', async () => {
    const base = await running();
    for (const path of ADMIN_GETS) {
      const wanted = path.endsWith('/abc') || path.endsWith('/latest') ? 404 : 200;
      expect((await send(`${base}${path}`, 'GET', undefined, { authorization: `Bearer ${TOKEN}` })).status, path).toBe(wanted);
      expect((await send(`${base}${path}`, 'GET', undefined, { 'x-admin-token': TOKEN })).status, path).toBe(wanted);
      expect((await send(`${base}${path}?token=${TOKEN}`, 'GET')).status, path).toBe(wanted);
    }
  });

  it('the PhoneMatch API itself needs no token (the real one has none)', async () => {
    const base = await running();
    const res = await send(`${base}/process/comprehensive/gateway`, 'POST', gatewayBody());
    expect(res.status).toBe(200);
  });

  it('PHONEMATCH_ADMIN_TOKEN is the flag’s twin', async () => {
    const cli = await startCli(['--log-level', 'silent', '--no-watch'], { PHONEMATCH_ADMIN_TOKEN: TOKEN });
    expect((await send(`${cli.url}/__admin/messages`, 'GET')).status).toBe(401);
    expect((await send(`${cli.url}/__admin/messages`, 'GET', undefined, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    cli.child.kill('SIGTERM');
    expect((await cli.exit).code).toBe(0);
  });
});

describe('secrets stay secret', () => {
  it('no password (or admin token) reaches the trace-level log, the journal or any admin answer', async () => {
    const PASSWORD = `pw-${randomBytes(8).toString('hex')}`;
    const TOKEN = `adm-${randomBytes(8).toString('hex')}`;
    const cli = await startCli(['--log-level', 'trace', '--no-watch', '--admin-token', TOKEN]);
    const gw = `${cli.url}/process/comprehensive/gateway`;
    const admin = { authorization: `Bearer ${TOKEN}` };

    // Every way a password can travel in a request: accepted, rejected, unparsable, nested, escaped.
    const sent = await send(gw, 'POST', gatewayBody({ pass: PASSWORD }));
    expect(sent.status).toBe(200);
    const token = sent.json.continuations.outofband.template.token as string;
    const bodies: unknown[] = [
      gatewayBody({ pass: PASSWORD, service: 'PhoneMatch9.SMS' }),
      gatewayBody({ pass: PASSWORD }, { phone: '' }),
      { user: 'u', pass: PASSWORD },
      { pass: PASSWORD },
      gatewayBody({ pass: PASSWORD, options: { outofband: { message: 'x'.repeat(5_000) } } }),
      gatewayBody({ pass: PASSWORD, target: { phone: '2015106000', nested: { pass: PASSWORD } } }),
      `{"user":"u","pass":"${PASSWORD}",`,
      `{"user":"u","pass":"${PASSWORD}"`,
      `{"pass": "${PASSWORD}"}}`,
      `{"user":"u","pass":"${PASSWORD.slice(0, 5)}\\u0041${PASSWORD.slice(5)}","service":"x"}`,
      `{"user":"u","p\\u0061ss":"${PASSWORD}",`,
    ];
    for (const body of bodies) await send(gw, 'POST', body, { 'x-phonematch-namespace': 'secrets' });
    await send(`${cli.url}/process/continue`, 'POST', { token, codematch: { key: '000000' }, pass: PASSWORD });
    // The admin token in a URL (an EventSource cannot send headers) must not be logged either.
    await send(`${cli.url}/__admin/health?token=${TOKEN}`, 'GET');

    for (const path of [
      '/__admin/requests?limit=1000',
      '/__admin/transactions',
      '/__admin/messages',
      '/__admin/requests?namespace=secrets',
    ]) {
      const res = await send(`${cli.url}${path}`, 'GET', undefined, admin);
      expect(res.status, path).toBe(200);
      expect(res.text, path).not.toContain(PASSWORD);
      expect(res.text, path).not.toContain(PASSWORD.slice(5)); // nor the tail of the escaped one
    }
    const journal = await send(`${cli.url}/__admin/requests?limit=1000`, 'GET', undefined, admin);
    expect(journal.json.total).toBe(bodies.length + 2);

    cli.child.kill('SIGTERM');
    expect((await cli.exit).code).toBe(0);
    const log = cli.output();
    // It really logged every request (at trace, the most the mock logs).
    expect(log.match(/"msg":"incoming request"/g)?.length ?? 0).toBeGreaterThanOrEqual(bodies.length + 2);
    expect(log).toContain('/process/comprehensive/gateway');
    expect(log).not.toContain(PASSWORD);
    expect(log).not.toContain(PASSWORD.slice(5));
    expect(log).not.toContain(TOKEN.slice(4));
  }, 30_000);
});
