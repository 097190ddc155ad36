/**
 * Simple moving average, TA-Lib's summation order (so results are bitwise TA_SMA).
 * @see https://ta-lib.org/functions/ (SMA; src/ta_func/ta_SMA.c)
 */
import { checkOutputsApart, outputSeries } from './output-series.js';
import { checkPeriod, checkSeries, checkValue, seriesInput } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'sma';

/**
 * SMA over `close`; NaN for the first `period − 1` bars. Period 1..100000. Writes into `out`
 * (same length as `close`) when given, for callers that reuse one buffer across calls.
 */
export function sma(close: Float64Array, period = 20, out?: Float64Array): Float64Array {
  close = seriesInput(NAME, 'close', close);
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
  // The bars that do not fill a group of four go first, one at a time: run last, they would
  // reach V8's optimised loop without type feedback and throw it away (a deoptimisation per call).
  let i = period - 1;
  let t = 0;
  for (const end = i + (Math.max(n - i, 0) & 3); i < end; i++, t++) {
    const x = close[i]!;
    total += x;
    lo = x < lo ? x : lo;
    out[i] = total / period;
    total -= close[t]!;
  }
  // Then four bars per turn, each still in TA-Lib's order (add the new close, divide, drop the
  // oldest), so the sums are bitwise the same; the loop's own overhead (V8's interrupt check,
  // re-reading the arrays' bounds and base addresses) is paid once per four bars.
  for (; i < n; i += 4, t += 4) {
    const x0 = close[i]!;
    const x1 = close[i + 1]!;
    const x2 = close[i + 2]!;
    const x3 = close[i + 3]!;
    total += x0;
    out[i] = total / period;
    total -= close[t]!;
    total += x1;
    out[i + 1] = total / period;
    total -= close[t + 1]!;
    total += x2;
    out[i + 2] = total / period;
    total -= close[t + 2]!;
    total += x3;
    out[i + 3] = total / period;
    total -= close[t + 3]!;
    // One running minimum, not a tree: `x < lo` is almost never true, so its branch predicts,
    // while `x0 < x1` on a random walk is a coin toss (a tree measured 2.9× slower).
    lo = x0 < lo ? x0 : lo;
    lo = x1 < lo ? x1 : lo;
    lo = x2 < lo ? x2 : lo;
    lo = x3 < lo ? x3 : lo;
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
