/**
 * Answers are written together: each one when the event loop has handled every request that
 * arrived with it, not the moment its handler is done. Redis writes its replies the same way,
 * before its event loop sleeps.
 *
 * Why: on loopback, writing an answer runs the client's side of TCP on this core, and wakes the
 * client's thread if it sleeps. Answers written one at a time, tens of microseconds apart, wake
 * it once each. In `perf`, those wake-ups took 13% of the gateway's time at 50 connections
 * (about 6 µs an answer, against about 1 µs for bare Fastify, whose answers come closer together).
 * Written back to back, only the first answer of a batch wakes the client: the others find it
 * awake. Measured: +20% throughput at 50 connections, the same p99, no change at one connection
 * (docs/performance.md).
 *
 * Two ways in, one batch. The PhoneMatch handlers hand their answers to `send`, which calls
 * `reply.send` at the end of the turn: an `onSend` hook on those routes cost a hook run per answer,
 * 1–2% of the gateway's throughput (docs/performance.md). Every other route (the control API, the
 * inbox, the docs) has `hook`, an `onSend` hook that calls `done` later: Fastify then writes the
 * answer as it always does, so every route, error and stream goes through it unchanged. Either way
 * a batch waits for one turn of the event loop at most (`setImmediate` runs right after the poll
 * phase, where the batch's requests were read).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';

type Done = (error: Error | null, payload?: unknown) => void;

export class WriteBatch {
  /** reply, payload, done (null: `reply.send` it): three slots per answer, so a batch allocates nothing per answer. */
  #pending: unknown[] = [];
  #scheduled = false;

  /**
   * @param beforeWrite called on each reply just before it is written (headers may still be set)
   * @param onError an exception from writing one answer: reported, and the others are still written
   */
  constructor(
    private readonly beforeWrite: (reply: FastifyReply) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** The `onSend` hook. */
  readonly hook = (_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: Done): void => {
    this.#queue(reply, payload, done);
  };

  /** `reply.send(payload)` at the end of this turn, for a route without the hook. */
  readonly send = (reply: FastifyReply, payload: unknown): void => {
    this.#queue(reply, payload, null);
  };

  #queue(reply: FastifyReply, payload: unknown, done: Done | null): void {
    this.#pending.push(reply, payload, done);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(this.#flush);
    }
  }

  /** Answers waiting for the end of this turn of the event loop. */
  get waiting(): number {
    return this.#pending.length / 3;
  }

  readonly #flush = (): void => {
    this.#scheduled = false;
    const pending = this.#pending;
    // A write that runs a hook which answers another request lands in the next batch.
    this.#pending = [];
    for (let i = 0; i < pending.length; i += 3) {
      try {
        const reply = pending[i] as FastifyReply;
        const done = pending[i + 2] as Done | null;
        this.beforeWrite(reply);
        if (done) done(null, pending[i + 1]);
        else reply.send(pending[i + 1]);
      } catch (error) {
        this.onError(error);
      }
    }
  };
}
