/**
 * One market's book on a looped schedule, for exchanges whose book updates carry ONE sequence
 * number rising by 1 (Bitvavo `nonce`, BTCTurk `obdiff` `CS`): the book a loop starts from, the
 * recorded diffs in loop order, the derived diff that brings the book at the end of a loop back to
 * the start before loops ≥ 1, and the sequence every served diff carries. Loop 0 serves diffs
 * `base + 1 …`, each later loop its reset (when the diffs change the book at all) and then the
 * diffs again, numbered on without a hole. The replay's own code: nothing from src/connectors.
 */
import { PriceBook, type BookSideName, type Level } from './price-book.js';

/** One recorded diff: when it is due in a loop (capture ms) and its absolute level sizes. */
export interface ScheduledDiff {
  at: number;
  bids: Level[];
  asks: Level[];
}

export class LoopedBook {
  /** The book after a whole loop of diffs, before the reset. */
  readonly end: PriceBook;
  /** Absolute sizes turning `end` back into `start` (empty sides when the diffs leave the book as it was). */
  readonly reset: Record<BookSideName, Level[]>;
  readonly hasReset: boolean;

  /**
   * @param start the book a loop starts from (a recorded snapshot, or the book the diffs build)
   * @param diffs in loop order
   * @param base the sequence of `start`: loop 0's first diff carries base + 1
   * @param zero the exchange's spelling of a removed level's size
   */
  constructor(
    readonly market: string,
    readonly start: PriceBook,
    readonly diffs: readonly ScheduledDiff[],
    readonly base: number,
    zero: (side: BookSideName, level: Level) => string,
  ) {
    this.end = start.clone();
    for (const d of diffs) applyDiff(this.end, d);
    this.reset = this.end.changesTo(start, zero);
    this.hasReset = this.reset.bids.length + this.reset.asks.length > 0;
  }

  /** Sequence of the reset before loop k ≥ 1. */
  resetSequence(k: number): number {
    return this.base + this.diffs.length + (k - 1) * (this.diffs.length + (this.hasReset ? 1 : 0)) + 1;
  }

  /** Sequence of diff j in loop k. */
  sequence(k: number, j: number): number {
    if (k === 0) return this.base + j + 1;
    return this.resetSequence(k) + (this.hasReset ? 1 : 0) + j;
  }

  /**
   * The book and its sequence once every frame of loop k due at or before in-loop time t was sent
   * (for k ≥ 1 the reset is sent with the loop's first frame, and t is never before it).
   */
  at(k: number, t: number): { book: PriceBook; sequence: number; diffsApplied: number } {
    const book = k === 0 ? this.start.clone() : (this.hasReset ? this.start : this.end).clone();
    let sequence = k === 0 ? this.base : this.resetSequence(k) - (this.hasReset ? 0 : 1);
    let applied = 0;
    for (const [j, d] of this.diffs.entries()) {
      if (d.at > t) break;
      applyDiff(book, d);
      sequence = this.sequence(k, j);
      applied++;
    }
    return { book, sequence, diffsApplied: applied };
  }
}

export function applyDiff(book: PriceBook, d: { bids: readonly Level[]; asks: readonly Level[] }): void {
  book.apply('bids', d.bids);
  book.apply('asks', d.asks);
}
