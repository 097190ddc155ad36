/**
 * A counting semaphore with a FIFO queue. The backfill holds one permit per archive file from
 * its download until its rows are committed, so at most `permits` parsed files are in memory.
 */
import { abortReason } from './abortable.js';

export class Semaphore {
  #free: number;
  readonly #waiting: Array<{ grant: () => void }> = [];

  constructor(permits: number) {
    if (!Number.isInteger(permits) || permits < 1) throw new RangeError(`a semaphore needs at least 1 permit, got ${permits}`);
    this.#free = permits;
  }

  /** Waits for a permit; rejects (and leaves the queue) if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted === true) return Promise.reject(abortReason(signal));
    if (this.#free > 0) {
      this.#free--;
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        const i = this.#waiting.indexOf(entry);
        if (i >= 0) this.#waiting.splice(i, 1);
        if (signal !== undefined) reject(abortReason(signal));
      };
      const entry = {
        grant: (): void => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      this.#waiting.push(entry);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  release(): void {
    const next = this.#waiting.shift();
    if (next !== undefined) next.grant();
    else this.#free++;
  }

  /** Runs `fn` holding one permit. */
  async run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(signal);
    try {
      return await fn();
    } finally {
      this.release();
    }
  }
}
