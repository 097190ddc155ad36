/**
 * Test helper: a JobQueue in memory with JetStream's work-queue behaviour where the worker can
 * see it — de-duplication by message id, one delivery at a time, a nak'd job delivered again
 * with its delivery count up, an acked or termed job gone — and a log of what happened to each.
 */
import type { JobQueue, QueuedJob } from '../job-queue.js';

interface Entry {
  kind: string;
  data: Uint8Array;
  deliveries: number;
}

export class MemoryJobQueue implements JobQueue {
  readonly ackWaitMs = 300;
  readonly #ready: Entry[] = [];
  readonly #seen = new Set<string>();
  readonly #listeners = new Map<string, Set<(b: Uint8Array) => void>>();
  /** What became of each delivery, in order: `ack`, `nak`, `term`. */
  readonly settled: Array<'ack' | 'nak' | 'term'> = [];
  /** Lease renewals sent. */
  renewals = 0;
  /** Jobs waiting or in hand. */
  pending = 0;

  enqueue(kind: string, data: Uint8Array, msgId: string): Promise<boolean> {
    if (this.#seen.has(msgId)) return Promise.resolve(false);
    this.#seen.add(msgId);
    this.#ready.push({ kind, data, deliveries: 0 });
    this.pending++;
    return Promise.resolve(true);
  }

  async next(expiresMs: number): Promise<QueuedJob | null> {
    for (const until = Date.now() + Math.min(expiresMs, 50); this.#ready.length === 0 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 5));
    const e = this.#ready.shift();
    if (e === undefined) return null;
    e.deliveries++;
    let settled = false;
    const settle = (how: 'ack' | 'nak' | 'term'): void => {
      if (settled) throw new Error(`a delivery settled twice (${how})`);
      settled = true;
      this.settled.push(how);
      if (how === 'nak') this.#ready.push(e);
      else this.pending--;
    };
    return {
      kind: e.kind,
      data: e.data,
      deliveryCount: e.deliveries,
      working: () => void this.renewals++,
      ack: () => Promise.resolve(settle('ack')),
      nak: () => settle('nak'),
      term: () => settle('term'),
    };
  }

  publishResult(run: string, data: Uint8Array): Promise<void> {
    for (const l of this.#listeners.get(run) ?? []) l(data);
    return Promise.resolve();
  }

  results(run: string): AsyncIterable<Uint8Array> & { stop(): void } {
    const buffered: Uint8Array[] = [];
    let wake: (() => void) | null = null;
    let stopped = false;
    const listener = (b: Uint8Array): void => {
      buffered.push(b);
      wake?.();
    };
    const set = this.#listeners.get(run) ?? new Set();
    set.add(listener);
    this.#listeners.set(run, set);
    return {
      stop: () => {
        stopped = true;
        set.delete(listener);
        wake?.();
      },
      async *[Symbol.asyncIterator]() {
        while (!stopped) {
          const b = buffered.shift();
          if (b !== undefined) yield b;
          else await new Promise<void>((r) => (wake = r));
        }
      },
    };
  }
}
