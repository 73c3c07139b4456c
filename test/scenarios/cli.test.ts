/**
 * `phonematch-mock scenarios list|validate [dir]`, and a bad scenario file at start-up, as a user
 * meets them: the real command, spawned. It needs the build (`npm test` runs it first; alone,
 * `npm run build`).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ConfigError, SHIPPED_SCENARIOS } from '../../src/config.js';
import { loadScenarioDirs } from '../../src/scenarios/loader.js';

const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(PORT|HOST|PHONEMATCH_.*)$/.test(k)));
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, timeout: 15_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function badFolder(): { dir: string; bad: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pm-cli-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'good.yaml'), 'name: good\ndescription: Fine.\n');
  writeFileSync(join(dir, 'bad.yaml'), 'name: bad\ndescription: Bad.\nnumber:\n  lineType: fax\n');
  return { dir, bad: join(dir, 'bad.yaml') };
}

const REASON = 'number.lineType is "fax"; write one of mobile, landline, voip';
const AT = ':4:13'; // bad.yaml, line 4, the value's column

describe('phonematch-mock scenarios', () => {
  it('list shows every shipped scenario with its description and magic number', async () => {
    const { code, stdout, stderr } = await run(['scenarios', 'list']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const shipped = loadScenarioDirs(SHIPPED_SCENARIOS, { defaultRegion: 'US', ambiguousLineType: 'mobile' }).scenarios;
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(shipped.length);
    expect(lines.length).toBeGreaterThan(20);
    for (const { scenario } of shipped) {
      const line = lines.find((l) => l.startsWith(`${scenario.name} `));
      expect(line, scenario.name).toContain(scenario.description);
      if (typeof scenario.match?.phone === 'string') expect(line).toContain(`[${scenario.match.phone}]`);
    }
  });

  it('validate passes the shipped folder', async () => {
    const { code, stdout } = await run(['scenarios', 'validate']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^\d+ valid, 0 invalid \(/);
  });

  it.each(['validate', 'list'])('%s exits non-zero on a bad file, with its path and the reason', async (action) => {
    const { dir, bad } = badFolder();
    const { code, stdout, stderr } = await run(['scenarios', action, dir]);
    expect(code).toBe(1);
    expect(stderr).toContain(`${bad}${AT}: ${REASON}`);
    // The shipped scenarios load beside the folder, as at a start.
    const shipped = loadScenarioDirs(SHIPPED_SCENARIOS, { defaultRegion: 'US', ambiguousLineType: 'mobile' }).scenarios.length;
    expect(stdout).toContain(action === 'list' ? 'good' : `${shipped + 1} valid, 1 invalid`);
    if (action === 'validate') expect(stderr).toContain(['> 4 |   lineType: fax', '    |             ^'].join('\n'));
  });

  it('--scenarios names the folder too, and an unknown action is refused', async () => {
    const { dir, bad } = badFolder();
    const viaFlag = await run(['--scenarios', dir, 'scenarios', 'validate']);
    expect(viaFlag.code).toBe(1);
    expect(viaFlag.stderr).toContain(bad);
    const alone = await run(['--no-shipped-scenarios', 'scenarios', 'validate', dir]);
    expect(alone.stdout).toContain('1 valid, 1 invalid');
    const twice = mkdtempSync(join(tmpdir(), 'pm-cli-'));
    dirs.push(twice);
    writeFileSync(join(twice, 'mine.yaml'), 'name: happy-path\ndescription: Mine.\n');
    const clash = await run(['scenarios', 'validate', twice]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(
      `the name 'happy-path' is defined twice: in ${join(SHIPPED_SCENARIOS, 'happy-path.yaml')} and in ${join(twice, 'mine.yaml')}`,
    );
    const unknown = await run(['scenarios', 'explain']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("use 'scenarios list' or 'scenarios validate'");
  });
});

describe('a bad scenario file at start-up', () => {
  it('fails fast in buildApp, naming the path and the reason', async () => {
    const { dir, bad } = badFolder();
    const failed = buildApp({ scenarios: dir, logLevel: 'silent', watchScenarios: false });
    await expect(failed).rejects.toBeInstanceOf(ConfigError);
    await expect(failed).rejects.toThrow(`${bad}${AT}: ${REASON}`);
  });

  it('stops the command before it listens, with exit code 2 and no stack', async () => {
    const { dir, bad } = badFolder();
    const { code, stdout, stderr } = await run(['--scenarios', dir, '--port', '0']);
    expect(code).toBe(2);
    expect(stdout).not.toContain('listening');
    expect(stderr).toContain(`${bad}${AT}: ${REASON}`);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
