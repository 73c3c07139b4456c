/**
 * Hot reload, safely: only scenario files reload, a file too large or not a regular file is
 * reported without being read, and the watch survives its folder being deleted and recreated.
 */
import { execFileSync } from 'node:child_process';
import { watch as fsWatch, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ReloadReport } from '../../src/scenarios/registry.js';
import { ScenarioRegistry } from '../../src/scenarios/registry.js';
import { MAX_SCENARIO_FILE_BYTES } from '../../src/scenarios/watch.js';

const US = { defaultRegion: 'US', ambiguousLineType: 'mobile' } as const;
const scenario = (name: string) => `name: ${name}\ndescription: A scenario.\n`;

const made: { dir: string; registry: ScenarioRegistry }[] = [];
afterEach(() => {
  for (const { dir, registry } of made.splice(0)) {
    registry.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'phonematch-watch-'));
  writeFileSync(join(dir, 'a.yaml'), scenario('a'));
  const registry = new ScenarioRegistry(dir, US);
  registry.reload(false);
  made.push({ dir, registry });
  return { dir, registry };
}

function nextReload(registry: ScenarioRegistry, until: (r: ReloadReport) => boolean = () => true): Promise<ReloadReport> {
  return new Promise((resolve) => {
    const off = registry.onReload((report) => {
      if (!until(report)) return;
      off();
      resolve(report);
    });
  });
}

describe('hot reload', () => {
  it('ignores a change to a file that is not a scenario', async () => {
    const { dir, registry } = setup();
    let reloads = 0;
    registry.onReload(() => reloads++);
    registry.watch();
    // A second watcher tells when the change was seen; then the debounce (100 ms) passes twice.
    const seen = new Promise<void>((resolve) => {
      const w = fsWatch(dir, () => {
        w.close();
        resolve();
      });
    });
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    await seen;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(reloads).toBe(0);
    const reloaded = nextReload(registry);
    writeFileSync(join(dir, 'b.yaml'), scenario('b'));
    expect((await reloaded).loaded).toBe(2);
  });

  it('reports a file over the size cap without parsing it', async () => {
    const { dir, registry } = setup();
    writeFileSync(join(dir, 'huge.yaml'), `name: huge\ndescription: ${'x'.repeat(MAX_SCENARIO_FILE_BYTES)}\n`);
    const report = await registry.reloadAsync();
    expect(report.errors).toEqual([
      { file: join(dir, 'huge.yaml'), message: expect.stringContaining(`at most ${MAX_SCENARIO_FILE_BYTES}`) },
    ]);
    expect(registry.reload(true).errors[0]?.message).toContain(`at most ${MAX_SCENARIO_FILE_BYTES}`);
    expect(registry.get('a')).toBeDefined();
  });

  it('reports a FIFO named like a scenario without opening it', async () => {
    const { dir, registry } = setup();
    execFileSync('mkfifo', [join(dir, 'x.yaml')]);
    const report = await registry.reloadAsync();
    expect(report.errors).toEqual([{ file: join(dir, 'x.yaml'), message: expect.stringContaining('not a regular file') }]);
    expect(registry.reload(true).errors).toHaveLength(1);
  });

  it('keeps watching when the folder is deleted and created again', async () => {
    const { dir, registry } = setup();
    registry.watch();
    const gone = nextReload(registry, (r) => r.errors.length > 0);
    rmSync(dir, { recursive: true, force: true });
    await gone;
    expect(registry.get('a')).toBeDefined(); // the last good set stays
    const back = nextReload(registry, (r) => r.errors.length === 0 && registry.get('c') !== undefined);
    mkdirSync(dir);
    writeFileSync(join(dir, 'c.yaml'), scenario('c'));
    const report = await back;
    expect(report.applied).toBe(true);
    expect(registry.get('a')).toBeUndefined();
    // And it still watches the new folder.
    const again = nextReload(registry, () => registry.get('d') !== undefined);
    writeFileSync(join(dir, 'd.yaml'), scenario('d'));
    await again;
  }, 15_000);
});
