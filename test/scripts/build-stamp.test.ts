/**
 * `npm start` rebuilds only when what the build reads has changed (scripts/build-stamp.mjs).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ES module of the build, checked by its own `// @ts-check`
import { isFresh, writeStamp } from '../../scripts/build-stamp.mjs';

const ROOT = join(import.meta.dirname, '..', '..');
const fresh = isFresh as (root: string) => boolean;
const stamp = writeStamp as (root: string) => void;

describe('build-stamp', () => {
  let dir: string;
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function project(): string {
    dir = mkdtempSync(join(tmpdir(), 'phonematch-stamp-'));
    mkdirSync(join(dir, 'src', 'ui'), { recursive: true });
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'src', 'cli.ts'), 'export {};\n');
    writeFileSync(join(dir, 'src', 'ui', 'inbox.css'), 'body {}\n');
    writeFileSync(join(dir, 'openapi.yaml'), 'openapi: 3.1.0\n');
    writeFileSync(join(dir, 'dist', 'cli.js'), '');
    return dir;
  }

  it('is stale before the first build, fresh after it', () => {
    const root = project();
    expect(fresh(root)).toBe(false);
    stamp(root);
    expect(fresh(root)).toBe(true);
  });

  it('stays fresh when files are only touched', () => {
    const root = project();
    stamp(root);
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(root, 'src', 'cli.ts'), later, later);
    expect(fresh(root)).toBe(true);
  });

  it.each([
    ['a source changes', (root: string) => writeFileSync(join(root, 'src', 'cli.ts'), 'export const x = 1;\n')],
    ['a source is added', (root: string) => writeFileSync(join(root, 'src', 'new.ts'), '')],
    ['the inbox stylesheet changes', (root: string) => writeFileSync(join(root, 'src', 'ui', 'inbox.css'), 'p {}\n')],
    ['the spec changes', (root: string) => writeFileSync(join(root, 'openapi.yaml'), 'openapi: 3.1.1\n')],
    ['the build is gone', (root: string) => rmSync(join(root, 'dist', 'cli.js'))],
  ])('is stale when %s', (_, change) => {
    const root = project();
    stamp(root);
    change(root);
    expect(fresh(root)).toBe(false);
  });

  it('is what npm start runs before starting, and the build writes it', () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(scripts.prestart).toBe('node scripts/build-stamp.mjs check || npm run build');
    expect(scripts.build).toMatch(/&& node scripts\/build-stamp\.mjs write$/);
  });
});
