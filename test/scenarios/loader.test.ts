import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { compileScenario, loadScenarioDir, matchKey } from '../../src/scenarios/loader.js';

const OPTIONS = { defaultRegion: 'US', ambiguousLineType: 'mobile' } as const;
const dirs: string[] = [];

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pm-scenarios-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

const reason = (value: unknown) => compileScenario(value, 'inline', OPTIONS);

describe('compileScenario', () => {
  it('normalises match.phone, so every way of writing a number is the same key', () => {
    const compiled = reason({ name: 'v', description: 'd', match: { phone: ['2015550102', '+1 201-555-0103', '(201) 555-0104'] } });
    if (typeof compiled === 'string') throw new Error(compiled);
    expect([...(compiled.phoneKeys ?? [])]).toEqual(['+12015550102', '+12015550103', '+12015550104']);
    expect(matchKey('1 (201) 555-0102', OPTIONS)).toBe('+12015550102');
    expect(matchKey('+1.201.555.0102', OPTIONS)).toBe('+12015550102');
  });

  it.each([
    [{ description: 'd' }, "(top level) must have required property 'name'"],
    [{ name: 'Bad Name', description: 'd' }, 'name must match pattern'],
    [{ name: 'x', description: 'two\nlines' }, 'description must be one line'],
    [{ name: 'x', description: 'd', colour: 'red' }, "must NOT have additional properties 'colour'"],
    [
      { name: 'x', description: 'd', number: { lineType: 'fax' } },
      'number.lineType must be equal to one of the allowed values (mobile, landline, voip)',
    ],
    [
      { name: 'x', description: 'd', gateway: { fault: 'explode' } },
      'gateway.fault must be equal to one of the allowed values (reset, empty, malformed)',
    ],
    [{ name: 'x', description: 'd', gateway: { latencyMs: { min: 500, max: 100 } } }, 'gateway.latencyMs min is above max'],
    [{ name: 'x', description: 'd', continue: { fault: 'reset', response: { status: 500 } } }, 'continue has both fault and response'],
    [
      { name: 'x', description: 'd', gateway: { response: { status: 503, headers: { 'content-length': '3' } } } },
      'content-length cannot be set',
    ],
    [{ name: 'x', description: 'd', gateway: { response: { status: 503, headers: { 'bad header': 'x' } } } }, 'not a valid HTTP token'],
    [{ name: 'x', description: 'd', gateway: { response: { status: 503, headers: { 'x-a': 'one\r\ntwo' } } } }, 'must match pattern'],
    [{ name: 'x', description: 'd', match: { phone: '---' } }, "match.phone '---' has no digits"],
    [{ name: 'x', description: 'd', match: {} }, 'match must NOT have fewer than 1 properties'],
    [{ name: 'x', description: 'd', otp: { pin: '12ab' } }, 'otp.pin must match pattern'],
  ])('refuses %j with a reason', (value, expected) => {
    const compiled = reason(value);
    expect(typeof compiled).toBe('string');
    expect(compiled).toContain(expected);
  });
});

describe('loadScenarioDir', () => {
  it('loads YAML, YML and JSON files in name order and ignores other files', () => {
    const dir = folder({
      'b.yaml': 'name: b\ndescription: bee\n',
      'a.json': '{"name":"a","description":"ay"}',
      'c.yml': 'name: c\ndescription: sea\n',
      'notes.txt': 'not a scenario',
    });
    const result = loadScenarioDir(dir, OPTIONS);
    expect(result.errors).toEqual([]);
    expect(result.scenarios.map((s) => [s.scenario.name, s.source])).toEqual([
      ['a', join(dir, 'a.json')],
      ['b', join(dir, 'b.yaml')],
      ['c', join(dir, 'c.yml')],
    ]);
  });

  it('names the path and the reason of every bad file, and keeps the good ones', () => {
    const dir = folder({
      'good.yaml': 'name: good\ndescription: fine\n',
      'broken.yaml': 'name: broken\ndescription: [unclosed\n',
      'invalid.yaml': 'name: invalid\ndescription: d\notp:\n  ttlMs: -1\n',
      'twin.yaml': 'name: good\ndescription: same name\n',
      'empty.yaml': '',
      'bad.json': '{"name": ',
    });
    const { scenarios, errors } = loadScenarioDir(dir, OPTIONS);
    expect(scenarios.map((s) => s.scenario.name)).toEqual(['good']);
    const byFile = Object.fromEntries(errors.map((e) => [e.file, e.message]));
    expect(Object.keys(byFile).sort()).toEqual(
      ['bad.json', 'broken.yaml', 'empty.yaml', 'invalid.yaml', 'twin.yaml'].map((f) => join(dir, f)),
    );
    expect(byFile[join(dir, 'broken.yaml')]).toMatch(/at line \d+, column \d+/);
    expect(byFile[join(dir, 'invalid.yaml')]).toBe('otp.ttlMs must be >= 0');
    expect(byFile[join(dir, 'twin.yaml')]).toBe(`the name 'good' is already used by ${join(dir, 'good.yaml')}`);
    expect(byFile[join(dir, 'empty.yaml')]).toBe('(top level) must be object');
    expect(byFile[join(dir, 'bad.json')]).toMatch(/JSON/);
  });

  it('reports a folder that cannot be read', () => {
    const missing = join(tmpdir(), 'pm-no-such-folder-ever');
    const { scenarios, errors } = loadScenarioDir(missing, OPTIONS);
    expect(scenarios).toEqual([]);
    expect(errors).toEqual([{ file: missing, message: expect.stringContaining('cannot read the scenario folder') }]);
  });
});
