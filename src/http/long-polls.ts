/**
 * The long-polls of `GET /__admin/messages/latest`, waiting for a message.
 *
 * The waiters are indexed by namespace and phone key, and one store subscription serves them all:
 * a message looks up the few waiters that can want it, so its cost does not grow with the number
 * waiting (each waiter used to hold its own subscription, and 3,000 of them cut the gateway from
 * 8,600 to 1,200 requests a second). Their number is capped (ADM429 beyond it).
 */
import type { FastifyReply } from 'fastify';
import { PhoneMatchError } from '../domain/errors.js';
import type { Simulator } from '../simulator.js';
import { type BudgetUse, CountBudget } from '../store/budget.js';
import type { Message, StoreEvent } from '../store/types.js';

interface Waiter {
  after: number;
  done(message: Message | undefined): void;
}

/** Any namespace, or any number. */
const ANY = '\u0000';

const slot = (namespace: string, key: string) => `${namespace}\u0001${key}`;

export class LongPolls {
  private readonly index = new Map<string, Set<Waiter>>();
  private readonly all = new Set<Waiter>();
  private readonly budget: CountBudget;
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly simulator: Simulator) {
    this.budget = new CountBudget(simulator.config.maxLongPolls);
  }

  use(): BudgetUse {
    return this.budget.use();
  }

  /** Answers every waiting poll at once (closing the mock). */
  closeAll(): void {
    for (const waiter of [...this.all]) waiter.done(undefined);
  }

  private readonly onStoreEvent = (event: StoreEvent): void => {
    if (event.type !== 'message') return;
    const message = event.message;
    const digits = message.phoneInput.replace(/\D+/g, '');
    const found = new Set<Waiter>();
    for (const namespace of [message.namespace, ANY]) {
      for (const key of [message.phone, digits, ANY]) {
        const waiters = this.index.get(slot(namespace, key));
        if (waiters) for (const waiter of waiters) if (message.id > waiter.after) found.add(waiter);
      }
    }
    for (const waiter of found) waiter.done(message);
  };

  /**
   * The newest message matching the filter with an id above `after`, waiting up to `waitMs` for
   * one to arrive. Lets go of its slot and timer as soon as it answers, times out, or the client
   * disconnects.
   */
  wait(reply: FastifyReply, keys: string[] | undefined, namespace: string | undefined, after: number, waitMs: number) {
    const newest = this.simulator.store.messages({ keys, namespace }, 1)[0];
    if (newest && newest.id > after) return Promise.resolve(newest);
    if (waitMs === 0) return Promise.resolve(undefined);
    if (!this.budget.take()) {
      throw new PhoneMatchError(
        'adminBusy',
        `All ${this.budget.limit} long-polls are waiting; wait for one to end or raise --max-long-polls.`,
      );
    }
    const slots = (keys ?? [ANY]).map((key) => slot(namespace ?? ANY, key));
    return new Promise<Message | undefined>((resolve) => {
      const waiter: Waiter = {
        after,
        done: (message) => {
          if (!this.all.delete(waiter)) return;
          clearTimeout(timer);
          reply.raw.off('close', gone);
          for (const s of slots) {
            const set = this.index.get(s);
            set?.delete(waiter);
            if (set?.size === 0) this.index.delete(s);
          }
          this.budget.release();
          if (this.all.size === 0 && this.unsubscribe) {
            this.unsubscribe();
            this.unsubscribe = null;
          }
          resolve(message);
        },
      };
      const gone = () => waiter.done(undefined);
      this.all.add(waiter);
      for (const s of slots) {
        const set = this.index.get(s) ?? new Set<Waiter>();
        set.add(waiter);
        this.index.set(s, set);
      }
      this.unsubscribe ??= this.simulator.store.subscribe(this.onStoreEvent);
      const timer = setTimeout(gone, waitMs);
      // The client went away: nobody is left to answer.
      reply.raw.once('close', gone);
    });
  }
}
