/**
 * Reads a V8 .cpuprofile (node --cpu-prof) and prints the functions with the most self time, and
 * the same time grouped by package or source folder.
 *
 *   node bench/profile-top.mjs <file.cpuprofile> [how many, default 25]
 */
import { readFileSync } from 'node:fs';

const [file, howMany = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-top.mjs <file.cpuprofile> [n]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map();
// Each sample is one tick spent in that node's function; the time deltas give the tick lengths.
profile.samples.forEach((id, i) => {
  self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
});
const total = [...self.values()].reduce((a, b) => a + b, 0);

const where = (frame) => {
  const url = frame.url.replace(/^file:\/\//, '');
  const short = url.replace(/.*node_modules\//, '').replace(/.*\/(dist|src)\//, '$1/');
  return url ? `${short}:${frame.lineNumber + 1}` : '(native)';
};
const group = (frame) => {
  const url = frame.url;
  if (!url) return frame.functionName.startsWith('(') ? frame.functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  const own = /\/dist\/(.*)\/[^/]+$|\/dist\/[^/]+$/.exec(url);
  if (own) return `dist/${own[1] ?? ''}`;
  return url.startsWith('node:') ? 'node core' : url;
};

const functions = new Map();
const groups = new Map();
for (const [id, time] of self) {
  const frame = byId.get(id).callFrame;
  const key = `${frame.functionName || '(anonymous)'}  ${where(frame)}`;
  functions.set(key, (functions.get(key) ?? 0) + time);
  const g = group(frame);
  groups.set(g, (groups.get(g) ?? 0) + time);
}
const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)}%`;
console.log(`self time, ${(total / 1e6).toFixed(1)} s sampled\n`);
for (const [key, time] of [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(howMany))) console.log(`${pct(time)}  ${key}`);
console.log('\nby package / folder:');
for (const [key, time] of [...groups].sort((a, b) => b[1] - a[1]).slice(0, 20)) console.log(`${pct(time)}  ${key}`);
