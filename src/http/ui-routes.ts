/**
 * The inbox page (`/__admin/ui`) and the live event stream it reads (`GET /__admin/events`).
 *
 * The page is static code compiled to `dist/ui` by the build; it holds no data, so it is served
 * without the admin token and asks for the token only when it calls the control API. The event
 * stream is a control-API operation (its handler is registered by `adminRoutes`, behind the
 * token check).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PhoneMatchError } from '../domain/errors.js';
import { packagePath } from '../paths.js';
import type { ReloadReport } from '../scenarios/registry.js';
import type { Simulator } from '../simulator.js';
import type { StoreEvent } from '../store/types.js';
import { VERSION } from '../version.js';
import { journalView, messageView, transactionView } from './admin-views.js';

export const UI_PATH = '/__admin/ui';

const ASSETS: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'inbox.js': 'text/javascript; charset=utf-8',
  'inbox.css': 'text/css; charset=utf-8',
};

// Everything the page needs comes from the mock itself: no CDN, no external request.
const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

export async function uiRoutes(app: FastifyInstance, opts: { dir?: string } = {}): Promise<void> {
  const dir = opts.dir ?? packagePath('dist/ui');

  // Read on each request (three small files): a rebuilt page shows up without a restart.
  const serve = async (file: string, reply: FastifyReply) => {
    const type = ASSETS[file];
    if (!type) throw new PhoneMatchError('adminNotFound', `The inbox has no file '${file}'.`);
    let content: Buffer;
    try {
      content = await readFile(join(dir, file));
    } catch {
      throw new PhoneMatchError('adminNotFound', `The inbox page is not built (${file} missing): run npm run build.`);
    }
    return reply.header('content-type', type).header('cache-control', 'no-cache').header('content-security-policy', CSP).send(content);
  };

  app.get(UI_PATH, { schema: { hide: true } }, (_request, reply) => serve('index.html', reply));
  // The page's asset paths are absolute, but a trailing slash would still confuse relative links.
  app.get(`${UI_PATH}/`, { schema: { hide: true } }, (request, reply) => {
    const query = request.url.indexOf('?');
    return reply.redirect(`${UI_PATH}${query >= 0 ? request.url.slice(query) : ''}`);
  });
  app.get<{ Params: { file: string } }>(`${UI_PATH}/:file`, { schema: { hide: true } }, (request, reply) =>
    serve(request.params.file, reply),
  );
}

const HEARTBEAT_MS = 15_000;
/** A client that lets this much pile up unread is dropped rather than buffered without bound. */
const MAX_BUFFERED_BYTES = 1_048_576;

/**
 * The open event streams. One subscription to the store per stream; `closeAll` ends them so the
 * server can close (an open stream is never idle, so it would hold `app.close()` forever).
 */
export class EventStreams {
  private readonly open = new Set<() => void>();

  constructor(private readonly simulator: Simulator) {}

  get size(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const end of [...this.open]) end();
  }

  readonly handler = (request: FastifyRequest, reply: FastifyReply): void => {
    const { simulator } = this;
    const namespace = (request.query as { namespace?: string }).namespace;
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Reverse proxies (nginx) must not buffer the stream.
      'x-accel-buffering': 'no',
    });

    let activeSnapshot = '';
    let ended = false;
    const send = (event: string, data: unknown) => {
      if (ended) return;
      raw.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      if (raw.writableLength > MAX_BUFFERED_BYTES) end();
    };
    // Told by the registry on every (de)activation; the snapshot keeps a stream from repeating itself.
    const announceActivations = (report?: ReloadReport) => {
      const active = simulator.scenarios.activations();
      const snapshot = JSON.stringify(active);
      if (!report && snapshot === activeSnapshot) return;
      activeSnapshot = snapshot;
      send('scenarios', {
        loaded: report?.loaded ?? simulator.scenarios.list().length,
        errors: report?.errors ?? simulator.scenarios.errors(),
        active,
      });
    };
    const mine = (ns: string) => namespace === undefined || ns === namespace;

    const onStoreEvent = (event: StoreEvent) => {
      switch (event.type) {
        case 'message':
          if (mine(event.message.namespace)) send('message', messageView(event.message, simulator));
          break;
        case 'transaction':
          if (mine(event.transaction.namespace)) send('transaction', transactionView(event.transaction, simulator));
          break;
        case 'journal':
          if (mine(event.entry.namespace)) send('journal', journalView(event.entry));
          break;
        case 'reset':
          if (event.namespace === null || mine(event.namespace)) send('reset', { namespace: event.namespace });
          break;
      }
    };

    const unsubscribeStore = simulator.store.subscribe(onStoreEvent);
    const unsubscribeReload = simulator.scenarios.onReload((report) => announceActivations(report));
    const unsubscribeActivation = simulator.scenarios.onActivation(() => announceActivations());
    const heartbeat = setInterval(() => {
      if (!ended) raw.write(': ping\n\n');
    }, HEARTBEAT_MS);
    heartbeat.unref();

    const end = () => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      unsubscribeStore();
      unsubscribeReload();
      unsubscribeActivation();
      this.open.delete(end);
      raw.end();
    };
    this.open.add(end);
    raw.on('close', end);
    raw.on('error', end);

    // A reconnecting EventSource waits this long; the page reloads its lists when it is back.
    raw.write('retry: 2000\n\n');
    activeSnapshot = JSON.stringify(simulator.scenarios.activations());
    send('hello', { version: VERSION, active: simulator.scenarios.activations() });
  };
}
