import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { SHIPPED_SCENARIOS } from '../../src/config.js';
import {
  codeFrame,
  compileScenario,
  compileText,
  loadScenarioDirs,
  loadScenarioFile,
  matchKey,
  parsedScenarioTexts,
  readParsedScenarioTexts,
} from '../../src/scenarios/loader.js';

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
    [{ description: 'd' }, "the scenario needs 'name': add lower-case letters, digits and dashes, such as name: my-scenario"],
    [{ name: 'Bad Name', description: 'd' }, 'name has a form that is not allowed; write lower-case letters, digits and dashes'],
    [{ name: 'x', description: 'two\nlines' }, 'description must be one line'],
    [{ name: 'x', description: 'd', colour: 'red' }, "unknown field 'colour' (fields here: $schema, name, description, match,"],
    [{ name: 'x', description: 'd', mtach: { phone: '1' } }, "unknown field 'mtach'; did you mean 'match'?"],
    [{ name: 'x', description: 'd', otp: { pni: '1' } }, "otp: unknown field 'pni'; did you mean 'pin'?"],
    [{ name: 'x', description: 'd', number: { lineType: 'fax' } }, 'number.lineType is "fax"; write one of mobile, landline, voip'],
    [{ name: 'x', description: 'd', number: { lineType: 'mobil' } }, "write one of mobile, landline, voip (did you mean 'mobile'?)"],
    [{ name: 'x', description: 'd', gateway: { fault: 'explode' } }, 'gateway.fault is "explode"; write one of reset, empty, malformed'],
    [
      { name: 'x', description: 'd', gateway: { latencyMs: 'slow' } },
      'gateway.latencyMs is "slow"; write milliseconds before the answer: a whole number such as 200, a range',
    ],
    [{ name: 'x', description: 'd', gateway: { latencyMs: { min: 500, max: 100 } } }, 'gateway.latencyMs min is above max: swap them'],
    [{ name: 'x', description: 'd', continue: { fault: 'reset', response: { status: 500 } } }, 'continue has both fault and response'],
    [
      { name: 'x', description: 'd', gateway: { response: { status: 503, headers: { 'content-length': '3' } } } },
      'content-length cannot be set',
    ],
    [{ name: 'x', description: 'd', gateway: { response: { status: 503, headers: { 'bad header': 'x' } } } }, 'not a valid HTTP token'],
    [
      { name: 'x', description: 'd', gateway: { response: { status: 503, headers: { 'x-a': 'one\r\ntwo' } } } },
      'gateway.response.headers.x-a must be one line',
    ],
    [{ name: 'x', description: 'd', match: { phone: '---' } }, "match.phone '---' has no digits"],
    [{ name: 'x', description: 'd', match: {} }, 'match is empty; give at least one of phone, user, reference, service, endpoint'],
    [{ name: 'x', description: 'd', match: { user: 3 } }, 'match.user is 3; write a value or a list of values'],
    [
      { name: 'x', description: 'd', otp: { pin: '12ab' } },
      "otp.pin has a form that is not allowed; write 1 to 12 digits, such as pin: '123456'",
    ],
    [{ name: 'x', description: 'd', otp: { pin: 1.5 } }, "otp.pin must be a string; write 1 to 12 digits, such as pin: '123456'"],
    [{ name: 'x', description: 'd', otp: { ttlMs: -1 } }, 'otp.ttlMs must be at least 0'],
  ])('refuses %j with a reason', (value, expected) => {
    const compiled = reason(value);
    expect(typeof compiled).toBe('string');
    expect(compiled).toContain(expected);
  });
});

describe('numbers where a phone or a pin is expected', () => {
  it('takes a bare number as the digits written', () => {
    const compiled = reason({ name: 'n', description: 'd', match: { phone: [2015550188, '2015550189'] }, otp: { pin: 123456 } });
    if (typeof compiled === 'string') throw new Error(compiled);
    expect(compiled.scenario.match?.phone).toEqual(['2015550188', '2015550189']);
    expect(compiled.scenario.otp?.pin).toBe('123456');
    expect([...(compiled.phoneKeys ?? [])]).toEqual(['+12015550188', '+12015550189']);
  });

  it("reads YAML's unquoted numbers as written, a plus sign included", () => {
    const dir = folder({ 'n.yaml': 'name: n\ndescription: d\nmatch:\n  phone: +442079460000\notp:\n  pin: 987654\n' });
    const { scenarios, errors } = loadScenarioDirs(dir, OPTIONS);
    expect(errors).toEqual([]);
    expect(scenarios[0]?.scenario.match?.phone).toBe('+442079460000');
    expect(scenarios[0]?.scenario.otp?.pin).toBe('987654');
  });

  it('refuses an unquoted leading zero, which YAML drops, and says to quote it, at its line', () => {
    const dir = folder({ 'z.yaml': 'name: z\ndescription: d\notp:\n  pin: 012345\n' });
    const { errors } = loadScenarioDirs(dir, OPTIONS);
    expect(errors).toEqual([
      expect.objectContaining({ message: "otp.pin 012345 loses its leading zero as a bare number: quote it, '012345'", line: 4, col: 8 }),
    ]);
    expect(errors[0]?.frame).toContain('> 4 |   pin: 012345');
    // Quoted, it is what was meant.
    const quoted = folder({ 'z.yaml': "name: z\ndescription: d\notp:\n  pin: '012345'\n" });
    expect(loadScenarioDirs(quoted, OPTIONS).scenarios[0]?.scenario.otp?.pin).toBe('012345');
  });

  it('leaves a response body alone: its numbers are sent as they are', () => {
    const compiled = reason({ name: 'b', description: 'd', gateway: { response: { status: 200, body: { phone: 5, pin: 1 } } } });
    if (typeof compiled === 'string') throw new Error(compiled);
    expect(compiled.scenario.gateway?.response?.body).toEqual({ phone: 5, pin: 1 });
  });
});

describe('codeFrame and positions', () => {
  it('points at the misspelt key, with the lines around it', () => {
    const dir = folder({ 'typo.yaml': 'name: typo\ndescription: d\nmatch:\n  phone: "2015550100"\n  refrence: abc\n' });
    const [error] = loadScenarioDirs(dir, OPTIONS).errors;
    expect(error).toMatchObject({
      line: 5,
      col: 3,
      message: "match: unknown field 'refrence'; did you mean 'reference'? (fields here: phone, user, reference, service, endpoint)",
    });
    expect(error?.frame).toBe(['  3 | match:', '  4 |   phone: "2015550100"', '> 5 |   refrence: abc', '    |   ^'].join('\n'));
  });

  it('codeFrame numbers the lines and puts the caret under the column', () => {
    expect(codeFrame('a\nbb\nccc', 2, 2, 1)).toBe(['  1 | a', '> 2 | bb', '    |  ^', '  3 | ccc'].join('\n'));
  });
});

describe('loadScenarioDirs', () => {
  it('loads several folders together; a name defined twice is an error naming both files', () => {
    const shipped = folder({ 'a.yaml': 'name: a\ndescription: first\n', 'b.yaml': 'name: b\ndescription: bee\n' });
    const mine = folder({ 'c.yaml': 'name: c\ndescription: sea\n', 'mine-a.yaml': 'name: a\ndescription: again\n' });
    const result = loadScenarioDirs([shipped, mine, shipped], OPTIONS);
    expect(result.scenarios.map((s) => s.scenario.name)).toEqual(['a', 'b', 'c']);
    expect(result.files).toBe(4);
    expect(result.errors).toEqual([
      {
        file: join(mine, 'mine-a.yaml'),
        message: `the name 'a' is defined twice: in ${join(shipped, 'a.yaml')} and in ${join(mine, 'mine-a.yaml')}; rename one`,
      },
    ]);
  });

  it('loads YAML, YML and JSON files in name order and ignores other files', () => {
    const dir = folder({
      'b.yaml': 'name: b\ndescription: bee\n',
      'a.json': '{"name":"a","description":"ay"}',
      'c.yml': 'name: c\ndescription: sea\n',
      'notes.txt': 'not a scenario',
    });
    const result = loadScenarioDirs(dir, OPTIONS);
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
    const { scenarios, errors } = loadScenarioDirs(dir, OPTIONS);
    expect(scenarios.map((s) => s.scenario.name)).toEqual(['good']);
    const byFile = Object.fromEntries(errors.map((e) => [e.file, e.message]));
    const lines = Object.fromEntries(errors.map((e) => [e.file, e.line]));
    expect(Object.keys(byFile).sort()).toEqual(
      ['bad.json', 'broken.yaml', 'empty.yaml', 'invalid.yaml', 'twin.yaml'].map((f) => join(dir, f)),
    );
    expect(byFile[join(dir, 'broken.yaml')]).toMatch(/flow sequence/i);
    expect(lines[join(dir, 'broken.yaml')]).toBeGreaterThanOrEqual(2);
    expect(byFile[join(dir, 'invalid.yaml')]).toBe('otp.ttlMs must be at least 0');
    expect(lines[join(dir, 'invalid.yaml')]).toBe(4);
    expect(byFile[join(dir, 'twin.yaml')]).toBe(
      `the name 'good' is defined twice: in ${join(dir, 'good.yaml')} and in ${join(dir, 'twin.yaml')}; rename one`,
    );
    expect(byFile[join(dir, 'empty.yaml')]).toContain('a scenario is a mapping of fields');
    expect(lines[join(dir, 'bad.json')]).toBe(1);
  });

  it('reports a folder that cannot be read', () => {
    const missing = join(tmpdir(), 'pm-no-such-folder-ever');
    const { scenarios, errors } = loadScenarioDirs(missing, OPTIONS);
    expect(scenarios).toEqual([]);
    expect(errors).toEqual([{ file: missing, message: expect.stringContaining('cannot read the scenario folder') }]);
  });
});

describe("the build's parsed copies of the shipped scenarios", () => {
  const copies = parsedScenarioTexts(SHIPPED_SCENARIOS);

  it('has one for every shipped file, and each compiles to what parsing the file gives', () => {
    const names = readdirSync(SHIPPED_SCENARIOS).filter((name) => /\.(ya?ml|json)$/.test(name));
    expect(Object.keys(copies)).toHaveLength(names.length);
    for (const name of names) {
      const file = join(SHIPPED_SCENARIOS, name);
      const text = readFileSync(file, 'utf8');
      expect(text in copies, name).toBe(true);
      const parsed = compileText(file, text, OPTIONS);
      expect(Array.isArray(parsed), name).toBe(false);
      const fromCopy = compileScenario(structuredClone(copies[text]), file, OPTIONS);
      expect(fromCopy, name).toEqual(parsed);
      // What the mock loads (from the build's copy once built): the same again.
      expect(loadScenarioFile(file, OPTIONS), name).toEqual(parsed);
    }
  });

  it('keeps a bare-number pin as the digits written, and leaves out what the trip through JSON would change', () => {
    const dir = folder({
      'a.yaml': 'name: a\ndescription: d\nmatch:\n  phone: +442079460000\notp:\n  pin: 987654\n',
      'b.yaml': 'name: b\ndescription: d\notp:\n  pin: 012345\n', // refused: a problem to report in place
      'c.yaml': 'name: c\ndescription: d\ngateway:\n  response:\n    status: 200\n    body: { big: .inf }\n',
      'd.yaml': 'name: [d\n', // does not parse
    });
    const made = parsedScenarioTexts(dir);
    expect(Object.values(made)).toEqual([{ name: 'a', description: 'd', match: { phone: '+442079460000' }, otp: { pin: '987654' } }]);
  });

  it('reads the copies a build wrote, and none from a file cut short or of another shape', () => {
    const dir = folder({
      'good.json': JSON.stringify({ 'name: a\n': { name: 'a' } }),
      'cut.json': '{"name: a\\n": {"na',
      'list.json': '[1, 2]',
    });
    expect(readParsedScenarioTexts(join(dir, 'good.json'))).toEqual(new Map([['name: a\n', { name: 'a' }]]));
    expect(readParsedScenarioTexts(join(dir, 'cut.json'))).toBeNull();
    expect(readParsedScenarioTexts(join(dir, 'list.json'))).toBeNull();
    expect(readParsedScenarioTexts(join(dir, 'missing.json'))).toBeNull();
  });

  it('a text the build did not see is parsed, and its problems still come with their line', () => {
    const dir = folder({ 'x.yaml': 'name: x\ndescription: d\nmtach:\n  phone: "1"\n' });
    const errors = loadScenarioFile(join(dir, 'x.yaml'), OPTIONS);
    expect(errors).toEqual([
      expect.objectContaining({ message: expect.stringContaining("unknown field 'mtach'; did you mean 'match'?"), line: 3, col: 1 }),
    ]);
  });
});
