/**
 * The README's tour works as written: its curl flow, pasted into a shell against a running mock,
 * prints what the README says it prints. (Its tables are checked in test/scenarios/readme.test.ts.)
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type RunningMock, startMock } from '../src/index.js';
import { assertAvailable, CURL_JQ, describeWith } from './helpers/system.js';

const run = promisify(execFile);
const README = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');

function block(name: string): string {
  const found = new RegExp(`<!-- ${name}:start -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\n<!-- ${name}:end -->`).exec(README)?.[1];
  if (!found) throw new Error(`README.md has no sh block between the ${name} markers`);
  return found;
}

describeWith(CURL_JQ, "the README's curl flow", {}, () => {
  let mock: RunningMock;
  beforeAll(async () => {
    assertAvailable(CURL_JQ);
    mock = await startMock({ noWatch: true, logLevel: 'silent' }); // the shipped scenarios, as npm start
  });
  afterAll(() => mock.close());

  it('pastes as is and prints what it promises', async () => {
    const script = block('tour:curl');
    expect(script).toContain('127.0.0.1:8080');
    const { stdout } = await run('bash', ['-euo', 'pipefail', '-c', script.replaceAll('127.0.0.1:8080', mock.url.replace('http://', ''))], {
      timeout: 30_000,
    });
    const promised = [...script.matchAll(/^#\s+→ (.*)$/gm)].map((m) => m[1]);
    expect(promised).toHaveLength(2);
    expect(stdout.trim().split('\n')).toEqual(promised);
  });
});
