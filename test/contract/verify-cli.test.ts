/**
 * `phonematch-mock verify` through the built CLI (`npm test` builds first): pacts "written by
 * someone else" (test/fixtures/pacts/, by hand, Pact specification 3), one that expects what the
 * real service would not do, one with unknown states, and a mock running elsewhere.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';

const CLI = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
const FIXTURES = fileURLToPath(new URL('../fixtures/pacts', import.meta.url));
const SHIPPED = fileURLToPath(new URL('../../pacts', import.meta.url));

interface Run {
  code: number;
  out: string;
  err: string;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: Pact's report is coloured with ANSI escapes.
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, '');

function verify(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, 'verify', ...args],
      { timeout: 60_000, env: { ...process.env, PACT_DO_NOT_TRACK: 'true', NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, out: plain(stdout), err: plain(stderr) });
      },
    );
  });
}

describe('phonematch-mock verify (the built CLI)', () => {
  beforeAll(() => {
    if (!existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first (npm test does).');
  });

  it('verifies a pact someone else wrote with the README states: exit 0', async () => {
    const run = await verify(`${FIXTURES}/web-shop`);
    expect(run.err).toBe('');
    expect(run.out).toContain('Verifying a pact between web-shop and PhoneMatch');
    expect(run.out).toContain('phonematch-mock verify: all 4 interaction(s) passed');
    expect(run.code).toBe(0);
  }, 60_000);

  it('verifies the shipped pact, whose first interaction has no provider state, and prints nothing about an empty state', async () => {
    const run = await verify(SHIPPED);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/all \d+ interaction\(s\) passed/);
    expect(run.out + run.err).not.toMatch(/state handler|state ''/i);
  }, 60_000);

  it('fails a pact that expects what the service would not do, with a readable reason: exit 1', async () => {
    const run = await verify(`${FIXTURES}/wrong/web-shop-PhoneMatch.json`);
    expect(run.code).toBe(1);
    expect(run.out).toContain('2 interaction(s) of 2 failed');
    expect(run.out).toContain('a sign-up expects 201 Created for a code sent: expected 201 but was 200');
    expect(run.out).toContain(
      'an invalid number expects a continuation template anyway: Actual map is missing the following keys: continuations',
    );
  }, 60_000);

  it('fails an unknown state before verifying anything, listing the known states: exit 1', async () => {
    const run = await verify(`${FIXTURES}/unknown-state`);
    expect(run.code).toBe(1);
    expect(run.out).toContain(
      '"the shopper is logged in" (web-shop-PhoneMatch.json: a code is sent to a logged-in shopper): not in the catalogue',
    );
    expect(run.out).toContain("needs the param 'phone'");
    expect(run.out).toContain('  - a code {pin} was sent to {phone} with token {token}');
    expect(run.out).not.toContain('Verifying a pact');
  }, 60_000);

  it('rejects bad usage: exit 2', async () => {
    expect((await verify()).code).toBe(2);
    expect((await verify(`${FIXTURES}/missing-folder`)).code).toBe(2);
    expect((await verify(SHIPPED, '--real-service')).err).toContain('--real-service needs --provider-base-url');
    expect((await verify(SHIPPED, '--no-such-flag')).code).toBe(2);
    expect((await verify(SHIPPED, '--provder', 'PhoneMatch')).err).toContain("unknown option '--provder'. Did you mean --provider?");
  }, 60_000);

  describe('against a mock started elsewhere (--provider-base-url)', () => {
    let shared: FastifyInstance;
    let sharedUrl: string;
    let production: FastifyInstance;
    let productionUrl: string;

    beforeAll(async () => {
      // A shared mock guarded by an admin token; and a stand-in for production with one real account.
      shared = await buildApp({ logLevel: 'silent', watchScenarios: false, adminToken: 'sesame' });
      sharedUrl = await shared.listen({ host: '127.0.0.1', port: 0 });
      production = await buildApp({ logLevel: 'silent', watchScenarios: false, accounts: [{ user: 'real', pass: 'secret' }] });
      productionUrl = await production.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      await Promise.all([shared?.close(), production?.close()]);
    });

    it('sets the states up through POST /__admin/states: exit 0', async () => {
      const run = await verify(`${FIXTURES}/web-shop`, '--provider-base-url', sharedUrl, '--admin-token', 'sesame');
      expect(run.out).toContain(`phonematch-mock verify: all 4 interaction(s) passed against ${sharedUrl}`);
      expect(run.code).toBe(0);
      const missingToken = await verify(`${FIXTURES}/web-shop`, '--provider-base-url', sharedUrl);
      expect(missingToken.err).toContain('--admin-token');
      expect(missingToken.code).toBe(1);
    }, 60_000);

    it('--real-service runs only the interactions whose states hold without set-up, with the real credentials', async () => {
      const run = await verify(SHIPPED, '--provider-base-url', productionUrl, '--real-service', '--user', 'real', '--pass', 'secret');
      expect(run.out).toContain('skipped: phonematch-mock-client-PhoneMatch.json: a request to send a code to a mobile number');
      expect(run.out).toContain('phonematch-mock verify: all 19 interaction(s) passed');
      expect(run.code).toBe(0);
      // Without the real credentials the placeholder login of the pact is refused: drift shows as a failure.
      const noCredentials = await verify(SHIPPED, '--provider-base-url', productionUrl, '--real-service');
      expect(noCredentials.out).toContain('expected 200 but was 400');
      expect(noCredentials.code).toBe(1);
    }, 60_000);
  });
});
