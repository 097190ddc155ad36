/**
 * A few large buffers kept for reuse on a path that would otherwise allocate one per file: each
 * new one is external memory to V8, and enough of them set off a full collection of the heap.
 * Used for the decode worker's column sets and PostgreSQL's COPY encodings.
 */
export class KeptBuffers<T> {
  readonly #free: T[] = [];

  /** `keep`: buffers held at most; `capacityOf`: what one holds, in the unit `take` asks for. */
  constructor(
    private readonly keep: number,
    private readonly capacityOf: (b: T) => number,
  ) {}

  get held(): number {
    return this.#free.length;
  }

  /** A kept buffer holding at least `size`, no longer kept, or undefined when none does. */
  take(size: number): T | undefined {
    const i = this.#free.findIndex((b) => this.capacityOf(b) >= size);
    return i >= 0 ? this.#free.splice(i, 1)[0] : undefined;
  }

  /** Keeps `b` for a later `take`; beyond `keep`, the smallest is let go. */
  give(b: T): void {
    this.#free.push(b);
    if (this.#free.length > this.keep) this.#free.sort((x, y) => this.capacityOf(y) - this.capacityOf(x)).pop();
  }
}
