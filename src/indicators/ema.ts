/**
 * Exponential moving average with TA-Lib's default (CLASSIC) seeding: the first value is the SMA
 * of the first `period` closes, at index period − 1; then ema += (x − ema)·k, k = 2/(period+1).
 * TradingView `ta.ema`, Tulip and TA-Lib's Metastock mode seed with the first close instead
 * (docs/INDICATORS.md); values converge after a few times `period` bars.
 * @see https://ta-lib.org/functions/ (EMA; src/ta_func/ta_EMA.c)
 */
import { checkOutputsApart, outputSeries } from './output-series.js';
import { checkPeriod, checkValue, rejectValue, seriesInput } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'ema';

/**
 * TA-Lib's INT_EMA over `src[from..]` into `out` (same indices): seed = mean of
 * src[from .. from+period−1]. Inputs are trusted (already validated). Returns the first output index.
 */
export function emaInto(src: Float64Array, from: number, period: number, k: number, out: Float64Array): number {
  const n = src.length;
  const first = from + period - 1;
  if (first >= n) return n;
  let sum = 0;
  for (let i = from; i <= first; i++) sum += src[i]!;
  let prev = sum / period;
  out[first] = prev;
  for (let i = first + 1; i < n; i++) {
    prev = (src[i]! - prev) * k + prev;
    out[i] = prev;
  }
  return first;
}

/** EMA over `close`; NaN for the first `period − 1` bars. Period 1..100000. Writes into `out` when given. */
export function ema(close: Float64Array, period = 20, out?: Float64Array): Float64Array {
  close = seriesInput(NAME, 'close', close);
  checkPeriod(NAME, 'period', period, 1);
  const n = close.length;
  // The loops live in their own function: merging the caller's `out` with a fresh array in one
  // function made V8's optimised loop ~2.5× slower once both kinds of call had been seen.
  if (out === undefined) return emaLoop(close, period, outputSeries(n, period - 1));
  checkOutputsApart(NAME, [outputSeries(n, period - 1, out, NAME)], [close]);
  return emaLoop(close, period, out);
}

function emaLoop(close: Float64Array, period: number, out: Float64Array): Float64Array {
  const n = close.length;
  // emaInto's operations, with each close checked as it is read instead of in a pass of its own.
  const seed = Math.min(period, n);
  let sum = 0;
  for (let i = 0; i < seed; i++) {
    const x = close[i]!;
    if (!(x >= 0 && x < Infinity)) rejectValue(NAME, 'close', i, x);
    sum += x;
  }
  if (n < period) return out;
  const k = 2 / (period + 1);
  let prev = sum / period;
  out[period - 1] = prev;
  for (let i = period; i < n; i++) {
    const x = close[i]!;
    if (!(x >= 0 && x < Infinity)) rejectValue(NAME, 'close', i, x);
    prev = (x - prev) * k + prev;
    out[i] = prev;
  }
  return out;
}

/**
 * The EMA recurrence one value at a time, SMA-seeded over the first `period` values. Not
 * validated: the building block of EmaStream, DEMA, TEMA and MACD streams.
 */
export class EmaState {
  readonly period: number;
  readonly k: number;
  n = 0;
  value = NaN;
  private sum = 0;

  constructor(period: number, k = 2 / (period + 1)) {
    this.period = period;
    this.k = k;
  }

  /** Advances by one value; returns the EMA or NaN during the seed. */
  next(x: number): number {
    const n = this.n++;
    if (n >= this.period) return (this.value = (x - this.value) * this.k + this.value);
    this.sum += x;
    if (n === this.period - 1) this.value = this.sum / this.period;
    return this.value;
  }

  copyFrom(o: EmaState): void {
    this.n = o.n;
    this.value = o.value;
    this.sum = o.sum;
  }
}

/** Streaming {@link ema}. */
export class EmaStream implements Streaming<number, number> {
  readonly warmup: number;
  private readonly cur: EmaState;
  private readonly prev: EmaState;

  constructor(period = 20) {
    checkPeriod(NAME, 'period', period, 1);
    this.warmup = period - 1;
    this.cur = new EmaState(period);
    this.prev = new EmaState(period);
  }

  update(close: number): number {
    checkValue(NAME, 'close', close, this.cur.n);
    this.prev.copyFrom(this.cur);
    return this.cur.next(close);
  }

  replace(close: number): number {
    if (this.cur.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.cur.n - 1);
    this.cur.copyFrom(this.prev);
    return this.cur.next(close);
  }
}
