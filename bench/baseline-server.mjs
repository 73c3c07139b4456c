// @ts-check
/**
 * The baseline: a bare Fastify server that answers the gateway with static bytes: the answer the
 * mock gave to the documented request (run.mjs captures it into a file), or the documented
 * PENDING sample. Same route, same JSON body parsing, the same answer size: nothing a mock does
 * can be faster on this machine, so every figure of the mock is reported as a ratio to this one.
 *
 *   node bench/baseline-server.mjs [port] [answer file]   prints "listening on http://127.0.0.1:<port>"
 */
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const file = process.argv[3];
// The samples module parses openapi.yaml: loaded only without an answer file, so that the cold
// start measured with one (run.mjs) is bare Fastify's and nothing else.
const body = file ? readFileSync(file, 'utf8') : JSON.stringify((await import('./lib/samples.mjs')).example('pending'));

const app = Fastify({ logger: false });
app.post('/process/comprehensive/gateway', (_request, reply) => {
  reply.header('content-type', 'application/json; charset=utf-8').send(body);
});
await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
const address = app.server.address();
console.log(`listening on http://127.0.0.1:${typeof address === 'object' && address ? address.port : ''}`);
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => app.close().then(() => process.exit(0)));
