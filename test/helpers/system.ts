/**
 * Programs some tests need from the system (Debian's Chromium, PHP with curl), and the one rule
 * for when they are missing: `npm test` installs them on Debian (scripts/ensure-system-packages.sh);
 * where it cannot (another OS, no root), the tests that need them are skipped with one loud line
 * saying how to enable them, except under CI=true, where they run and fail, so CI never passes
 * by skipping.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe } from 'vitest';

export interface SystemTool {
  /** What the tests call it in their messages. */
  readonly label: string;
  /** The executable the tests run. */
  readonly path: string;
  /** The Debian packages that provide it. */
  readonly packages: readonly string[];
  /** Whether it is there and usable. */
  available(): boolean;
}

export const CHROMIUM: SystemTool = {
  label: 'Chromium',
  path: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  packages: ['chromium'],
  available() {
    return existsSync(this.path);
  },
};

export const PHP: SystemTool = {
  label: 'PHP with curl',
  path: process.env.PHP_PATH ?? 'php',
  packages: ['php-cli', 'php-curl'],
  available() {
    const probe = spawnSync(this.path, ['-r', 'exit(function_exists("curl_init") ? 0 : 1);'], { stdio: 'ignore', timeout: 10_000 });
    return probe.status === 0;
  },
};

export const CURL_JQ: SystemTool = {
  label: 'curl and jq',
  path: 'curl, jq',
  packages: ['curl', 'jq'],
  available() {
    return ['curl', 'jq'].every((program) => spawnSync(program, ['--version'], { stdio: 'ignore', timeout: 10_000 }).status === 0);
  },
};

const checked = new Map<SystemTool, boolean>();
function isAvailable(tool: SystemTool): boolean {
  let known = checked.get(tool);
  if (known === undefined) {
    known = tool.available();
    checked.set(tool, known);
  }
  return known;
}

/** The line printed when tests are skipped for want of a tool. */
export function skipNotice(tool: SystemTool, what: string): string {
  return (
    `⚠ SKIPPED ${what}: ${tool.label} is missing (${tool.path}). ` +
    `To run them: apt-get install ${tool.packages.join(' ')} as root (npm test does it when it can), then npm test. ` +
    'Under CI=true they fail instead.'
  );
}

/**
 * Whether tests needing `tool` should run. False (after printing the notice) when it is missing
 * outside CI; true under CI=true even when it is missing, so those tests fail loudly there.
 */
export function shouldRun(tool: SystemTool, what: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (isAvailable(tool) || env.CI === 'true') return true;
  console.warn(skipNotice(tool, what));
  return false;
}

/** A `describe` that runs when `tool` is there (or under CI=true), and is skipped with a notice otherwise. */
export function describeWith(tool: SystemTool, name: string, options: { timeout?: number }, body: () => void): void {
  const run = shouldRun(tool, `"${name}"`);
  (run ? describe : describe.skip)(name, options, body);
}

/** Throws a message naming the fix when `tool` is missing (for the beforeAll of a test that runs anyway, under CI). */
export function assertAvailable(tool: SystemTool): void {
  if (!isAvailable(tool)) throw new Error(`${tool.label} is missing (${tool.path}): apt-get install ${tool.packages.join(' ')}`);
}
