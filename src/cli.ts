#!/usr/bin/env node
/**
 * The `phonematch-mock` command: parses its options (cli-options.ts), starts the simulator, and
 * closes it gracefully on SIGINT/SIGTERM.
 */
import { banner, configFrom, scenariosCommand, unknownCommand, usage } from './cli-options.js';
import { ConfigError } from './config.js';
import { boundHeapGrowth } from './heap.js';
import { listen } from './server.js';
import { VERSION } from './version.js';

const COMMANDS = ['scenarios', 'verify'] as const;

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'verify') {
    // Its own flags, and Pact loaded only when asked for.
    const { verifyCommand } = await import('./contracts/verify-command.js');
    return verifyCommand(argv.slice(1), process.env);
  }
  const { config, help, version, positionals } = configFrom(argv, process.env);
  if (help) {
    console.log(usage());
    return 0;
  }
  if (version) {
    console.log(VERSION);
    return 0;
  }
  if (positionals[0] === 'scenarios') return scenariosCommand(positionals[1], positionals.slice(2), config);
  if (positionals.length > 0) throw unknownCommand(positionals, COMMANDS);

  // Before the heap grows: see heap.ts.
  boundHeapGrowth();
  // Lines for a person at a terminal; JSON for a file, a pipe or a log collector.
  const { app, url } = await listen({ logFormat: process.stdout.isTTY ? 'pretty' : 'json', ...config });
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) process.exit(1); // a second signal: stop now
    closing = true;
    app.mockLog.info({ signal }, 'closing');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  // The banner says "ready": only once a signal would close gracefully (before the handlers are
  // in place, SIGTERM kills the process outright, and a supervisor may send it at once).
  console.log(banner(url, app.simulator.scenarios.list(), app.simulator.seed));
  return -1; // keep running
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    const message = error instanceof ConfigError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error);
    console.error(`phonematch-mock: ${message}`);
    process.exitCode = 2;
  },
);
