/**
 * The example app's suite (examples/otp-app) with four workers at once, as on any laptop: its
 * test files share one mock and the same phone numbers, and each resets, activates scenarios and
 * moves the clock in its own namespace only. The root run gives it one worker on a small machine,
 * so this runs it again as a user would, with `--maxWorkers=4`.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');

describe('the example app suite', () => {
  it('passes with four vitest workers', async () => {
    const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const { stdout } = await run(
      process.execPath,
      [vitest, 'run', '--config', 'examples/otp-app/vitest.config.ts', '--maxWorkers=4', '--reporter=json'],
      { cwd: ROOT, timeout: 120_000, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
    );
    const report = JSON.parse(stdout) as { numFailedTests: number; numPassedTests: number; numTotalTestSuites: number };
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThanOrEqual(15);
  }, 150_000);
});
