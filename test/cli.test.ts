/**
 * The real command, spawned as a user runs it: `node dist/cli.js`. It needs the build; `npm test`
 * runs it first (its `pretest` script). When running this file alone, `npm run build` first.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { expectSpecResponse } from './helpers/spec.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'dist', 'cli.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** The environment without anything that would configure the mock behind the test's back. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PORT|HOST|PHONEMATCH_.*)$/.test(k)));
  return { ...env, ...extra };
}

function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: cleanEnv(env), timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

interface Running {
  child: ChildProcess;
  url: string;
  output: () => string;
  exit: Promise<number | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts the CLI and resolves once its banner names the URL it listens on. */
function start(args: string[], env: Record<string, string> = {}): Promise<Running> {
  const child = spawn(process.execPath, [CLI, '--host', '127.0.0.1', '--port', '0', ...args], {
    env: cleanEnv(env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (url) resolve({ child, url, output: () => stdout + stderr, exit });
    });
    void exit.then((code) => reject(new Error(`the CLI exited (${code}) before listening:\n${stdout}${stderr}`)));
  });
}

async function post(url: string, body: unknown) {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

const GATEWAY = {
  user: 'user@company.com',
  pass: 'S3cret-Pass-Never-Logged',
  service: 'PhoneMatch5.0.SMS',
  reference: 'cli-smoke',
  target: { fn: 'John', ln: 'Smith', phone: '2015106000' },
};

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (npm test does it first).`);
});

describe('the phonematch-mock command', () => {
  it('runs the whole flow on a free port, then closes gracefully on SIGTERM', async () => {
    const mock = await start(['--scenarios', 'none']);
    expect(mock.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.url).not.toMatch(/:0$/);

    // gateway → read the code from /__admin/messages → continue → PASS
    const sent = await post(`${mock.url}/process/comprehensive/gateway`, GATEWAY);
    expect(sent.status).toBe(200);
    expectSpecResponse('gateway', 200, sent.body);
    expect(sent.body.result.action).toBe('PENDING');
    const token = sent.body.continuations.outofband.template.token as string;
    const inbox = (await (await fetch(`${mock.url}/__admin/messages?phone=2015106000`)).json()) as {
      messages: { token: string; pin: string }[];
    };
    const pin = inbox.messages.find((m) => m.token === token)?.pin ?? '';
    expect(pin).toMatch(/^\d{6}$/);
    const pass = await post(`${mock.url}/process/continue`, { token, codematch: { key: pin } });
    expectSpecResponse('continue', 200, pass.body);
    expect(pass.body.result).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] });

    // a wrong code on a new token → FAIL
    const second = await post(`${mock.url}/process/comprehensive/gateway`, GATEWAY);
    const token2 = second.body.continuations.outofband.template.token as string;
    const inbox2 = (await (await fetch(`${mock.url}/__admin/messages?phone=%2B12015106000`)).json()) as {
      messages: { token: string; pin: string }[];
    };
    const pin2 = inbox2.messages.find((m) => m.token === token2)?.pin ?? '';
    const wrong = pin2 === '000000' ? '111111' : '000000';
    const fail = await post(`${mock.url}/process/continue`, { token: token2, codematch: { key: wrong } });
    expectSpecResponse('continue', 200, fail.body);
    expect(fail.body.result).toEqual({ action: 'FAIL', detail: 'FAILED OUT-OF-BAND CHECK', issues: [] });

    // token reuse → QRY6
    const reuse = await post(`${mock.url}/process/continue`, { token, codematch: { key: pin } });
    expect(reuse.status).toBe(400);
    expectSpecResponse('continue', 400, reuse.body);
    expect(reuse.body.error.code).toBe('QRY6');

    mock.child.kill('SIGTERM');
    expect(await mock.exit).toBe(0);
    expect(mock.output()).not.toContain(GATEWAY.pass);
  });

  it('never writes the pass or a pin to its output, even at --log-level trace', async () => {
    // 12-digit pins: a 6-digit one could turn up by chance inside a log line's time stamp.
    const mock = await start(['--scenarios', 'none', '--log-level', 'trace', '--pin-length', '12']);
    const sent = await post(`${mock.url}/process/comprehensive/gateway`, GATEWAY);
    const token = sent.body.continuations.outofband.template.token as string;
    const inbox = (await (await fetch(`${mock.url}/__admin/messages`)).json()) as { messages: { pin: string; text: string }[] };
    const pin = inbox.messages[0]?.pin ?? '';
    expect(pin).toMatch(/^\d{12}$/);
    await post(`${mock.url}/process/continue`, { token, codematch: { key: pin } });
    // Error paths too: a bad login, an unparsable body holding the pass, a validation error.
    await post(`${mock.url}/process/comprehensive/gateway`, { ...GATEWAY, user: '' });
    await fetch(`${mock.url}/process/comprehensive/gateway`, { method: 'POST', body: `{"pass":"${GATEWAY.pass}",` });
    await post(`${mock.url}/process/comprehensive/gateway`, { ...GATEWAY, reference: 5 });
    await post(`${mock.url}/process/continue`, { token, codematch: { key: pin } });
    mock.child.kill('SIGTERM');
    expect(await mock.exit).toBe(0);
    const output = mock.output();
    expect(output).toMatch(/incoming request/); // the log was on
    expect(output).not.toContain(GATEWAY.pass);
    expect(output).not.toContain(pin);
  });

  it('reads its configuration from the environment', async () => {
    const mock = await start(['--scenarios', 'none'], {
      PHONEMATCH_PIN_LENGTH: '8',
      PHONEMATCH_COMPANY: 'Env Co',
      PHONEMATCH_LOG_LEVEL: 'silent',
    });
    const sent = await post(`${mock.url}/process/comprehensive/gateway`, GATEWAY);
    expect(sent.body.meta.company).toBe('Env Co');
    const inbox = (await (await fetch(`${mock.url}/__admin/messages`)).json()) as { messages: { pin: string }[] };
    expect(inbox.messages[0]?.pin).toMatch(/^\d{8}$/);
    mock.child.kill('SIGINT');
    expect(await mock.exit).toBe(0);
  });

  it('says a port in use is in use, and how to pick another, without a stack', async () => {
    const first = await start(['--scenarios', 'none', '--log-level', 'warn']);
    const port = new URL(first.url).port;
    const { code, stderr, stdout } = await run(['--port', port, '--scenarios', 'none']);
    expect(code).toBe(2);
    expect(stderr).toBe(
      `phonematch-mock: port ${port} on 127.0.0.1 is already in use (another phonematch-mock?). Pick another: --port ${Number(port) + 1}, or --port 0 for any free port (its URL is printed).\n`,
    );
    expect(stdout).toBe('');
  });

  it('logs JSON when its output is not a terminal, and lines for people with --log-format pretty', async () => {
    const json = await start(['--scenarios', 'none', '--log-level', 'info']);
    json.child.kill('SIGTERM');
    await json.exit;
    const jsonLines = json
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    expect(jsonLines.length).toBeGreaterThan(0);
    for (const line of jsonLines) expect(() => JSON.parse(line)).not.toThrow();

    const pretty = await start(['--scenarios', 'none', '--log-level', 'info', '--log-format', 'pretty']);
    pretty.child.kill('SIGTERM');
    await pretty.exit;
    expect(pretty.output()).not.toMatch(/^\{/m);
    expect(pretty.output()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO.*: closing/m);
  });

  it('--help lists every flag with its environment variable', async () => {
    const { code, stdout } = await run(['--help']);
    expect(code).toBe(0);
    for (const flag of [
      'port',
      'host',
      'scenarios',
      'pin-length',
      'token-ttl',
      'max-attempts',
      'company',
      'accounts',
      'log-level',
      'help',
      'version',
    ])
      expect(stdout).toContain(`--${flag}`);
    for (const env of ['PORT', 'HOST', 'PHONEMATCH_SCENARIOS', 'PHONEMATCH_PIN_LENGTH', 'PHONEMATCH_TOKEN_TTL', 'PHONEMATCH_MAX_ATTEMPTS'])
      expect(stdout).toContain(`[${env}]`);
    expect((await run(['-h'])).stdout).toBe(stdout);
  });

  it('--version prints the package version', async () => {
    expect(await run(['--version'])).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['--prot', '0'], /unknown option '--prot'\. Did you mean --port\?/],
    [['verfy', 'pacts'], /unknown command 'verfy pacts'\. Did you mean 'verify'\?/],
    [['scenario', 'list'], /Did you mean 'scenarios'\?/],
    [['--pin-length', '99'], /pin length must be an integer from 4 to 12, got 99/],
    [['--port', 'eighty'], /--port must be a whole number/],
    [['--log-level', 'loud'], /log level/],
    [['serve'], /unknown command 'serve'/],
  ])('%j exits non-zero with a message and no stack', async (args, message) => {
    const { code, stderr, stdout } = await run(args);
    expect(code).not.toBe(0);
    expect(code).not.toBeNull();
    expect(stderr).toMatch(/^phonematch-mock: /);
    expect(stderr).toMatch(message);
    expect(stderr).not.toMatch(/\n\s+at /);
    expect(stdout).not.toContain('listening');
  });

  it('rejects a bad environment value before starting', async () => {
    const { code, stderr } = await run(['--port', '0'], { PHONEMATCH_PIN_LENGTH: '99' });
    expect(code).toBe(2);
    expect(stderr).toMatch(/pin length/);
  });
});
