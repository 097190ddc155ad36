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
  private readonly period: number;
  private readonly ring: Float64Array;
  private n = 0;
  private total = 0;
  private prevN = 0;
  private prevTotal = 0;

  constructor(period = 20) {
    checkPeriod(NAME, 'period', period, 1);
    this.period = period;
    this.warmup = period - 1;
    this.ring = new Float64Array(period);
  }

  update(close: number): number {
    checkValue(NAME, 'close', close, this.n);
    this.prevN = this.n;
    this.prevTotal = this.total;
    return this.step(close);
  }

  replace(close: number): number {
    if (this.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.n - 1);
    this.n = this.prevN;
    this.total = this.prevTotal;
    return this.step(close);
  }

  private step(x: number): number {
    const p = this.period;
    const n = this.n++;
    // The ring holds the last p closes; slot n % p is bar n, and bar n−p+1 is the one leaving the window.
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
