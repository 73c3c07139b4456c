import v8 from 'node:v8';

v8.setFlagsFromString(process.env.V8FLAG ?? '');

import { buildApp } from '../dist/app.js';

const app = await buildApp({
  logLevel: 'silent',
  watchScenarios: false,
  maxTransactions: Number(process.env.CAP ?? 100000),
  maxJournal: Number(process.env.JCAP ?? 10000),
  maxMessages: Number(process.env.MCAP ?? 10000),
});
await app.listen({ port: 18040, host: '127.0.0.1' });
const t = setInterval(() => {
  const m = process.memoryUsage();
  const sp = Object.fromEntries(
    v8.getHeapSpaceStatistics().map((s) => [s.space_name.replace('_space', ''), Math.round(s.space_size / 1048576)]),
  );
  console.log(
    `rss ${m.rss >> 20} heapTotal ${m.heapTotal >> 20} heapUsed ${m.heapUsed >> 20} ext ${m.external >> 20} ab ${m.arrayBuffers >> 20}`,
    JSON.stringify(sp),
    app.simulator.store.counts().transactions,
  );
}, 2000);
process.on('SIGTERM', async () => {
  clearInterval(t);
  await app.close();
  process.exit(0);
});
