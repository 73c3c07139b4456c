/**
 * A client in another language: a PHP script that calls the Dialer exactly as Veratad's Magento
 * module does (curl, `Content-Type:application/json`, the status request while PENDING) runs
 * unchanged against the mock on a free port. PHP is Debian's `php-cli` and `php-curl`, which
 * `npm test` installs when missing; elsewhere this file is skipped with a loud line, and under
 * CI=true a missing PHP fails it (test/helpers/system.ts).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../../../src/start.js';
import { assertAvailable, describeWith, PHP } from '../../helpers/system.js';

const SCRIPT = fileURLToPath(new URL('./magento-dialer.php', import.meta.url));
const run = promisify(execFile);

describeWith(PHP, 'a PHP client written like Veratad’s Magento module', {}, () => {
  let mock: RunningMock;

  beforeAll(async () => {
    assertAvailable(PHP);
    mock = await startMock({ watchScenarios: false, logLevel: 'silent' });
  });
  afterAll(async () => {
    await mock?.close();
  });

  async function php(...args: string[]): Promise<{ code: number; lines: string[] }> {
    try {
      const { stdout } = await run(PHP.path, [SCRIPT, mock.url, ...args], { timeout: 30_000 });
      return { code: 0, lines: stdout.trim().split('\n') };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? -1, lines: `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n') };
    }
  }

  it('dials, re-polls while PENDING and ends PASS, reading action, detail, timestamp and confirmation', async () => {
    // The status answers PENDING twice before the result, as a real call in progress would.
    await mock.scenarios.use('dialer-slow-status');
    try {
      const { code, lines } = await php('dial', '2015106000', '100042', 'voip');
      expect(lines.map((line) => line.replace(/ confirmation=\d+ timestamp=\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, ''))).toEqual([
        'gateway: PENDING MORE INFORMATION IS REQUIRED',
        expect.stringMatching(/^token: [a-z0-9]{32}$/),
        'status: PENDING MORE INFORMATION IS REQUIRED',
        'status: PENDING MORE INFORMATION IS REQUIRED',
        'status: PASS ALL CHECKS PASSED',
        'final: PASS',
      ]);
      expect(code).toBe(0);
    } finally {
      await mock.scenarios.clear();
    }
    // What the mock saw is the module's own body, and the call it "placed".
    const [call] = await mock.messages.list({ phone: '2015106000' });
    expect(call).toMatchObject({ channel: 'dialer', text: 'test.message', pin: null, status: 'delivered' });
    const tx = await mock.transactions.get(call?.token ?? '');
    expect(tx).toMatchObject({ reference: '100042', service: 'PhoneMatch5.0.Dialer', state: 'passed', call: { polls: 3 } });
  });

  it('a call that is not answered ends FAIL / FAILED TO SEND TO NUMBER', async () => {
    const { code, lines } = await php('dial', '2015550130', '100043', '');
    expect(lines.at(-2)).toMatch(/^status: FAIL FAILED TO SEND TO NUMBER confirmation=\d+/);
    expect(lines.at(-1)).toBe('final: FAIL');
    expect(code).toBe(0);
  });

  it('a line type in do_not_send_to_types is suppressed: no token, no status request, nobody called', async () => {
    const { code, lines } = await php('dial', '2015550102', '100044', 'voip,landline');
    expect(lines).toEqual([
      expect.stringMatching(/^gateway: FAIL SUPPRESSED SENDING CODE confirmation=\d+ /),
      'token: none',
      'final: FAIL',
    ]);
    expect(code).toBe(0);
    expect(await mock.messages.list({ phone: '2015550102' })).toEqual([]);
  });

  it('a made-up token gets QRY6 / Token Bad or Expired with the token as its detail', async () => {
    const token = 'm4d3upm4d3upm4d3upm4d3upm4d3upm4';
    const { code, lines } = await php('status', token);
    expect(lines).toEqual([`error: HTTP 400 QRY6 Token Bad or Expired ${token}`]);
    expect(code).toBe(0);
  });
});
