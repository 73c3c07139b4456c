/**
 * The generated types are committed and never edited: this fails when openapi.yaml,
 * admin-openapi.yaml or schema/scenario.schema.json changed without `npm run gen:types`.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'node_modules', '.bin');
const exec = promisify(execFile);

/** `openapi-typescript <doc> -o <file> --check`: exit 0 when the file is what the document generates. */
async function openapiCheck(doc: string, output: string): Promise<{ ok: boolean; output: string }> {
  try {
    const { stdout, stderr } = await exec(join(BIN, 'openapi-typescript'), [doc, '-o', output, '--check'], { cwd: ROOT, timeout: 30_000 });
    return { ok: true, output: stdout + stderr };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}${e.message}` };
  }
}

describe('generated types are up to date (run `npm run gen:types` when this fails)', () => {
  it.each([
    ['openapi.yaml', 'src/generated/phonematch.ts'],
    ['admin-openapi.yaml', 'src/generated/admin.ts'],
  ])('%s → %s', async (doc, file) => {
    const result = await openapiCheck(doc, file);
    expect(result.ok, `${file} is stale:\n${result.output}`).toBe(true);
  });

  it('schema/scenario.schema.json → src/generated/scenario.ts', async () => {
    const { stdout } = await exec(join(BIN, 'json2ts'), ['-i', 'schema/scenario.schema.json', '--additionalProperties', 'false'], {
      cwd: ROOT,
      timeout: 30_000,
    });
    expect(stdout, 'src/generated/scenario.ts is stale').toBe(readFileSync(join(ROOT, 'src/generated/scenario.ts'), 'utf8'));
  });

  it('the check does catch a stale file', async () => {
    const stale = join(mkdtempSync(join(tmpdir(), 'phonematch-gen-')), 'phonematch.ts');
    copyFileSync(join(ROOT, 'src/generated/phonematch.ts'), stale);
    expect((await openapiCheck('openapi.yaml', stale)).ok).toBe(true);
    writeFileSync(stale, readFileSync(stale, 'utf8').replace('"IN0"', '"IN9"'));
    expect((await openapiCheck('openapi.yaml', stale)).ok).toBe(false);
  });
});
