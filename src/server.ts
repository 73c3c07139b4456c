/**
 * Starting and stopping a listening simulator, shared by the CLI and `startMock`.
 */
import type { FastifyInstance } from 'fastify';
import { type BuildOptions, buildApp, fastifyLogs } from './app.js';
import { ConfigError, type MockConfig } from './config.js';

import { isLoopback } from './http/guards.js';

export { isLoopback };

/** A port in use or not allowed is a configuration problem, told as one (no stack), with what to do. */
function friendlyListenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const next = port === 0 || port >= 65535 ? '' : ` --port ${port + 1},`;
  if (code === 'EADDRINUSE')
    return new ConfigError(
      `port ${port} on ${host} is already in use (another phonematch-mock?). Pick another:${next} or --port 0 for any free port (its URL is printed).`,
    );
  if (code === 'EACCES') return new ConfigError(`not allowed to listen on port ${port} of ${host}: use a port above 1023, or --port 0.`);
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND')
    return new ConfigError(`cannot listen on ${host}: no such address on this machine.`);
  return error;
}

export interface RunningServer {
  app: FastifyInstance;
  /** `http://host:port` with the port actually bound. */
  url: string;
}

/**
 * Builds and listens. Beyond loopback the control API (pins, tokens, the journal) would be open to
 * the network, so the mock refuses to start there without an admin token.
 */
export async function listen(partial: Partial<MockConfig>, options: BuildOptions = {}): Promise<RunningServer> {
  const host = partial.host ?? '127.0.0.1';
  if (!isLoopback(host) && !partial.adminToken) {
    throw new ConfigError(
      `refusing to listen on ${host} without an admin token: the control API shows every pin. Set --admin-token (PHONEMATCH_ADMIN_TOKEN), or listen on 127.0.0.1.`,
    );
  }
  const app = await buildApp({ ...partial, host }, options);
  try {
    await app.listen({ host, port: partial.port ?? 8080 });
  } catch (error) {
    await app.close();
    throw friendlyListenError(error, host, partial.port ?? 8080);
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : partial.port;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const url = `http://${shown}:${port}`;
  // Fastify logs its own line when it has the logger.
  if (!fastifyLogs(app.mockLog)) app.mockLog.info(`Server listening at ${url}`);
  return { app, url };
}
