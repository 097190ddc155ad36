/** One subscription of the memory bus: a bounded FIFO with waiting readers and, for `wait`, waiting publishers. */
import type { BusMessage, OverflowPolicy, Subscription } from '../bus.js';

export class MemorySubscription<T> implements Subscription<T> {
  readonly #buffer: (BusMessage<T> | undefined)[] = [];
  #head = 0;
  #ended = false;
  #dropped = 0;
  #reader: ((r: IteratorResult<BusMessage<T>>) => void) | null = null;
  readonly #spaceWaiters: (() => void)[] = [];
  #iterated = false;

  constructor(
    readonly pattern: string,
    readonly tokens: readonly string[],
    readonly capacity: number,
    readonly overflow: OverflowPolicy,
    private readonly onUnsubscribe: (sub: MemorySubscription<T>) => void,
  ) {}

  get dropped(): number {
    return this.#dropped;
  }

  get ended(): boolean {
    return this.#ended;
  }

  get #size(): number {
    return this.#buffer.length - this.#head;
  }

  /** True when taken now; false when the buffer is full under `wait` (call `waitForSpace` and retry). */
  offer(message: BusMessage<T>): boolean {
    if (this.#ended) return true;
    if (this.#reader) {
      const reader = this.#reader;
      this.#reader = null;
      reader({ value: message, done: false });
      return true;
    }
    if (this.#size >= this.capacity) {
      if (this.overflow === 'wait') return false;
      this.#take();
      this.#dropped++;
    }
    this.#buffer.push(message);
    return true;
  }

  waitForSpace(): Promise<void> {
    return new Promise((resolve) => this.#spaceWaiters.push(resolve));
  }

  #take(): BusMessage<T> | undefined {
    const m = this.#buffer[this.#head];
    this.#buffer[this.#head++] = undefined;
    // Compact now and then so the array does not grow without bound.
    if (this.#head > 1024 && this.#head * 2 > this.#buffer.length) {
      this.#buffer.splice(0, this.#head);
      this.#head = 0;
    }
    return m;
  }

  #next(): Promise<IteratorResult<BusMessage<T>>> {
    if (this.#size > 0) {
      const value = this.#take() as BusMessage<T>;
      this.#spaceWaiters.shift()?.();
      return Promise.resolve({ value, done: false });
    }
    if (this.#ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => {
      this.#reader = resolve;
    });
  }

  /** Ends delivery: readers finish after the buffered events; waiting publishers are released. */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#reader?.({ value: undefined, done: true });
    this.#reader = null;
    for (const release of this.#spaceWaiters.splice(0)) release();
  }

  unsubscribe(): Promise<void> {
    this.end();
    this.onUnsubscribe(this);
    return Promise.resolve();
  }

  [Symbol.asyncIterator](): AsyncIterator<BusMessage<T>> {
    if (this.#iterated) throw new Error(`subscription "${this.pattern}" is already being iterated; subscribe again for a second reader`);
    this.#iterated = true;
    return {
      next: () => this.#next(),
      return: async () => {
        await this.unsubscribe();
        return { value: undefined, done: true };
      },
    };
  }
}
