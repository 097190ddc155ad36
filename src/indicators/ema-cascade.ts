/**
 * A chain of EMAs, each fed the previous one's output (DEMA's two, TEMA's three), with the
 * one-bar undo that streams need for `replace`.
 */
import { EmaState } from './ema.js';

export class EmaCascade {
  /** Each level's EMA after the last full step. */
  readonly levels: Float64Array;
  private readonly cur: EmaState[];
  private readonly prev: EmaState[];

  constructor(period: number, depth: number) {
    this.levels = new Float64Array(depth);
    this.cur = Array.from({ length: depth }, () => new EmaState(period));
    this.prev = Array.from({ length: depth }, () => new EmaState(period));
  }

  /** Remembers the state before a new bar, for a later `restore`. */
  save(): void {
    for (let i = 0; i < this.cur.length; i++) this.prev[i]!.copyFrom(this.cur[i]!);
  }

  /** Goes back to the state saved before the last bar. */
  restore(): void {
    for (let i = 0; i < this.cur.length; i++) this.cur[i]!.copyFrom(this.prev[i]!);
  }

  /** Feeds `x` down the chain; true when every level has a value (then read `levels`). */
  step(x: number): boolean {
    let v = x;
    for (let i = 0; i < this.cur.length; i++) {
      v = this.cur[i]!.next(v);
      if (Number.isNaN(v)) return false;
      this.levels[i] = v;
    }
    return true;
  }
}

/**
 * Each level's EMA after bar depth·(period − 1) of `close` (which must be longer than that), the
 * first bar where every level has a value: the seeding that batch DEMA and TEMA share with their
 * streams, so that the batch loops can carry on from it in local variables.
 */
export function cascadeSeed(close: Float64Array, period: number, depth: number): Float64Array {
  const chain = new EmaCascade(period, depth);
  const last = depth * (period - 1);
  for (let i = 0; i <= last; i++) chain.step(close[i]!);
  return chain.levels;
}
