/**
 * The baseline: a bare Fastify server that answers the gateway with the documented PENDING sample
 * as static JSON (serialised once). Nothing a mock does can be faster on this machine, so every
 * figure of the mock is reported as a ratio to this one.
 *
 *   node bench/baseline-server.mjs [port]   prints "listening on http://127.0.0.1:<port>"
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { parse } from 'yaml';

const doc = parse(readFileSync(new URL('../openapi.yaml', import.meta.url), 'utf8'));
const sample = doc.components.responses.GatewayResult.content['application/json'].examples.pending.value;
const body = JSON.stringify(sample);

const app = Fastify({ logger: false });
app.post('/process/comprehensive/gateway', (_request, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8').send(body);
});
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
console.log(`listening on http://127.0.0.1:${app.server.address().port}`);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => app.close().then(() => process.exit(0)));
