/**
 * Hot reload: a file added, edited or deleted in the watched folder changes the next answer
 * within a second, without a restart; an invalid edit keeps the last good set and is reported.
 * The test waits for the registry's reload event, never for a fixed time.
 */
import { mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReloadReport, ScenarioRegistry } from '../../src/scenarios/registry.js';
import { gateway, gatewayBody, makeApp } from '../helpers/app.js';
import { expectSpecResponse } from '../helpers/spec.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** The next reload after `change()`, and how long it took to arrive. */
async function reloadAfter(registry: ScenarioRegistry, change: () => void): Promise<ReloadReport & { ms: number }> {
  const started = performance.now();
  const report = new Promise<ReloadReport>((resolve, reject) => {
    const timeout = setTimeout(() => reject(new Error('no reload within 5 s')), 5_000);
    const off = registry.onReload((r) => {
      clearTimeout(timeout);
      off();
      resolve(r);
    });
  });
  change();
  return { ...(await report), ms: performance.now() - started };
}

async function answerFor(app: FastifyInstance, phone: string): Promise<string> {
  const { body } = await gateway(app, gatewayBody({ options: {} }, { phone }));
  return `${body.result.action} / ${body.result.detail}`;
}

describe('hot reload of the scenario folder', () => {
  it('applies added, edited and deleted files within a second, and survives an invalid edit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-watch-'));
    dirs.push(dir);
    const file = (name: string) => join(dir, name);
    writeFileSync(file('a.yaml'), 'name: tmp-a\ndescription: invalid number\nmatch:\n  phone: "2015106000"\nnumber:\n  valid: false\n');
    const logged: string[] = [];
    const app = await makeApp(
      { scenarios: dir, watchScenarios: true },
      { logger: { level: 'warn', stream: { write: (line: string) => logged.push(line) } } },
    );
    const registry = app.simulator.scenarios;
    expect(await answerFor(app, '2015106000')).toBe('FAIL / DATA CHECK FAILED');
    expect(await answerFor(app, '2015106001')).toBe('PENDING / MORE INFORMATION IS REQUIRED');

    // Added.
    const added = await reloadAfter(registry, () =>
      writeFileSync(
        file('b.yaml'),
        'name: tmp-b\ndescription: send failure\nmatch:\n  phone: "+1 201-510-6001"\ndelivery:\n  fail: true\n',
      ),
    );
    expect(added).toMatchObject({ applied: true, errors: [] });
    expect(added.ms).toBeLessThan(1_000);
    expect(await answerFor(app, '2015106001')).toBe('FAIL / FAILED TO SEND TO NUMBER');

    // Edited.
    const edited = await reloadAfter(registry, () =>
      writeFileSync(
        file('a.yaml'),
        'name: tmp-a\ndescription: now a send failure\nmatch:\n  phone: "2015106000"\ndelivery:\n  fail: true\n',
      ),
    );
    expect(edited).toMatchObject({ applied: true, errors: [] });
    expect(edited.ms).toBeLessThan(1_000);
    expect(await answerFor(app, '2015106000')).toBe('FAIL / FAILED TO SEND TO NUMBER');

    // An invalid edit: the last good set stays, the error is in the list endpoint and the log.
    const broken = await reloadAfter(registry, () => writeFileSync(file('a.yaml'), 'name: tmp-a\ndescription: [oops\n'));
    expect(broken.applied).toBe(false);
    expect(broken.errors).toEqual([
      expect.objectContaining({
        file: file('a.yaml'),
        message: expect.stringMatching(/flow sequence/i),
        line: 3,
        frame: expect.any(String),
      }),
    ]);
    expect(await answerFor(app, '2015106000')).toBe('FAIL / FAILED TO SEND TO NUMBER');
    const listed = await app.inject({ method: 'GET', url: '/__admin/scenarios' });
    expectSpecResponse('listScenarios', 200, listed.json(), 'admin-openapi.yaml');
    expect(listed.json().errors).toEqual(broken.errors);
    expect(listed.json().scenarios).toContainEqual(expect.objectContaining({ name: 'tmp-a', description: 'now a send failure' }));
    const warning = logged.map((line) => JSON.parse(line)).find((entry) => entry.msg?.startsWith('scenario reload: bad file'));
    expect(warning?.errors).toEqual(broken.errors);

    // Fixed again: the errors are gone.
    const fixed = await reloadAfter(registry, () =>
      writeFileSync(file('a.yaml'), 'name: tmp-a\ndescription: voip\nmatch:\n  phone: "2015106000"\nnumber:\n  lineType: voip\n'),
    );
    expect(fixed).toMatchObject({ applied: true, errors: [] });
    const relisted = await app.inject({ method: 'GET', url: '/__admin/scenarios' });
    expectSpecResponse('listScenarios', 200, relisted.json(), 'admin-openapi.yaml');
    expect(relisted.json().errors).toEqual([]);
    expect(await answerFor(app, '2015106000')).toBe('PENDING / MORE INFORMATION IS REQUIRED');
    const { body } = await gateway(app, gatewayBody());
    expect(body.result.detail).toBe('SUPPRESSED SENDING CODE'); // the default request excludes voip

    // Deleted.
    const deleted = await reloadAfter(registry, () => unlinkSync(file('b.yaml')));
    expect(deleted).toMatchObject({ applied: true, errors: [] });
    expect(deleted.ms).toBeLessThan(1_000);
    expect(registry.get('tmp-b')).toBeUndefined();
    expect(await answerFor(app, '2015106001')).toBe('PENDING / MORE INFORMATION IS REQUIRED');
  });

  it('keeps an activation across reloads, and skips it while its file is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pm-watch-'));
    dirs.push(dir);
    const file = join(dir, 'fail.yaml');
    writeFileSync(file, 'name: tmp-fail\ndescription: send failure\ndelivery:\n  fail: true\n');
    const app = await makeApp({ scenarios: dir, watchScenarios: true });
    const registry = app.simulator.scenarios;
    registry.activate('tmp-fail');
    expect(await answerFor(app, '2015106000')).toBe('FAIL / FAILED TO SEND TO NUMBER');
    await reloadAfter(registry, () => unlinkSync(file));
    expect(await answerFor(app, '2015106000')).toBe('PENDING / MORE INFORMATION IS REQUIRED');
    await reloadAfter(registry, () => writeFileSync(file, 'name: tmp-fail\ndescription: invalid\nnumber:\n  valid: false\n'));
    expect(await answerFor(app, '2015106000')).toBe('FAIL / DATA CHECK FAILED');
  });
});
