// @ts-nocheck — plain Node scripts; the shapes are documented where they are made.
/**
 * `npm run bench`: phonematch-mock against a bare Fastify baseline, on loopback, bounded in time.
 *
 * Side by side in one run, interleaved so a noisy neighbour hits all alike: the baseline (bare
 * Fastify answering, as static bytes, exactly what the mock answers to the documented request, so
 * both send the same body size), then the mock (node dist/cli.js, at the CLI's default log level)
 * on the documented SMS request, the lightest request, the continue, the full flow, one documented
 * request of each other service, and a run with 10,000 distinct numbers, 1,000 namespaces and 100
 * more scenario files; then a sustained run of 1,000,000 documented gateway requests, and the cold
 * start. The server runs on one core and autocannon (bench/load.mjs) on the other when `taskset`
 * is there; every figure is the median of several repetitions, shown also as a ratio to the
 * baseline's.
 *
 * Writes bench/results/latest.json and latest.md (with --quick: quick.json and quick.md).
 *
 *   node bench/run.mjs [--quick] [--reps 3] [--duration 5] [--sustained 1000000] [--log-level info]
 *                      [--only gateway,light,replaced,continue,flow,services,scale,sustained,cold] [--out name]
 *                      [--mock-args="--max-transactions 20000 …"]
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { canPin, freePort, load, pinned, ROOT, SERVER_CORE, startServer, stopServer } from './lib/procs.mjs';
import { markdown, table, targets } from './lib/report.mjs';
import { DIALER_SERVICE, LIGHT, requestOf, SERVICE_SAMPLES, SMS } from './lib/samples.mjs';

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

/** The scale run: this many distinct numbers, namespaces and extra scenario files. */
const SCALE = { phones: 10_000, namespaces: 1_000, scenarios: 100 };

// Every mock run gets these: the defaults but the log level (and whatever --mock-args adds).
const MOCK = ['dist/cli.js', '--port', '0', '--log-level', args['log-level'], ...args['mock-args'].split(/\s+/).filter(Boolean)];
// The continue workloads spend tokens made before they are measured: more than the default cap of
// 20,000 transactions keeps, so that mock keeps more (the last flag wins).
const CONTINUE_CAP = 150_000;
const MOCK_CONTINUE = [...MOCK, '--max-transactions', String(CONTINUE_CAP)];

const log = (text) => process.stderr.write(`${text}\n`);

const median = (values) => {
  const sorted = values.filter((v) => v !== null && v !== undefined).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

/** 100 scenario files that match numbers outside the scale run's range: selection must stay O(1). */
function scaleScenarios() {
  const dir = mkdtempSync(join(tmpdir(), 'phonematch-bench-scenarios-'));
  for (let i = 0; i < SCALE.scenarios; i++) {
    const phones = [0, 1, 2].map((k) => `2016${String(i * 3 + k).padStart(6, '0')}`);
    writeFileSync(
      join(dir, `bench-${i}.yaml`),
      `name: bench-${i}\ndescription: Bench scenario ${i}.\nmatch:\n  phone: [${phones.map((p) => `"${p}"`).join(', ')}]\nnumber:\n  lineType: landline\n`,
    );
  }
  return dir;
}

/** What the mock answers to the documented request: the baseline sends the same bytes. */
async function documentedAnswer() {
  const server = await startServer(MOCK);
  try {
    return await new Promise((resolve, reject) => {
      const url = new URL('/process/comprehensive/gateway', server.url);
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(JSON.stringify(SMS));
    });
  } finally {
    await stopServer(server.child);
  }
}

/** The workloads of this run, in the order they are interleaved; `skipped` says what could not run. */
/**
 * A scenario folder with one file: the documented request's number answered, at the transport,
 * with the documented answer itself (a scenario's `gateway.response`). The mock then does
 * everything but the service's own work (parse, validation, credentials, scenario selection,
 * journal, answer): the `replaced` row, the ceiling of the HTTP layer on its own.
 */
function replacedScenario(answerFile) {
  const dir = mkdtempSync(join(tmpdir(), 'phonematch-bench-replaced-'));
  const scenario = {
    name: 'bench-replaced',
    description: 'The documented answer, sent as it is: the bench measures the HTTP layer alone.',
    match: { phone: [SMS.target.phone] },
    gateway: { response: { status: 200, body: JSON.parse(readFileSync(answerFile, 'utf8')) } },
  };
  // JSON is YAML: the loader reads it as it is.
  writeFileSync(join(dir, 'bench-replaced.yaml'), JSON.stringify(scenario, null, 2));
  return dir;
}

function plan(scenarioDir, answerFile, replacedDir) {
  const baseline = ['bench/baseline-server.mjs', '0', answerFile];
  const list = [
    {
      name: 'baseline',
      label: 'baseline: bare Fastify, the same answer as static bytes',
      server: baseline,
      job: { workload: 'gateway' },
      connections: [1, 50],
    },
    {
      name: 'gateway',
      label: 'mock: gateway, the documented SMS request',
      server: MOCK,
      job: { workload: 'gateway' },
      connections: [1, 50],
      part: 'gateway',
    },
    {
      name: 'light',
      label: 'mock: gateway, the lightest request',
      server: MOCK,
      job: { workload: 'gateway', body: LIGHT },
      connections: [50],
      part: 'light',
    },
    {
      name: 'replaced',
      label: "mock: gateway, the documented request answered by a scenario's `response` (the HTTP layer alone)",
      server: [...MOCK, '--scenarios', replacedDir],
      job: { workload: 'gateway' },
      connections: [50],
      part: 'replaced',
    },
    {
      name: 'continue',
      label: 'mock: continue (code entry)',
      server: MOCK_CONTINUE,
      job: { workload: 'continue' },
      connections: [1, 50],
      part: 'continue',
    },
    {
      name: 'flow',
      label: 'mock: full flow (gateway, read code, continue)',
      server: MOCK,
      job: { workload: 'flow' },
      connections: [1, 50],
      part: 'flow',
    },
  ];
  const skipped = [];
  for (const sample of SERVICE_SAMPLES) {
    const body = requestOf(sample.service);
    if (body)
      list.push({
        name: sample.name,
        label: `mock: ${sample.label}`,
        server: MOCK,
        job: { workload: 'gateway', body },
        connections: [50],
        part: 'services',
      });
    else skipped.push(`${sample.service} (no documented request in openapi.yaml)`);
  }
  const dialer = requestOf(DIALER_SERVICE);
  if (dialer)
    list.push({
      name: 'dialer',
      label: 'mock: Dialer status request',
      server: MOCK_CONTINUE,
      job: { workload: 'continue', shape: 'dialer', tokenBody: dialer },
      connections: [50],
      part: 'services',
    });
  else skipped.push(`${DIALER_SERVICE} (no documented request in openapi.yaml)`);
  // The scale run's reference: the same generator path (a body swapped on every send), one number, one namespace.
  list.push({
    name: 'single',
    label: "mock: gateway, one number and one namespace (the scale run's reference)",
    server: MOCK,
    job: { workload: 'gateway', phones: 1, namespaces: 1 },
    connections: [50],
    part: 'scale',
  });
  list.push({
    name: 'scale',
    label: `mock: gateway, ${SCALE.phones.toLocaleString('en')} numbers, ${SCALE.namespaces.toLocaleString('en')} namespaces, ${SCALE.scenarios} more scenario files`,
    server: [...MOCK, '--scenarios', scenarioDir],
    job: { workload: 'gateway', phones: SCALE.phones, namespaces: SCALE.namespaces },
    connections: [50],
    part: 'scale',
  });
  const chosen = list.filter((w) => (w.part ? wanted(w.part) : list.some((o) => o.part && wanted(o.part))));
  return { workloads: chosen, skipped };
}

async function throughputRuns(workloads) {
  const runs = [];
  for (let rep = 1; rep <= REPS; rep++) {
    for (const w of workloads) {
      const server = await startServer(w.server);
      try {
        for (const [i, connections] of w.connections.entries()) {
          const job = { ...w.job, connections, duration: DURATION, warmup: i === 0 ? WARMUP : 0 };
          if (job.workload === 'continue') {
            // Enough fresh tokens for about DURATION seconds, from the gateway rate seen; under the continue mock's cap.
            const seen = runs.find((r) => r.workload === 'gateway' && r.connections === connections && r.rep === rep)?.rps;
            job.tokens = Math.max(2_000, Math.min(CONTINUE_CAP - 10_000, Math.round((seen ?? 15_000) * DURATION)));
          }
          const figures = await load(server, job);
          runs.push({ workload: w.name, connections, rep, ...figures, series: undefined });
          log(
            `  rep ${rep} ${w.name.padEnd(12)} c=${String(connections).padEnd(2)} ${String(figures.rps).padStart(6)} req/s  p50 ${figures.p50} ms  p99 ${figures.p99} ms  errors ${figures.errors}  RSS ${figures.rssMb} MB  CPU ${figures.cpu}`,
          );
        }
      } finally {
        await stopServer(server.child);
      }
    }
  }
  return runs;
}

function summarise(runs, workloads) {
  const rows = [];
  for (const w of workloads) {
    for (const connections of w.connections) {
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

/** Spawn to the first 200 from the gateway, in ms; the port is chosen up front so nothing waits for a log line. */
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
    req.end(JSON.stringify(SMS));
  });
}

/** Spawn to the first 200 from the gateway, in ms; the port is chosen up front so nothing waits for a log line. */
async function coldStart(script) {
  const port = await freePort();
  // Both scripts take the port as their second word.
  const withPort = [
    script[0],
    script[1] === '--port' ? '--port' : String(port),
    ...(script[1] === '--port' ? [String(port), ...script.slice(3)] : script.slice(2)),
  ];
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

async function coldStarts(baseline) {
  const result = {};
  for (const [name, script] of [
    ['baseline', baseline],
    ['mock', MOCK],
  ]) {
    const times = [];
    for (let i = 0; i < COLD_RUNS; i++) times.push(await coldStart(script));
    result[name] = { runs: times, median: median(times) };
    log(`  cold start ${name}: ${times.join(', ')} ms (median ${result[name].median})`);
  }
  return result;
}

async function main() {
  const started = Date.now();
  if (!existsSync(join(ROOT, 'dist', 'cli.js'))) throw new Error('dist/cli.js is missing: run npm run build (npm run bench does)');
  mkdirSync(RESULTS, { recursive: true });
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
    sustainedRequests: SUSTAINED,
    sustainedCapSeconds: SUSTAINED_CAP,
    coldRuns: COLD_RUNS,
    mockCommand: `node ${MOCK.join(' ')}`,
    documentedRequest: SMS,
  };
  log(`phonematch-mock bench: ${REPS} rep(s) × ${DURATION} s, ${canPin ? 'pinned (server core 0, load core 1)' : 'not pinned'}`);
  const scenarioDir = scaleScenarios();
  const answerFile = join(scenarioDir, '..', `phonematch-bench-answer-${process.pid}.json`);
  let replacedDir = null;
  try {
    writeFileSync(answerFile, await documentedAnswer());
    replacedDir = replacedScenario(answerFile);
    const { workloads, skipped } = plan(scenarioDir, answerFile, replacedDir);
    for (const s of skipped) log(`  skipped: ${s}`);
    const runs = await throughputRuns(workloads);
    const rows = summarise(runs, workloads);
    let sustained = null;
    if (wanted('sustained')) {
      log(`  sustained: ${SUSTAINED.toLocaleString('en')} documented gateway requests, cap ${SUSTAINED_CAP} s…`);
      sustained = await sustainedRun();
      log(
        `  sustained: ${sustained.requests} requests in ${sustained.seconds} s, first ${sustained.first10} / last ${sustained.last10} req/s, RSS ${sustained.rssMb} MB`,
      );
    }
    const coldStart = wanted('cold') ? await coldStarts(['bench/baseline-server.mjs', '0', answerFile]) : null;
    const report = {
      at: new Date().toISOString(),
      elapsedSeconds: Math.round((Date.now() - started) / 1000),
      environment,
      settings,
      targets: targets(rows, sustained, coldStart, SUSTAINED_CAP),
      rows,
      sustained,
      coldStart,
      notes: skipped.map((s) => `Not measured: ${s}.`),
      runs,
    };
    writeFileSync(join(RESULTS, `${OUT}.json`), `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(join(RESULTS, `${OUT}.md`), markdown(report));
    console.log(`\n${table(report)}\n`);
    if (coldStart)
      console.log(`Cold start: mock ${coldStart.mock.median} ms, bare Fastify ${coldStart.baseline.median} ms (median of ${COLD_RUNS})`);
    console.log('\nTargets:');
    for (const t of report.targets) console.log(`  [${t.pass ? 'pass' : 'MISS'}] ${t.target}: ${t.value}`);
    console.log(`\nWritten: bench/results/${OUT}.json, bench/results/${OUT}.md (${report.elapsedSeconds} s)`);
  } finally {
    rmSync(scenarioDir, { recursive: true, force: true });
    if (replacedDir) rmSync(replacedDir, { recursive: true, force: true });
    rmSync(answerFile, { force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
