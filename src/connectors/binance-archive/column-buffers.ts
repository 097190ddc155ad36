/**
 * Column memory reused from one decoded archive file to the next. Each decoded file brought
 * eleven new ArrayBuffers into the main thread (3.9 MB for a month of 1m), and that external
 * memory set off a full collection of the main heap every two or three files: at 30 × 24 months
 * about a tenth of the backfill's CPU, on the thread that also drives the store's writes. The
 * backfill hands a file's columns back once they are written (`ArchiveDecodePool.release`), and
 * the pool sends them with a later file to a worker, which parses into them.
 */
import { CANDLE_FIELDS, columnArrayBuffers, type CandleColumns } from '../../core/candle.js';
import { KeptBuffers } from '../../core/kept-buffers.js';

/** 31 days of 1m rows: a set of this capacity holds any monthly file of 1m candles. */
export const MONTH_OF_MINUTES = 31 * 1440;

/**
 * Rows a new set is made for, for a file of `rows`: a whole month of minutes for anything
 * between a day and a month (so a set from a 28-day month fits a 31-day one), else `rows`.
 */
export function setCapacity(rows: number): number {
  return rows > 1440 && rows < MONTH_OF_MINUTES ? MONTH_OF_MINUTES : rows;
}

/** The buffers behind `c` when they can be handed on: one whole ArrayBuffer per field, distinct, all of one size. */
export function reusableBuffers(c: CandleColumns): ArrayBuffer[] | null {
  const set = columnArrayBuffers(c);
  const size = set[0]?.byteLength ?? 0;
  return size > 0 && set.length === CANDLE_FIELDS.length && set.every((b) => b.byteLength === size) ? set : null;
}

/** A worker's sets: those it was given back, and columns in one of them or in new memory. */
export class ColumnBuffers {
  readonly #sets: KeptBuffers<ArrayBuffer[]>;

  /** `keep`: sets held at most; beyond it the smallest is dropped (a file too large for them leaves them unused). */
  constructor(keep = 2) {
    this.#sets = new KeptBuffers(keep, (set) => (set[0]?.byteLength ?? 0) / 8);
  }

  get held(): number {
    return this.#sets.held;
  }

  give(set: readonly ArrayBuffer[]): void {
    if (set.length === CANDLE_FIELDS.length) this.#sets.give([...set]);
  }

  /** Empty columns (`length` 0) with room for `rows`, as `allocateColumns` gives. */
  allocate(rows: number): CandleColumns {
    const set = this.#sets.take(rows) ?? CANDLE_FIELDS.map(() => new ArrayBuffer(setCapacity(rows) * 8));
    const c = { length: 0 } as CandleColumns;
    CANDLE_FIELDS.forEach((f, k) => {
      c[f] = new Float64Array(set[k] as ArrayBuffer, 0, rows);
    });
    return c;
  }
}
