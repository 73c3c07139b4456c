/**
 * Profiles the mock under load: starts `node --cpu-prof dist/cli.js` on one core, runs a workload
 * from bench/load.mjs on the other, stops the mock (SIGINT, so V8 writes the profile) and prints
 * the functions with the most self time (bench/profile-top.mjs).
 *
 *   node bench/profile.mjs [gateway|continue|flow] [seconds, default 8] [extra mock flags…]
 *
 * The profile is kept under bench/results/profiles/ (not committed).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const [workload = 'gateway', seconds = '8', ...mockFlags] = process.argv.slice(2);
const dir = join(ROOT, 'bench', 'results', 'profiles');
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const canPin = cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const pinned = (core, args) => (canPin ? ['taskset', ['-c', core, process.execPath, ...args]] : [process.execPath, args]);

const [cmd, args] = pinned('0', [
  '--cpu-prof',
  `--cpu-prof-dir=${dir}`,
  'dist/cli.js',
  '--port',
  '0',
  '--log-level',
  'silent',
  ...mockFlags,
]);
const mock = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
const url = await new Promise((resolve, reject) => {
  let out = '';
  mock.stdout.on('data', (chunk) => {
    out += chunk;
    const m = /listening on (http:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
  mock.once('exit', (code) => reject(new Error(`the mock exited (${code}) before listening`)));
});

const job = { url, workload, connections: 50, duration: Number(seconds), tokens: 60_000, warmup: 1 };
const [lcmd, largs] = pinned('1', ['bench/load.mjs', JSON.stringify(job)]);
const load = spawnSync(lcmd, largs, { cwd: ROOT, encoding: 'utf8' });
console.log(load.stdout.trim().split('\n').at(-1));

await new Promise((resolve) => {
  mock.once('exit', resolve);
  mock.kill('SIGINT');
});
const [file] = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
if (!file) throw new Error('no profile was written');
spawnSync(process.execPath, ['bench/profile-top.mjs', join(dir, file), '30'], { cwd: ROOT, stdio: 'inherit' });
console.log(`\nprofile: ${join('bench', 'results', 'profiles', file)} (open it in Chrome DevTools, Performance tab)`);
