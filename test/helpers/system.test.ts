/**
 * The rule for tests that need a program from the system, and the script that installs it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type SystemTool, shouldRun, skipNotice } from './system.js';

const run = promisify(execFile);
const SCRIPT = join(import.meta.dirname, '..', '..', 'scripts', 'ensure-system-packages.sh');

const tool = (there: boolean): SystemTool => ({
  label: 'Frobnicator',
  path: '/nowhere/frob',
  packages: ['frob', 'frob-extra'],
  available: () => there,
});

describe('shouldRun', () => {
  it('runs the tests when the program is there, and says nothing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(shouldRun(tool(true), 'the frob tests', {})).toBe(true);
    expect(warn).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('skips them with one line naming the packages to install when it is missing', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(shouldRun(tool(false), 'the frob tests', {})).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toBe(skipNotice(tool(false), 'the frob tests'));
    expect(warn.mock.calls[0]?.[0]).toMatch(/SKIPPED the frob tests: Frobnicator is missing .*apt-get install frob frob-extra/);
    warn.mockRestore();
  });

  it('runs them anyway under CI=true, so that they fail rather than pass by skipping', () => {
    expect(shouldRun(tool(false), 'the frob tests', { CI: 'true' })).toBe(true);
  });
});

describe('scripts/ensure-system-packages.sh', () => {
  // A PATH with a shell and the basics, but neither apt-get nor dpkg-query: a laptop off Debian.
  const bin = mkdtempSync(join(tmpdir(), 'phonematch-nodebian-'));
  for (const program of ['bash', 'grep', 'id', 'env']) symlinkSync(`/usr/bin/${program}`, join(bin, program));
  afterAll(() => rmSync(bin, { recursive: true, force: true }));
  const env = (extra: NodeJS.ProcessEnv) => ({ PATH: bin, HOME: process.env.HOME, ...extra });

  it('is silent when every package is installed', async () => {
    const { stdout, stderr } = await run('bash', [SCRIPT, 'bash'], { timeout: 30_000 });
    expect(stdout + stderr).toBe('');
  });

  it('off Debian, says in one line how to install them, and lets the tests skip themselves', async () => {
    const { stdout, stderr } = await run('/usr/bin/bash', [SCRIPT, 'chromium', 'php-cli'], { env: env({}), timeout: 30_000 });
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/cannot install chromium php-cli: this is not a Debian-like system.*apt-get install chromium php-cli/);
  });

  it('off Debian under CI=true, fails', async () => {
    const failed = await run('/usr/bin/bash', [SCRIPT, 'chromium'], { env: env({ CI: 'true' }), timeout: 30_000 }).catch((e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/cannot install chromium.*CI=true/);
  });

  it('asks for at least one package', async () => {
    const failed = await run('bash', [SCRIPT], { timeout: 30_000 }).catch((e) => e);
    expect(failed.code).toBe(2);
  });
});
