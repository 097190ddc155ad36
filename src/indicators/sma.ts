/**
 * Simple moving average, TA-Lib's summation order (so results are bitwise TA_SMA).
 * @see https://ta-lib.org/functions/ (SMA; src/ta_func/ta_SMA.c)
 */
import { checkOutputsApart, outputSeries } from './output-series.js';
import { checkPeriod, checkSeries, checkValue } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'sma';

/**
 * SMA over `close`; NaN for the first `period − 1` bars. Period 1..100000. Writes into `out`
 * (same length as `close`) when given, for callers that reuse one buffer across calls.
 */
export function sma(close: Float64Array, period = 20, out?: Float64Array): Float64Array {
  checkPeriod(NAME, 'period', period, 1);
  const n = close.length;
  const warm = Math.min(period - 1, n);
  // The loops live in their own function: merging the caller's `out` with a fresh array in one
  // function made V8's optimised loop ~2.5× slower once both kinds of call had been seen.
  if (out === undefined) return smaLoop(close, period, outputSeries(n, warm), warm);
  checkOutputsApart(NAME, [outputSeries(n, warm, out, NAME)], [close]);
  return smaLoop(close, period, out, warm);
}

function smaLoop(close: Float64Array, period: number, out: Float64Array, warm: number): Float64Array {
  const n = close.length;
  // Validation without a branch per bar (a branch cost ~60 % of the loop): a negative close lowers
  // `lo`, and a NaN or ±Infinity leaves `total` non-finite for good (NaN − x and ∞ − ∞ are NaN),
  // so one test after the loop catches every bad close; checkSeries then names the first one.
  let total = 0;
  let lo = Infinity;
  for (let i = 0; i < warm; i++) {
    const x = close[i]!;
    total += x;
    lo = x < lo ? x : lo;
  }
  for (let i = period - 1, t = 0; i < n; i++, t++) {
    const x = close[i]!;
    total += x;
    lo = x < lo ? x : lo;
    out[i] = total / period;
    total -= close[t]!;
  }
  if (!(lo >= 0) || total - total !== 0) checkSeries(NAME, 'close', close);
  return out;
}

/** Streaming {@link sma}: one close at a time; `replace` revises the forming bar. */
export class SmaStream implements Streaming<number, number> {
  readonly warmup: number;
  private readonly state: SmaState;

  constructor(period = 20) {
    checkPeriod(NAME, 'period', period, 1);
    this.warmup = period - 1;
    this.state = new SmaState(period);
  }

  update(close: number): number {
    checkValue(NAME, 'close', close, this.state.n);
    this.state.save();
    return this.state.next(close);
  }

  replace(close: number): number {
    if (this.state.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.state.n - 1);
    this.state.restore();
    return this.state.next(close);
  }
}

/**
 * The running SMA behind {@link SmaStream} and the stochastics' smoothing: the same operations in
 * the same order as the batch loops, so bitwise equal, with a one-step undo for `replace`.
 */
export class SmaState {
  readonly period: number;
  n = 0;
  private total = 0;
  private pN = 0;
  private pTotal = 0;
  private readonly ring: Float64Array;

  constructor(period: number) {
    this.period = period;
    this.ring = new Float64Array(period);
  }

  /** Remembers the state so {@link restore} can undo the next `next`. */
  save(): void {
    this.pN = this.n;
    this.pTotal = this.total;
  }

  /** Undoes every `next` since the last {@link save} (the ring slot is simply rewritten). */
  restore(): void {
    this.n = this.pN;
    this.total = this.pTotal;
  }

  /** Advances by one value; NaN until `period` values are in. */
  next(x: number): number {
    const p = this.period;
    const n = this.n++;
    this.ring[n % p] = x;
    if (n < p - 1) {
      this.total += x;
      return NaN;
    }
    const total = this.total + x;
    this.total = total - this.ring[(n + 1) % p]!;
    return total / p;
  }
}
