// @ts-nocheck — plain Node scripts; the report's shape is made in run.mjs.
/**
 * The bench's report: the targets with pass or miss, a Markdown page and a terminal table.
 */

/** What `npm run bench` holds the mock to (issue "Performance on the documented request"). */
export const TARGETS = {
  gatewayShare: 0.6, // gateway req/s on the documented request at 50 connections, as a share of the baseline's
  p99Ms: 10, // p99 at 50 connections
  sustainedRequests: 1_000_000,
  sustainedDrift: 0.1, // last 10 s at least 90% of the first 10 s
  sustainedRssMb: 250,
  scaleShare: 0.9, // 10,000 numbers, 1,000 namespaces, 100 more scenario files: share of the single-number run
  // This project's own: spawn to the first answer at most 2.5 times bare Fastify's, measured in the
  // same run. Until 2026-12-05 it was 500 ms, a figure that the machine's neighbours alone moved
  // from a pass to a miss (bare Fastify itself took 202 to 232 ms from one run to the next). The
  // mock loads about twice the code of bare Fastify (libphonenumber-js and its metadata, pino, the
  // spec's validators, the shipped scenarios): ×2.2–2.3 measured; ×2.5 keeps a slower start of 60
  // ms in sight.
  coldStartRatio: 2.5,
};

/** The targets, each with the measured value and pass or miss. */
export function targets(rows, sustained, cold, cap) {
  const at50 = (workload) => rows.find((r) => r.workload === workload && r.connections === 50);
  const list = [];
  const gw = at50('gateway');
  if (gw)
    list.push({
      target: `gateway (documented request) >= ${TARGETS.gatewayShare}x the baseline (50 conn)`,
      value: `${Math.round(gw.rps).toLocaleString('en')} req/s = x${gw.ratio.rps}`,
      pass: gw.ratio.rps !== null && gw.ratio.rps >= TARGETS.gatewayShare,
    });
  for (const row of rows.filter((r) => r.connections === 50 && r.workload !== 'baseline')) {
    list.push({
      target: `${row.workload} p99 <= ${TARGETS.p99Ms} ms (50 conn)`,
      value: `${row.p99 === null ? '-' : Math.round(row.p99 * 100) / 100} ms`,
      pass: row.p99 !== null && row.p99 <= TARGETS.p99Ms,
    });
  }
  const scale = at50('scale');
  const single = at50('single');
  if (scale && single)
    list.push({
      target: `10,000 numbers, 1,000 namespaces, 100 more scenario files >= ${TARGETS.scaleShare}x the single-number run`,
      value: `${Math.round(scale.rps).toLocaleString('en')} vs ${Math.round(single.rps).toLocaleString('en')} req/s = x${Math.round((scale.rps / single.rps) * 100) / 100}`,
      pass: scale.rps / single.rps >= TARGETS.scaleShare,
    });
  if (sustained) {
    list.push({
      target: `sustained: >= ${TARGETS.sustainedRequests.toLocaleString('en')} documented gateway requests (cap ${cap} s)`,
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
  if (cold?.mock) {
    const ratio = cold.mock.median !== null && cold.baseline.median ? cold.mock.median / cold.baseline.median : null;
    list.push({
      target: `cold start to first answer <= ${TARGETS.coldStartRatio}x bare Fastify's (median of ${cold.mock.runs.length})`,
      value: `${cold.mock.median} ms against ${cold.baseline.median} ms = x${ratio === null ? '-' : ratio.toFixed(2)}`,
      pass: ratio !== null && ratio <= TARGETS.coldStartRatio,
    });
  }
  return list;
}

const fmt = (v, digits = 0) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en', { maximumFractionDigits: digits }));
const x = (v) => (v === null || v === undefined ? '–' : `×${v.toFixed(2)}`);

export function markdown(report) {
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
  for (const note of report.notes ?? []) lines.push(`\n${note}`);
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
      `Cold start (spawn to first 200 from the gateway, median of ${c.mock.runs.length}): mock ${c.mock.median} ms, bare Fastify ${c.baseline.median} ms (${x(c.mock.median / c.baseline.median)}).`,
    );
  }
  lines.push('');
  lines.push('| target | measured | |');
  lines.push('|---|---|---|');
  for (const t of report.targets) lines.push(`| ${t.target} | ${t.value} | ${t.pass ? 'pass' : '**miss**'} |`);
  return `${lines.join('\n')}\n`;
}

export function table(report) {
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
