// @ts-nocheck — autocannon ships no types; the job's shape is documented below.
/**
 * The load generator: autocannon in its own process, so `run.mjs` can pin it to another core than
 * the server's. Reads its job as JSON from argv[2]; prints `{"phase":"measure"}` when the measured
 * part starts (the runner resets the server's peak RSS there), then one line of JSON result.
 *
 * Workloads:
 *   gateway   one gateway body again and again (`body`, default the documented SMS sample; also
 *             what the baseline server gets); with `phones`/`namespaces`, each request takes the
 *             next of that many distinct numbers (2015106000 upwards) and `x-phonematch-namespace`
 *             values, so costs that grow with the work show
 *   continue  first makes `tokens` transactions through the gateway (`tokenBody`, default the
 *             happy-path magic number 2015550100, whose pin is always 123456), then spends each
 *             token once (`shape` codematch) or asks its status (`shape` dialer); only the continue
 *             calls are measured
 *   flow      gateway, then the code read through GET /__admin/transactions/{token}, then continue:
 *             what a test suite does; every flow must end in PASS
 *
 * Job: { url, workload, connections, duration (s) | amount (requests), maxSeconds (cap of an
 * amount run), body, phones, namespaces, tokens, tokenBody, shape, warmup (s at 50 connections
 * before measuring), perSecond }.
 */
import autocannon from 'autocannon';
import { HAPPY_PHONE, HAPPY_PIN, SMS } from './lib/samples.mjs';

const job = JSON.parse(process.argv[2] ?? '{}');
const JSON_HEADERS = { 'content-type': 'application/json' };
const GATEWAY = '/process/comprehensive/gateway';

const withPhone = (body, phone) => ({ ...body, target: { ...body.target, phone } });
const gatewayRequest = (phone, body = job.body ?? SMS) => ({
  method: 'POST',
  path: GATEWAY,
  headers: JSON_HEADERS,
  body: JSON.stringify(withPhone(body, phone ?? body.target.phone)),
});

/**
 * The gateway request of the job: one body, or (with `phones` or `namespaces`) the next of that
 * many distinct numbers and namespaces on every send. The bodies are made up front (the load
 * generator has one core too); autocannon builds a request list once per connection, which for
 * 10,000 variants and 50 connections takes longer than the run, so one request swaps its body.
 */
function gatewayRequests() {
  const body = job.body ?? SMS;
  if (!job.phones && !job.namespaces) return [gatewayRequest(undefined, body)];
  const phones = job.phones ?? 1;
  const namespaces = Array.from({ length: job.namespaces ?? 1 }, (_, i) => ({
    ...JSON_HEADERS,
    'x-phonematch-namespace': `bench-ns-${i}`,
  }));
  const bodies = Array.from({ length: phones }, (_, i) => JSON.stringify(withPhone(body, String(2015106000 + i))));
  let next = 0;
  return [
    {
      method: 'POST',
      path: GATEWAY,
      setupRequest: (request) => {
        const i = next++;
        request.body = bodies[i % bodies.length];
        request.headers = namespaces[i % namespaces.length];
        return request;
      },
    },
  ];
}

// The load generator has one core too: answers are read with a regular expression, not
// JSON.parse, and bodies are built before the run, so that it is not the bottleneck.
const TOKEN = /"token":"([a-z0-9]+)"/;
const PIN = /"pin":"(\d+)"/;
const PASSED = '"action":"PASS"';

/** Latencies in ms, kept as floats (autocannon's own histogram rounds to whole milliseconds). */
class Latencies {
  values = new Float64Array(1 << 16);
  length = 0;
  add(ms) {
    if (this.length === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.length++] = ms;
  }
  percentile(p) {
    if (this.length === 0) return null;
    const sorted = this.values.subarray(0, this.length).sort();
    return Math.round(sorted[Math.min(this.length - 1, Math.floor((p / 100) * this.length))] * 100) / 100;
  }
}

/** One autocannon run; `series` holds completed requests per second when asked for. */
function run(options, { perSecond = false, maxSeconds } = {}) {
  return new Promise((resolve, reject) => {
    const latencies = new Latencies();
    const series = [];
    let done = 0;
    let last = 0;
    const startedAt = performance.now();
    let lastAt = startedAt;
    let answeredAt = startedAt;
    const instance = autocannon({ url: job.url, connections: 1, ...options }, (error, result) => {
      clearInterval(sampler);
      clearTimeout(cap);
      // autocannon ends a run of a fixed amount at its next whole second: time it ourselves.
      if (error) reject(error);
      else resolve({ result, series, latencies, answered: done, seconds: (answeredAt - startedAt) / 1000 });
    });
    instance.on('response', (_client, _status, _bytes, ms) => {
      done++;
      answeredAt = performance.now();
      latencies.add(ms);
    });
    // Our own per-second series (autocannon's tick and sample timers can drift apart).
    const sampler = setInterval(() => {
      const now = performance.now();
      if (perSecond) series.push(Math.round(((done - last) * 1000) / (now - lastAt)));
      last = done;
      lastAt = now;
    }, 1000);
    const cap = maxSeconds ? setTimeout(() => instance.stop(), maxSeconds * 1000) : undefined;
  });
}

function summary({ result, series, latencies, answered, seconds }, wrong = 0) {
  return {
    requests: answered,
    seconds: Math.round(seconds * 100) / 100,
    rps: Math.round(answered / seconds),
    p50: latencies.percentile(50),
    p99: latencies.percentile(99),
    errors: result.errors + result.timeouts + result.non2xx + wrong,
    series,
  };
}

const measure = () => process.stdout.write(`${JSON.stringify({ phase: 'measure' })}\n`);

async function gateway() {
  // The warm-up sends every distinct number at least once, so the run measures the steady state
  // of a mock that has seen them all (the first sight of a number costs a full parse, once).
  if (job.phones > 1) await run({ connections: 50, amount: Math.max(job.phones, 50), requests: gatewayRequests() });
  if (job.warmup) await run({ connections: 50, duration: job.warmup, requests: gatewayRequests() });
  measure();
  const limits = job.amount ? { amount: job.amount } : { duration: job.duration };
  return summary(await run({ connections: job.connections, requests: gatewayRequests(), ...limits }, job));
}

async function tokens(count) {
  const pool = [];
  const made = await run({
    connections: 50,
    amount: count,
    requests: [
      {
        ...gatewayRequest(job.tokenBody ? undefined : HAPPY_PHONE, job.tokenBody ?? SMS),
        onResponse: (_status, body) => {
          const token = TOKEN.exec(body)?.[1];
          if (token) pool.push(token);
        },
      },
    ],
  });
  if (pool.length < count * 0.99) throw new Error(`only ${pool.length} of ${count} tokens were made (${made.result.non2xx} non-2xx)`);
  return pool;
}

function continueRun(pool, connections, counts) {
  // A code entry spends its token; a Dialer status request may be repeated.
  const bodies = pool.map((token) =>
    JSON.stringify(job.shape === 'dialer' ? { dialer: { return: 'status' }, token } : { token, codematch: { key: HAPPY_PIN } }),
  );
  let next = 0;
  return run({
    connections,
    amount: bodies.length,
    requests: [
      {
        method: 'POST',
        path: '/process/continue',
        headers: JSON_HEADERS,
        setupRequest: (request) => {
          request.body = bodies[next++ % bodies.length];
          return request;
        },
        onResponse: (status, body) => {
          if (status === 200 && job.shape !== 'dialer' && !body.includes(PASSED)) counts.wrong++;
        },
      },
    ],
  });
}

async function continueOnly() {
  if (job.warmup) await continueRun(await tokens(Math.round(job.warmup * 2000)), 50, { wrong: 0 });
  const pool = await tokens(job.tokens);
  measure();
  const counts = { wrong: 0 };
  const measured = await continueRun(pool, job.connections, counts);
  return summary(measured, counts.wrong);
}

function flowRun(options, counts) {
  return run({
    ...options,
    requests: [
      {
        ...gatewayRequest(),
        onResponse: (_status, body, context) => {
          context.token = TOKEN.exec(body)?.[1];
        },
      },
      {
        method: 'GET',
        setupRequest: (request, context) => {
          if (!context.token) return undefined;
          request.path = `/__admin/transactions/${context.token}`;
          return request;
        },
        onResponse: (_status, body, context) => {
          context.pin = PIN.exec(body)?.[1];
        },
      },
      {
        method: 'POST',
        path: '/process/continue',
        headers: JSON_HEADERS,
        setupRequest: (request, context) => {
          if (!context.pin) return undefined;
          request.body = `{"token":"${context.token}","codematch":{"key":"${context.pin}"}}`;
          return request;
        },
        onResponse: (status, body) => {
          if (status === 200 && !body.includes(PASSED)) counts.wrong++;
        },
      },
    ],
  });
}

async function flow() {
  if (job.warmup) await flowRun({ connections: 50, duration: job.warmup }, { wrong: 0 });
  measure();
  const counts = { wrong: 0 };
  const measured = await flowRun({ connections: job.connections, duration: job.duration }, counts);
  return summary(measured, counts.wrong);
}

const workloads = { gateway, continue: continueOnly, flow };
const workload = workloads[job.workload];
if (!workload) throw new Error(`unknown workload ${job.workload}`);
process.stdout.write(`${JSON.stringify(await workload())}\n`);
