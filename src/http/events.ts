/**
 * The live event stream the inbox reads (`GET /__admin/events`).
 *
 * One store subscription for all streams: each event is serialised once and the same text is
 * written to every stream that wants it (a hundred open inboxes used to serialise every event a
 * hundred times, and cut the gateway's throughput by forty). The number of streams is capped
 * (ADM429 beyond it), and a stream whose client reads too slowly is destroyed, socket and buffer
 * at once, rather than ended (an ended stream still holds both until the client reads).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PhoneMatchError } from '../domain/errors.js';
import type { ReloadReport } from '../scenarios/registry.js';
import type { Simulator } from '../simulator.js';
import { type BudgetUse, CountBudget } from '../store/budget.js';
import type { StoreEvent } from '../store/types.js';
import { VERSION } from '../version.js';
import { journalView, messageView, transactionView } from './admin-views.js';

const HEARTBEAT_MS = 15_000;
/** A client that lets this much pile up unread is dropped rather than buffered without bound. */
export const MAX_BUFFERED_BYTES = 1_048_576;

interface Stream {
  /** Null: every namespace. */
  namespace: string | null;
  write(text: string): void;
  end(): void;
}

function frame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/**
 * The open event streams. `closeAll` ends them so the server can close (an open stream is never
 * idle, so it would hold `app.close()` for ever).
 */
export class EventStreams {
  private readonly open = new Set<Stream>();
  private readonly budget: CountBudget;
  private unsubscribe: (() => void) | null = null;
  private activeSnapshot = '';

  constructor(private readonly simulator: Simulator) {
    this.budget = new CountBudget(simulator.config.maxEventStreams);
  }

  get size(): number {
    return this.open.size;
  }

  use(): BudgetUse {
    return this.budget.use();
  }

  closeAll(): void {
    for (const stream of [...this.open]) stream.end();
  }

  /** The same text to every stream of the namespace (and to those of every namespace). */
  private broadcast(namespace: string | null, text: string): void {
    for (const stream of this.open) {
      if (namespace === null || stream.namespace === null || stream.namespace === namespace) stream.write(text);
    }
  }

  private readonly onStoreEvent = (event: StoreEvent): void => {
    switch (event.type) {
      case 'message':
        this.broadcast(event.message.namespace, frame('message', messageView(event.message, this.simulator)));
        break;
      case 'transaction':
        this.broadcast(event.transaction.namespace, frame('transaction', transactionView(event.transaction, this.simulator)));
        break;
      case 'journal':
        this.broadcast(event.entry.namespace, frame('journal', journalView(event.entry)));
        break;
      case 'reset':
        this.broadcast(event.namespace, frame('reset', { namespace: event.namespace }));
        break;
      case 'removed':
        this.broadcast(event.namespace, frame('removed', { id: event.id, namespace: event.namespace }));
        break;
    }
  };

  /** Told by the registry on every (de)activation and reload; the snapshot keeps streams from repeating themselves. */
  private announceActivations(report?: ReloadReport): void {
    const { scenarios } = this.simulator;
    const active = scenarios.activations();
    const snapshot = JSON.stringify(active);
    if (!report && snapshot === this.activeSnapshot) return;
    this.activeSnapshot = snapshot;
    this.broadcast(
      null,
      frame('scenarios', { loaded: report?.loaded ?? scenarios.list().length, errors: report?.errors ?? scenarios.errors(), active }),
    );
  }

  private subscribe(): void {
    if (this.unsubscribe) return;
    const store = this.simulator.store.subscribe(this.onStoreEvent);
    const reload = this.simulator.scenarios.onReload((report) => this.announceActivations(report));
    const activation = this.simulator.scenarios.onActivation(() => this.announceActivations());
    const heartbeat = setInterval(() => this.broadcast(null, ': ping\n\n'), HEARTBEAT_MS);
    heartbeat.unref();
    this.activeSnapshot = JSON.stringify(this.simulator.scenarios.activations());
    this.unsubscribe = () => {
      store();
      reload();
      activation();
      clearInterval(heartbeat);
    };
  }

  private release(stream: Stream): void {
    if (!this.open.delete(stream)) return;
    this.budget.release();
    // No stream left: the store goes back to emitting nothing (its usual, fastest case).
    if (this.open.size === 0 && this.unsubscribe) {
      this.unsubscribe();
      this.unsubscribe = null;
    }
  }

  readonly handler = (request: FastifyRequest, reply: FastifyReply): void => {
    if (!this.budget.take()) {
      throw new PhoneMatchError(
        'adminBusy',
        `All ${this.budget.limit} event streams are open; close one (an inbox tab) or raise --max-event-streams.`,
      );
    }
    const namespace = (request.query as { namespace?: string }).namespace ?? null;
    const raw = reply.raw;
    reply.hijack();
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      // Reverse proxies (nginx) must not buffer the stream.
      'x-accel-buffering': 'no',
    });

    let ended = false;
    const stream: Stream = {
      namespace,
      write: (text) => {
        if (ended) return;
        raw.write(text);
        // Too slow: destroy, not end; an ended response keeps its buffer until the client reads it.
        if (raw.writableLength > MAX_BUFFERED_BYTES) {
          stream.end();
          raw.destroy();
        }
      },
      end: () => {
        if (ended) return;
        ended = true;
        this.release(stream);
        raw.end();
      },
    };
    this.subscribe();
    this.open.add(stream);
    raw.on('close', stream.end);
    raw.on('error', stream.end);

    // A reconnecting EventSource waits this long; the page reloads its lists when it is back.
    raw.write('retry: 2000\n\n');
    stream.write(frame('hello', { version: VERSION, active: this.simulator.scenarios.activations() }));
  };
}
