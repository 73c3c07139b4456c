/**
 * Starting and stopping a listening simulator, shared by the CLI and `startMock`.
 */
import type { FastifyInstance } from 'fastify';
import { type BuildOptions, buildApp } from './app.js';
import { ConfigError, type MockConfig } from './config.js';

import { isLoopback } from './http/guards.js';

export { isLoopback };

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
    throw error;
  }
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : partial.port;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return { app, url: `http://${shown}:${port}` };
}
