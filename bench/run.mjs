/**
 * `npm run bench`: phonematch-mock against a bare Fastify baseline, on loopback, bounded in time.
 *
 * Side by side in one run: the baseline (bench/baseline-server.mjs, the documented PENDING sample
 * as static JSON), then the mock (node dist/cli.js) on the gateway, on continue and on the full
 * flow, with 1 and 50 connections; then a sustained run of 1,000,000 gateway requests, and the
 * cold start (spawn to first answer). The server runs on one core and autocannon
 * (bench/load.mjs) on the other when `taskset` is available; every figure is the median of
 * several repetitions, and the mock's figures are also shown as ratios to the baseline's.
 *
 * Writes bench/results/latest.json and latest.md (with --quick: quick.json and quick.md).
 *
 *   node bench/run.mjs [--quick] [--reps 3] [--duration 5] [--sustained 1000000] [--log-level info]
 *                      [--only gateway,continue,flow,sustained,cold] [--no-sustained] [--no-cold] [--out name]
 *                      [--mock-args="--max-transactions 20000 …"]
 *
 * --only runs just the parts named (the baseline comes with any of the three workloads); a run
 * with --only writes bench/results/partial.* unless --out says otherwise.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESULTS = join(ROOT, 'bench', 'results');

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    reps: { type: 'string' },
    duration: { type: 'string' },
    warmup: { type: 'string' },
    sustained: { type: 'string' },
    'sustained-cap': { type: 'string' },
    'cold-runs': { type: 'string' },
    only: { type: 'string' },
    'no-sustained': { type: 'boolean', default: false },
    'no-cold': { type: 'boolean', default: false },
    // The mock runs as users run it: at the CLI's default log level.
    'log-level': { type: 'string', default: 'info' },
    'mock-args': { type: 'string', default: '' },
    out: { type: 'string' },
  },
});
const quick = args.quick;
const REPS = Number(args.reps ?? (quick ? 1 : 3));
const DURATION = Number(args.duration ?? (quick ? 2 : 5));
const WARMUP = Number(args.warmup ?? (quick ? 1 : 2));
const SUSTAINED = Number(args.sustained ?? (quick ? 200_000 : 1_000_000));
const SUSTAINED_CAP = Number(args['sustained-cap'] ?? (quick ? 30 : 150));
const COLD_RUNS = Number(args['cold-runs'] ?? (quick ? 3 : 7));
const ONLY = args.only ? new Set(args.only.split(',')) : null;
const OUT = args.out ?? (quick ? 'quick' : ONLY ? 'partial' : 'latest');
const wanted = (part) => !ONLY || ONLY.has(part);
const CONNECTIONS = [1, 50];

const TARGETS = {
  gatewayShare: 0.5, // gateway requests/s at 50 connections, as a share of the baseline's
  p99Ms: 10, // p99 at 50 connections
  sustainedRequests: 1_000_000,
  sustainedDrift: 0.1, // last 10 s at least 90% of the first 10 s
  sustainedRssMb: 250,
  coldStartMs: 500,
};

// ---------------------------------------------------------------------------------------------
// Processes: pinning, spawning, peak RSS and CPU time from /proc

const canPin = cpus().length >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const SERVER_CORE = '0';
const LOAD_CORE = '1';

function pinned(core, command, commandArgs) {
  return canPin ? ['taskset', ['-c', core, command, ...commandArgs]] : [command, commandArgs];
}

function procStatus(pid, field) {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // USER_HZ is 100 on Linux
  } catch {
    return null;
  }
}

/** Resets VmHWM (the peak RSS) so the next reading covers only what follows. */
function resetPeak(pid) {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** Peak RSS: VmHWM after a reset when the kernel allows it, else the largest VmRSS seen by polling. */
function peakTracker(pid) {
  let polled = 0;
  const poll = () => {
    polled = Math.max(polled, procStatus(pid, 'VmRSS') ?? 0);
  };
  const timer = setInterval(poll, 100);
  let hwm = resetPeak(pid);
  return {
    restart() {
      polled = 0;
      hwm = resetPeak(pid);
      poll();
    },
    stop() {
      clearInterval(timer);
      poll();
      return hwm ? Math.max(procStatus(pid, 'VmHWM') ?? 0, polled) : polled;
    },
  };
}

// Every mock run gets these: the defaults but the log level (and whatever --mock-args adds).
const MOCK = ['dist/cli.js', '--port', '0', '--log-level', args['log-level'], ...args['mock-args'].split(/\s+/).filter(Boolean)];
// The continue workload spends tokens made before it is measured: more than the default cap of
// 20,000 transactions keeps, so that mock keeps more (the last flag wins).
const CONTINUE_CAP = 150_000;
const MOCK_CONTINUE = [...MOCK, '--max-transactions', String(CONTINUE_CAP)];
const BASELINE = ['bench/baseline-server.mjs', '0'];

/** Spawns a server pinned to its core and resolves once it printed the URL it listens on. */
function startServer(script) {
  const [command, commandArgs] = pinned(SERVER_CORE, process.execPath, script);
  const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server ${script[0]} did not start within 15 s:\n${out}`));
    }, 15_000);
    const onData = (chunk) => {
      out += chunk;
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout.off('data', onData);
        child.stdout.resume(); // keep draining whatever the server logs
        resolve({ child, url: m[1] });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => {
      out += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server ${script[0]} exited with ${code} before listening:\n${out}`));
    });
  });
}

function stopServer(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Runs one load job in its own pinned process; tracks the server's peak RSS and CPU over the measured part. */
function load(server, job) {
  const [command, commandArgs] = pinned(LOAD_CORE, process.execPath, ['bench/load.mjs', JSON.stringify({ url: server.url, ...job })]);
  const child = spawn(command, commandArgs, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const pid = server.child.pid;
  const peak = peakTracker(pid);
  let cpuStart = cpuSeconds(pid);
  let wallStart = performance.now();
  const limit = ((job.duration ?? 0) + (job.warmup ?? 0) + (job.maxSeconds ?? 0) + 120) * 1000;
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    let result = null;
    const timer = setTimeout(() => child.kill('SIGKILL'), limit);
    child.stdout.on('data', (chunk) => {
      out += chunk;
      let nl = out.indexOf('\n');
      while (nl >= 0) {
        const line = JSON.parse(out.slice(0, nl));
        out = out.slice(nl + 1);
        if (line.phase === 'measure') {
          peak.restart();
          cpuStart = cpuSeconds(pid);
          wallStart = performance.now();
        } else result = line;
        nl = out.indexOf('\n');
      }
    });
    child.stderr.on('data', (chunk) => {
      err += chunk;
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      const wall = (performance.now() - wallStart) / 1000;
      const cpu = (cpuSeconds(pid) ?? 0) - (cpuStart ?? 0);
      const rss = peak.stop();
      if (code !== 0 || !result) {
        reject(new Error(`load ${job.workload} failed (exit ${code}): ${err}`));
        return;
      }
      resolve({
        ...result,
        rssMb: Math.round((rss / 1048576) * 10) / 10,
        // Over the time the load ran (a fixed-amount run may idle a moment before it ends).
        cpu: Math.round(Math.min(1, cpu / (result.seconds || wall)) * 100) / 100,
        cpuUsPerRequest: result.requests > 0 ? Math.round((cpu * 1e6) / result.requests) : null,
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Measurements

const median = (values) => {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const WORKLOADS = [
  { name: 'baseline', label: 'baseline: bare Fastify, static PENDING sample', server: BASELINE, workload: 'gateway' },
  { name: 'gateway', label: 'mock: gateway', server: MOCK, workload: 'gateway' },
  {
    name: 'continue',
    label: `mock: continue (--max-transactions ${CONTINUE_CAP}, for its pre-made tokens)`,
    server: MOCK_CONTINUE,
    workload: 'continue',
  },
  { name: 'flow', label: 'mock: full flow (gateway, read code, continue)', server: MOCK, workload: 'flow' },
].filter((w, _, all) => wanted(w.name) || (w.name === 'baseline' && all.some((o) => o.name !== 'baseline' && wanted(o.name))));

const log = (text) => process.stderr.write(`${text}\n`);

async function throughputRuns() {
  const runs = []; // { workload, connections, rep, ...figures }
  for (let rep = 1; rep <= REPS; rep++) {
    // Interleaved (baseline, gateway, continue, flow, then again), so a noisy neighbour hits all alike.
    for (const w of WORKLOADS) {
      const server = await startServer(w.server);
      try {
        for (const [i, connections] of CONNECTIONS.entries()) {
          const job = { workload: w.workload, connections, duration: DURATION, warmup: i === 0 ? WARMUP : 0 };
          if (w.workload === 'continue') {
            // Enough fresh tokens for about DURATION seconds, from the gateway rate seen; under the continue mock's cap.
            const seen = runs.find((r) => r.workload === 'gateway' && r.connections === connections && r.rep === rep)?.rps;
            job.tokens = Math.max(2_000, Math.min(CONTINUE_CAP - 10_000, Math.round((seen ?? 15_000) * DURATION)));
          }
          const figures = await load(server, job);
          runs.push({ workload: w.name, connections, rep, ...figures, series: undefined });
          log(
            `  rep ${rep} ${w.name.padEnd(8)} c=${String(connections).padEnd(2)} ${String(figures.rps).padStart(6)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms  errors ${figures.errors}  RSS ${figures.rssMb} MB  CPU ${figures.cpu}`,
          );
        }
      } finally {
        await stopServer(server.child);
      }
    }
  }
  return runs;
}

function summarise(runs) {
  const rows = [];
  for (const w of WORKLOADS) {
    for (const connections of CONNECTIONS) {
      const mine = runs.filter((r) => r.workload === w.name && r.connections === connections);
      if (mine.length === 0) continue;
      rows.push({
        workload: w.name,
        label: w.label,
        connections,
        reps: mine.length,
        rps: median(mine.map((r) => r.rps)),
        p50: median(mine.map((r) => r.p50)),
        p99: median(mine.map((r) => r.p99)),
        errors: mine.reduce((sum, r) => sum + r.errors, 0),
        requests: mine.reduce((sum, r) => sum + r.requests, 0),
        rssMb: median(mine.map((r) => r.rssMb)),
        cpu: median(mine.map((r) => r.cpu)),
        cpuUsPerRequest: median(mine.map((r) => r.cpuUsPerRequest)),
      });
    }
  }
  for (const row of rows) {
    const base = rows.find((r) => r.workload === 'baseline' && r.connections === row.connections);
    const ratio = (a, b) => (a === null || !b ? null : Math.round((a / b) * 100) / 100);
    row.ratio = {
      rps: ratio(row.rps, base?.rps),
      p50: ratio(row.p50, base?.p50),
      p99: ratio(row.p99, base?.p99),
      rssMb: ratio(row.rssMb, base?.rssMb),
      cpuUsPerRequest: ratio(row.cpuUsPerRequest, base?.cpuUsPerRequest),
    };
  }
  return rows;
}

async function sustainedRun() {
  const server = await startServer(MOCK);
  try {
    const figures = await load(server, {
      workload: 'gateway',
      connections: 50,
      amount: SUSTAINED,
      maxSeconds: SUSTAINED_CAP,
      warmup: 1,
      perSecond: true,
    });
    const series = figures.series;
    const mean = (xs) => (xs.length ? Math.round(xs.reduce((a, b) => a + b, 0) / xs.length) : null);
    const window = Math.min(10, Math.floor(series.length / 2));
    const first = mean(series.slice(0, window));
    const last = mean(series.slice(series.length - window));
    return {
      ...figures,
      windowSeconds: window,
      first10: first,
      last10: last,
      lastOverFirst: first ? Math.round((last / first) * 1000) / 1000 : null,
    };
  } finally {
    await stopServer(server.child);
  }
}

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

const GATEWAY_BODY = JSON.stringify({
  user: 'user@company.com',
  pass: 'PASSWORD',
  service: 'PhoneMatch5.0.SMS',
  target: { phone: '2015106000' },
});

function tryGateway(port) {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/process/comprehensive/gateway',
        headers: { 'content-type': 'application/json' },
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      },
    );
    req.on('error', () => resolve(false));
    req.end(GATEWAY_BODY);
  });
}

/** Spawn to the first 200 from the gateway, in ms; the port is chosen up front so nothing waits for a log line. */
async function coldStart(script) {
  const port = await freePort();
  const withPort = script === MOCK ? [...MOCK.slice(0, 2), String(port), ...MOCK.slice(3)] : [BASELINE[0], String(port)];
  const [command, commandArgs] = pinned(SERVER_CORE, process.execPath, withPort);
  const started = performance.now();
  const child = spawn(command, commandArgs, { cwd: ROOT, stdio: 'ignore' });
  try {
    while (performance.now() - started < 10_000) {
      if (await tryGateway(port)) return Math.round(performance.now() - started);
      await new Promise((r) => setTimeout(r, 2));
    }
    return null;
  } finally {
    await stopServer(child);
  }
}

async function coldStarts() {
  const result = {};
  for (const [name, script] of [
    ['baseline', BASELINE],
    ['mock', MOCK],
  ]) {
    const times = [];
    for (let i = 0; i < COLD_RUNS; i++) times.push(await coldStart(script));
    result[name] = { runs: times, median: median(times) };
    log(`  cold start ${name}: ${times.join(', ')} ms (median ${result[name].median})`);
  }
  return result;
}

// ---------------------------------------------------------------------------------------------
// Report

function targets(rows, sustained, cold) {
  const at50 = (workload) => rows.find((r) => r.workload === workload && r.connections === 50);
  const list = [];
  const gw = at50('gateway');
  if (gw)
    list.push({
      target: `gateway throughput >= ${TARGETS.gatewayShare * 100}% of baseline (50 conn)`,
      value: `${gw.rps} req/s = ${Math.round(gw.ratio.rps * 100)}%`,
      pass: gw.ratio.rps !== null && gw.ratio.rps >= TARGETS.gatewayShare,
    });
  for (const name of ['gateway', 'continue', 'flow']) {
    const row = at50(name);
    if (row)
      list.push({
        target: `${name} p99 <= ${TARGETS.p99Ms} ms (50 conn)`,
        value: `${row.p99} ms`,
        pass: row.p99 !== null && row.p99 <= TARGETS.p99Ms,
      });
  }
  if (sustained) {
    list.push({
      target: `sustained: >= ${TARGETS.sustainedRequests.toLocaleString('en')} gateway requests (cap ${SUSTAINED_CAP} s)`,
      value: `${sustained.requests.toLocaleString('en')} in ${sustained.seconds} s, ${sustained.errors} errors`,
      pass: sustained.requests >= TARGETS.sustainedRequests && sustained.errors === 0,
    });
    list.push({
      target: `sustained: last ${sustained.windowSeconds} s within ${TARGETS.sustainedDrift * 100}% of first ${sustained.windowSeconds} s`,
      value: `${sustained.first10} -> ${sustained.last10} req/s (x${sustained.lastOverFirst})`,
      pass: sustained.lastOverFirst !== null && sustained.lastOverFirst >= 1 - TARGETS.sustainedDrift,
    });
    list.push({
      target: `sustained: peak RSS <= ${TARGETS.sustainedRssMb} MB`,
      value: `${sustained.rssMb} MB`,
      pass: sustained.rssMb <= TARGETS.sustainedRssMb,
    });
  }
  if (cold?.mock)
    list.push({
      target: `cold start to first answer <= ${TARGETS.coldStartMs} ms (median of ${cold.mock.runs.length})`,
      value: `${cold.mock.median} ms (baseline ${cold.baseline.median} ms)`,
      pass: cold.mock.median !== null && cold.mock.median <= TARGETS.coldStartMs,
    });
  return list;
}

const fmt = (v, digits = 0) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en', { maximumFractionDigits: digits }));
const x = (v) => (v === null || v === undefined ? '–' : `×${v.toFixed(2)}`);

function markdown(report) {
  const lines = [];
  lines.push(
    `Run ${report.at} on ${report.environment.cpu} (${report.environment.cores} cores), Node ${report.environment.node}; ` +
      `${report.environment.pinned ? 'server on core 0, autocannon on core 1 (taskset)' : 'not pinned'}; ` +
      `median of ${report.settings.reps} × ${report.settings.duration} s per cell (continue: a fixed number of fresh tokens), mock started with ` +
      `\`${report.settings.mockCommand}\`.`,
  );
  lines.push('');
  lines.push(
    '| workload | conn | req/s | vs base | p50 ms | vs base | p99 ms | vs base | errors | peak RSS MB | vs base | server CPU | CPU µs/req | vs base |',
  );
  lines.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const r of report.rows) {
    lines.push(
      `| ${r.workload} | ${r.connections} | ${fmt(r.rps)} | ${x(r.ratio.rps)} | ${fmt(r.p50, 2)} | ${x(r.ratio.p50)} | ${fmt(r.p99, 2)} | ${x(r.ratio.p99)} | ${r.errors} | ${fmt(r.rssMb, 1)} | ${x(r.ratio.rssMb)} | ${Math.round((r.cpu ?? 0) * 100)}% | ${fmt(r.cpuUsPerRequest)} | ${x(r.ratio.cpuUsPerRequest)} |`,
    );
  }
  lines.push('');
  lines.push('The flow counts each of its three requests; flows per second are a third of its req/s.');
  if (report.sustained) {
    const s = report.sustained;
    lines.push('');
    lines.push(
      `Sustained: ${fmt(s.requests)} gateway requests at 50 connections in ${s.seconds} s (${fmt(s.rps)} req/s), ${s.errors} errors; ` +
        `first ${s.windowSeconds} s ${fmt(s.first10)} req/s, last ${s.windowSeconds} s ${fmt(s.last10)} req/s; peak RSS ${fmt(s.rssMb, 1)} MB; p99 ${s.p99} ms.`,
    );
  }
  if (report.coldStart) {
    const c = report.coldStart;
    lines.push('');
    lines.push(
      `Cold start (spawn to first 200 from the gateway, median of ${c.mock.runs.length}): mock ${c.mock.median} ms, baseline ${c.baseline.median} ms.`,
    );
  }
  lines.push('');
  lines.push('| target | measured | |');
  lines.push('|---|---|---|');
  for (const t of report.targets) lines.push(`| ${t.target} | ${t.value} | ${t.pass ? 'pass' : '**miss**'} |`);
  return `${lines.join('\n')}\n`;
}

function table(report) {
  const head = [
    'workload',
    'conn',
    'req/s',
    'vs base',
    'p50 ms',
    'vs base',
    'p99 ms',
    'vs base',
    'errors',
    'RSS MB',
    'vs base',
    'CPU',
    'µs/req',
    'vs base',
  ];
  const body = report.rows.map((r) => [
    r.workload,
    String(r.connections),
    fmt(r.rps),
    x(r.ratio.rps),
    fmt(r.p50, 2),
    x(r.ratio.p50),
    fmt(r.p99, 2),
    x(r.ratio.p99),
    String(r.errors),
    fmt(r.rssMb, 1),
    x(r.ratio.rssMb),
    `${Math.round((r.cpu ?? 0) * 100)}%`,
    fmt(r.cpuUsPerRequest),
    x(r.ratio.cpuUsPerRequest),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

async function main() {
  const started = Date.now();
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run npm run build (npm run bench does)');
  const environment = {
    cpu: cpus()[0]?.model.trim() ?? 'unknown CPU',
    cores: cpus().length,
    node: process.versions.node,
    pinned: canPin,
    commit: spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim() || null,
  };
  const settings = {
    reps: REPS,
    duration: DURATION,
    warmup: WARMUP,
    connections: CONNECTIONS,
    sustainedRequests: SUSTAINED,
    sustainedCapSeconds: SUSTAINED_CAP,
    coldRuns: COLD_RUNS,
    mockCommand: `node ${MOCK.join(' ')}`,
  };
  log(`phonematch-mock bench: ${REPS} rep(s) × ${DURATION} s, ${canPin ? 'pinned (server core 0, load core 1)' : 'not pinned'}`);
  const runs = await throughputRuns();
  const rows = summarise(runs);
  let sustained = null;
  if (!args['no-sustained'] && wanted('sustained')) {
    log(`  sustained: ${SUSTAINED.toLocaleString('en')} gateway requests, cap ${SUSTAINED_CAP} s…`);
    sustained = await sustainedRun();
    log(
      `  sustained: ${sustained.requests} requests in ${sustained.seconds} s, first ${sustained.first10} / last ${sustained.last10} req/s, RSS ${sustained.rssMb} MB`,
    );
  }
  const coldStart = args['no-cold'] || !wanted('cold') ? null : await coldStarts();
  const report = {
    at: new Date().toISOString(),
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
    environment,
    settings,
    targets: [],
    rows,
    sustained,
    coldStart,
    runs,
  };
  report.targets = targets(rows, sustained, coldStart);
  writeFileSync(join(RESULTS, `${OUT}.json`), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(RESULTS, `${OUT}.md`), markdown(report));
  console.log(`\n${table(report)}\n`);
  if (sustained)
    console.log(
      markdown({ ...report, rows: [], targets: [] })
        .split('\n')
        .filter((l) => l.startsWith('Sustained'))
        .join('\n'),
    );
  if (coldStart)
    console.log(`Cold start: mock ${coldStart.mock.median} ms, baseline ${coldStart.baseline.median} ms (median of ${COLD_RUNS})`);
  console.log('\nTargets:');
  for (const t of report.targets) console.log(`  [${t.pass ? 'pass' : 'MISS'}] ${t.target}: ${t.value}`);
  console.log(`\nWritten: bench/results/${OUT}.json, bench/results/${OUT}.md (${report.elapsedSeconds} s)`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
