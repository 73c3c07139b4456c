/**
 * The package as a user gets it: `npm pack`, installed with npm into a project of its own, its
 * command and its API used from there, with no TypeScript installed. Packs the `dist/` that
 * `npm test` has just built (`pretest`).
 *
 * Nothing here may depend on the npm cache or the network: a fresh machine has an empty cache
 * (`npm install --offline` then stops with ENOTCACHED), and a registry's timing is not ours to
 * test. So the project starts with the package's production dependencies copied from this
 * repository's own `node_modules` (the ones the package-lock marks as not dev), and npm installs
 * the tarball offline, with an empty cache of its own and an unreachable registry: npm still
 * checks every declared dependency against what is there, and a dependency missing from
 * `dependencies` fails the install rather than being fetched.
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const { version } = (await import('../package.json', { with: { type: 'json' } })).default;

// A nested npm inherits npm_* variables from `npm test` (npm_config_local_prefix among them):
// the install must see none of them, or it could write into this repository.
const cleanEnv = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key)));

/**
 * Copies the production dependencies installed here into `app/node_modules`, with their
 * `.bin` links (npm counts a package whose bin link is missing as changed, and would fetch it).
 */
function seedProductionDependencies(app: string): void {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean; devOptional?: boolean }>;
  };
  // Top-level folders only: a nested node_modules comes along with its parent.
  const tops = Object.entries(lock.packages)
    .filter(([path, entry]) => /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path) && !entry.dev && !entry.devOptional)
    .map(([path]) => path)
    // An optional dependency of another platform is in the lock but not installed.
    .filter((path) => existsSync(join(ROOT, path)));
  if (tops.length === 0) throw new Error('no production dependency is installed: run npm ci first');
  for (const path of tops) cpSync(join(ROOT, path), join(app, path), { recursive: true, verbatimSymlinks: true });
  const bins = join(ROOT, 'node_modules', '.bin');
  mkdirSync(join(app, 'node_modules', '.bin'), { recursive: true });
  for (const name of existsSync(bins) ? readdirSync(bins) : []) {
    const target = readlinkSync(join(bins, name)); // e.g. ../yaml/bin.mjs
    const top = /^\.\.\/((?:@[^/]+\/)?[^/]+)\//.exec(target)?.[1];
    if (top && tops.includes(`node_modules/${top}`)) symlinkSync(target, join(app, 'node_modules', '.bin', name));
  }
}

interface PackResult {
  filename: string;
  files: { path: string }[];
}

describe('the packed package, installed into an empty project', () => {
  let dir: string;
  let app: string;
  let pack: PackResult;
  let server: ChildProcessWithoutNullStreams | undefined;
  let isolated: NodeJS.ProcessEnv;

  beforeAll(async () => {
    for (const built of ['dist/cli.js', 'dist/index.d.ts', 'dist/start.js', 'dist/ui/index.html', 'dist/ui/inbox.js']) {
      if (!existsSync(join(ROOT, built))) throw new Error(`${built} is missing: run npm run build first (npm test does)`);
    }
    dir = mkdtempSync(join(tmpdir(), 'phonematch-pack-'));
    // --ignore-scripts: pack the fresh dist as is, without a concurrent rebuild under other tests.
    const packed = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
      cwd: ROOT,
      env: cleanEnv,
      timeout: 60_000,
    });
    pack = (JSON.parse(packed.stdout) as PackResult[])[0] as PackResult;
    app = join(dir, 'app');
    mkdirSync(app);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
    seedProductionDependencies(app);
    isolated = {
      ...cleanEnv,
      npm_config_cache: join(dir, 'npm-cache'), // empty, as on a fresh machine
      npm_config_registry: 'http://127.0.0.1:9/', // nothing listens there: no network use can pass unnoticed
    };
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--loglevel=error', join(dir, pack.filename)], {
      cwd: app,
      env: isolated,
      timeout: 120_000,
    });
  }, 200_000);

  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('holds compiled JavaScript, type declarations, the documents, scenarios, pacts and the inbox, and no TypeScript source', () => {
    const files = pack.files.map((f) => f.path);
    for (const wanted of [
      'package.json',
      'README.md',
      'docs/README.md', // the README's links to the reference
      'openapi.yaml',
      'admin-openapi.yaml',
      'schema/scenario.schema.json',
      'dist/cli.js',
      'dist/index.js',
      'dist/index.d.ts',
      'dist/start.js',
      'dist/start.d.ts',
      'dist/ui/index.html',
      'dist/ui/inbox.js',
      'dist/ui/inbox.css',
    ]) {
      expect(files, wanted).toContain(wanted);
    }
    for (const scenario of readdirSync(join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml'))) {
      expect(files).toContain(`scenarios/${scenario}`);
    }
    const pacts = existsSync(join(ROOT, 'pacts')) ? readdirSync(join(ROOT, 'pacts')).filter((f) => f.endsWith('.json')) : [];
    for (const pact of pacts) expect(files).toContain(`pacts/${pact}`);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /^(src|test|examples|scripts|bench)\//.test(f))).toEqual([]);
  });

  it('installs without TypeScript and prints its version through npx', async () => {
    expect(existsSync(join(app, 'node_modules', 'typescript'))).toBe(false);
    const { stdout } = await run('npx', ['--no', '--', 'phonematch-mock', '--version'], { cwd: app, env: isolated, timeout: 30_000 });
    expect(stdout.trim()).toBe(version);
  });

  it('starts on a free port with its banner, runs a whole flow, serves the inbox and docs, and stops on SIGTERM', async () => {
    server = spawn(join(app, 'node_modules', '.bin', 'phonematch-mock'), ['--port', '0', '--no-watch', '--log-level', 'warn'], {
      cwd: app,
      env: cleanEnv,
    });
    const child = server;
    let output = '';
    const banner = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no banner within 15 s:\n${output}`)), 15_000);
      child.stdout.setEncoding('utf8');
      child.stderr.setEncoding('utf8');
      const onData = (chunk: string) => {
        output += chunk;
        // The banner is printed in one write; the magic numbers come last.
        if (/magic numbers:[\s\S]*\n\s+\S/.test(output)) {
          clearTimeout(timer);
          resolve(output);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', (chunk: string) => {
        output += chunk;
      });
      child.stdout.on('data', (chunk: string) => {
        if (!output.endsWith(chunk)) output += chunk;
      });
      child.once('exit', (code) => reject(new Error(`exited with ${code} before its banner:\n${output}`)));
    });
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1];
    expect(url, banner).toBeDefined();
    expect(banner).toContain(`${url}/__admin/ui`);
    expect(banner).toContain(`${url}/docs`);
    expect(banner).toMatch(/scenarios loaded/);
    expect(banner).toMatch(/2015550100\s+happy-path/);
    expect(banner).toMatch(/2015550102\s+voip/);

    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return (await res.json()) as Record<string, any>;
    };
    const sent = await post('/process/comprehensive/gateway', {
      user: 'user@company.com',
      pass: 'PASSWORD',
      service: 'PhoneMatch5.0.SMS',
      target: { phone: '2015106000' },
    });
    expect(sent.result.action).toBe('PENDING');
    const messages = (await (await fetch(`${url}/__admin/messages?phone=2015106000`)).json()) as { messages: { pin: string }[] };
    const pin = messages.messages[0]?.pin;
    expect(pin).toMatch(/^\d{6}$/);
    const passed = await post('/process/continue', { token: sent.continuations.outofband.template.token, codematch: { key: pin } });
    expect(passed.result).toEqual({ action: 'PASS', detail: 'ALL CHECKS PASSED', issues: [] });

    for (const asset of ['/__admin/ui', '/__admin/ui/inbox.js', '/docs', '/docs/static/swagger-ui-bundle.js']) {
      const res = await fetch(`${url}${asset}`);
      expect(res.status, asset).toBe(200);
      await res.arrayBuffer(); // an unread body keeps its connection busy, and the close waiting
    }

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited, output).toBe(0);
  }, 60_000);

  it('offers startMock to a test runner from the installed package', async () => {
    const script = [
      "import { startMock } from 'phonematch-mock';",
      "const mock = await startMock({ port: 0, logLevel: 'silent' });",
      'const body = JSON.stringify({ user: "u", pass: "p", service: "PhoneMatch5.0.SMS", target: { phone: "2015550100" } });',
      "await fetch(mock.url + '/process/comprehensive/gateway', { method: 'POST', headers: { 'content-type': 'application/json' }, body });",
      "console.log(await mock.messages.waitForCode('2015550100', { timeoutMs: 2000 }));",
      'await mock.close();',
    ].join('\n');
    const { stdout } = await run('node', ['--input-type=module', '-e', script], { cwd: app, env: cleanEnv, timeout: 30_000 });
    expect(stdout.trim()).toBe('123456');
  });
});
