/**
 * The documents stay true: the README's magic-number table and docs/scenarios.md's table of the
 * other scenarios say what the files say, the example file of docs/scenarios.md is valid, and the
 * control-API table of docs/control-api.md lists every call of admin-openapi.yaml.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { SHIPPED_SCENARIOS } from '../../src/config.js';
import { loadSpec, operations } from '../../src/http/spec.js';
import { compileScenario, loadScenarioDirs } from '../../src/scenarios/loader.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const OPTIONS = { defaultRegion: 'US', ambiguousLineType: 'mobile' } as const;

function section(file: string, name: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const start = text.indexOf(`<!-- section:${name}:start -->`);
  const end = text.indexOf(`<!-- section:${name}:end -->`);
  if (start < 0 || end < start) throw new Error(`${file} has no ${name} section markers`);
  return text.slice(start, end);
}

/** The rows of the Markdown table whose header row is exactly `header`, cells trimmed. */
function table(text: string, header: string): string[][] {
  const lines = text.split('\n');
  const at = lines.indexOf(header);
  if (at < 0) throw new Error(`no table headed '${header}' in the section`);
  const rows: string[][] = [];
  for (const line of lines.slice(at + 2)) {
    if (!line.startsWith('|')) break;
    // Split on pipes not escaped as \| (a description may contain one).
    rows.push(
      line
        .slice(1, -1)
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim().replaceAll('\\|', '|')),
    );
  }
  return rows;
}

const unquote = (cell: string) => cell.replace(/^`(.*)`$/, '$1');
const shipped = loadScenarioDirs(SHIPPED_SCENARIOS, OPTIONS).scenarios.map((s) => s.scenario);

describe('the scenario tables of README.md and docs/', () => {
  it('the magic-number table is the files with a match.phone: number | scenario | what happens', () => {
    const rows = table(section('README.md', 'magic-numbers'), '| number | scenario | what happens |').map(([number, name, what]) => [
      number,
      unquote(name ?? ''),
      what,
    ]);
    const files = shipped
      .filter((s) => s.match?.phone !== undefined)
      .flatMap((s) =>
        (typeof s.match?.phone === 'string' ? [s.match.phone] : (s.match?.phone ?? [])).map((phone) => [phone, s.name, s.description]),
      )
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(rows).toEqual(files);
  });

  it('the table of the other scenarios is the files without a match.phone: scenario | what happens', () => {
    const rows = table(section('docs/scenarios.md', 'scenarios'), '| scenario | what happens |').map(([name, what]) => [
      unquote(name ?? ''),
      what,
    ]);
    const files = shipped.filter((s) => s.match?.phone === undefined).map((s) => [s.name, s.description]);
    expect(rows).toEqual(files);
  });

  it('the example scenario file is valid', () => {
    const example = /```yaml\n([\s\S]*?)```/.exec(section('docs/scenarios.md', 'scenarios'))?.[1];
    expect(example).toBeDefined();
    const compiled = compileScenario(parseYaml(example ?? ''), 'docs/scenarios.md', OPTIONS);
    expect(typeof compiled === 'string' ? compiled : 'valid').toBe('valid');
  });

  it('the control-API table lists every call of admin-openapi.yaml', () => {
    const calls = table(section('docs/control-api.md', 'control-api'), '| call | what it does |').map(([call]) => call ?? '');
    const documented = calls.map((call) => /^`(GET|PUT|POST|DELETE) ([^`?\s]+)/.exec(call)?.slice(1, 3).join(' '));
    const spec = [...operations(loadSpec('admin-openapi.yaml')).values()].map(({ method, path }) => `${method} ${path}`);
    expect([...documented].sort()).toEqual([...spec].sort());
  });
});
