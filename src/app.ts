/**
 * `buildApp(config)`: the Fastify application with its plugins, routes and error handling. It
 * never listens; the CLI and `startMock` do.
 */
import swagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';
import { ConfigError, type MockConfig, resolveConfig } from './config.js';
import { adminRoutes } from './http/admin-routes.js';
import { docsRoutes, servedByThisMock } from './http/docs-routes.js';
import { frameworkErrors, installErrorHandling } from './http/errors.js';
import { EventStreams } from './http/events.js';
import { clientErrorHandler, installBrowserGuards, installConnectionGuards, openConnections, transportOptions } from './http/guards.js';
import { LongPolls } from './http/long-polls.js';
import { phoneMatchRoutes } from './http/phonematch-routes.js';
import { loadSpec } from './http/spec.js';
import { stateOperations } from './http/state-routes.js';
import { uiRoutes } from './http/ui-routes.js';
import { WriteBatch } from './http/write-batch.js';
import { describeLoadError } from './scenarios/loader.js';
import { Simulator, type SimulatorParts } from './simulator.js';

declare module 'fastify' {
  interface FastifyInstance {
    simulator: Simulator;
    /**
     * The mock's own lines (listening, reloads, unexpected errors, closing), at every level. Fastify
     * is handed this logger only from debug down: see `mockLogger`.
     */
    mockLog: Logger;
  }
}

export interface BuildOptions extends SimulatorParts {
  /** Fail on a bad scenario file at start-up (default true); hot reloads never fail. */
  strictScenarios?: boolean;
  /** pino's options (a `stream` among them is where lines go), or false for none, instead of a logger built from `logLevel`. */
  logger?: false | (LoggerOptions & { stream?: DestinationStream });
}

const SWEEP_INTERVAL_MS = 30_000;

/**
 * Every request is in the journal already, so the log shows requests at debug (and trace), not at
 * info: at info, two lines per request cost a quarter of the mock's throughput (README,
 * "Performance"). Fastify has a logger only from debug down (see `buildApp`), where it also logs
 * a response that failed, at error, as it does by default.
 */
class RequestsAtDebug extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (!this.isLogDisabled(request)) request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
    metadata?: Record<string, unknown>,
  ): void {
    if (error) super.requestCompleted(error, request, reply, metadata);
    else if (!this.isLogDisabled(request)) reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}

/**
 * Hides secrets that may travel in a URL (the admin token of an EventSource), however its name
 * is spelt: `?%74oken=` is the same parameter once decoded.
 */
export function safeUrl(url: string): string {
  return url.replace(/([?&;])([^=&;]*)=([^&;]*)/g, (whole, sep: string, name: string) => {
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // an undecodable name is kept as it is
    }
    return decoded.trim().toLowerCase() === 'token' ? `${sep}${name}=[redacted]` : whole;
  });
}

/**
 * pino-pretty and its 40-odd modules are loaded only when the pretty format is asked for: loaded
 * at every start, they cost about 15 ms of the cold start (docs/performance.md).
 */
async function prettyStream() {
  const loaded = (await import('pino-pretty')) as unknown as { default: typeof import('pino-pretty') };
  return loaded.default({ sync: true, translateTime: 'HH:MM:ss.l', ignore: 'pid,hostname' });
}

/** Bodies are never logged: they hold `pass`, and answers hold pins. */
const LOG_SERIALIZERS = {
  req: (req: { method: string; url: string; ip?: string }) => ({ method: req.method, url: safeUrl(req.url), remoteAddress: req.ip }),
};

/**
 * The mock's pino logger: from `logLevel` and `logFormat`, or from `options.logger`; `silent` (or
 * `logger: false`) makes one that writes nothing. Synchronous, in this thread (pino's default
 * destination): a worker transport would outlive a quick exit and cost a thread.
 */
async function mockLogger(config: MockConfig, options: BuildOptions): Promise<Logger> {
  if (options.logger === false) return pino({ level: 'silent' });
  if (options.logger) {
    const { stream, ...rest } = options.logger;
    return pino({ serializers: LOG_SERIALIZERS, ...rest }, stream);
  }
  // No stream: pino's default, standard output.
  return pino(
    { level: config.logLevel, serializers: LOG_SERIALIZERS, redact: ['req.headers.authorization', 'req.headers["x-admin-token"]'] },
    config.logFormat === 'pretty' ? await prettyStream() : undefined,
  );
}

/** Whether Fastify is given the mock's logger: only where it logs requests (debug and trace). */
export function fastifyLogs(log: Logger): boolean {
  return log.isLevelEnabled('debug');
}

export async function buildApp(partial: Partial<MockConfig> = {}, options: BuildOptions = {}): Promise<FastifyInstance> {
  const config = resolveConfig(partial);
  const simulator = new Simulator(config, options);
  const report = simulator.scenarios.reload(false);
  if (report.errors.length > 0 && options.strictScenarios !== false) {
    simulator.close();
    throw new ConfigError(`bad scenario file(s):\n${report.errors.map((e) => `  ${describeLoadError(e)}`).join('\n')}`);
  }

  const log = await mockLogger(config, options);
  const app = Fastify({
    // Fastify has the logger only when it logs requests (debug and trace). With a logger, it times
    // every answer for the request line, with two listeners and two clock reads per response, even
    // when the line is not logged: 3–6% of the gateway's throughput in alternating runs
    // (docs/performance.md). Above debug the mock's own lines go through `app.mockLog`.
    ...(fastifyLogs(log) ? { loggerInstance: log as FastifyBaseLogger } : { logger: false }),
    bodyLimit: config.bodyLimit,
    ...transportOptions(config),
    clientErrorHandler: clientErrorHandler(simulator),
    frameworkErrors: frameworkErrors(simulator),
    // Requests wait on scenario latency; let them finish on close, but drop idle keep-alives.
    forceCloseConnections: 'idle',
    return503OnClosing: false,
    logController: new RequestsAtDebug(),
  });
  app.decorate('simulator', simulator);
  app.decorate('mockLog', log);
  installConnectionGuards(app, config);
  installBrowserGuards(app, simulator);
  // On close Fastify drops the keep-alive connections idle at that moment; one still answering
  // would then stay open (keep-alive timeout 72 s) and hold the close. Answers sent while closing
  // say `Connection: close`, so their socket ends with them and the client knows not to reuse it.
  let closing = false;
  app.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  const writes = new WriteBatch(
    (reply) => {
      if (closing) reply.header('connection', 'close');
    },
    (error) => log.error({ err: error }, 'writing an answer failed'),
  );

  await app.register(swagger, { mode: 'static', specification: { document: servedByThisMock(loadSpec('openapi.yaml')) as never } });
  installErrorHandling(app, simulator, log);
  // The PhoneMatch handlers hand their answers to the batch themselves; every other route has it
  // as an `onSend` hook, in the scope below (write-batch.ts).
  await app.register(phoneMatchRoutes, { simulator, writes });
  const events = new EventStreams(simulator);
  const polls = new LongPolls(simulator);
  const budgets = async () => ({
    ...simulator.budgets(),
    eventStreams: events.use(),
    longPolls: polls.use(),
    connections: { unit: 'entries' as const, used: await openConnections(app), limit: config.maxConnections, refused: 0 },
  });
  await app.register(async (batched) => {
    batched.addHook('onSend', writes.hook);
    await batched.register(adminRoutes, {
      simulator,
      polls,
      budgets,
      extraHandlers: { streamEvents: events.handler, ...stateOperations(simulator) },
    });
    await batched.register(uiRoutes);
    await batched.register(docsRoutes);
    batched.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    batched.get('/__admin/openapi.json', { schema: { hide: true } }, async () => servedByThisMock(loadSpec('admin-openapi.yaml')));
  });
  // Open event streams are never idle: end them first, or closing would wait for the clients.
  app.addHook('preClose', async () => events.closeAll());

  if (config.watchScenarios) simulator.scenarios.watch();
  simulator.scenarios.onReload((r) => {
    if (r.errors.length > 0)
      log.warn({ errors: r.errors, applied: r.applied }, 'scenario reload: bad file(s); the last good set stays in force');
    else log.info({ loaded: r.loaded }, 'scenarios reloaded');
  });
  const sweeper = setInterval(() => simulator.sweep(), SWEEP_INTERVAL_MS);
  sweeper.unref();
  app.addHook('onClose', async () => {
    clearInterval(sweeper);
    simulator.close();
  });
  return app;
}
