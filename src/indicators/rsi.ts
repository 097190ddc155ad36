/**
 * Wilder's RSI with TA-Lib's seeding: average gain/loss start as the simple mean of the first
 * `period` moves (first output at index `period`), then Wilder smoothing
 * avg = (avg·(period−1) + move)/period. Where avgGain + avgLoss is 0 (flat input) the RSI is 0,
 * as in TA-Lib (others give 50, 100 or NaN). Unstable period 0, no Metastock mode.
 * @see https://ta-lib.org/functions/ (RSI; src/ta_func/ta_RSI.c)
 */
import { checkOutputsApart, outputSeries } from './output-series.js';
import { checkPeriod, checkValue, rejectValue, seriesInput } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'rsi';
/** TA_IS_ZERO: TA-Lib treats |gain + loss| below this as zero. */
const EPS = 1e-14;

/** RSI over `close`; NaN for the first `period` bars. Period 2..100000. Writes into `out` when given. */
export function rsi(close: Float64Array, period = 14, out?: Float64Array): Float64Array {
  close = seriesInput(NAME, 'close', close);
  checkPeriod(NAME, 'period', period, 2);
  const n = close.length;
  // The loops live in their own function: merging the caller's `out` with a fresh array in one
  // function made V8's optimised loop ~2.5× slower once both kinds of call had been seen.
  if (out === undefined) return rsiLoop(close, period, outputSeries(n, period));
  checkOutputsApart(NAME, [outputSeries(n, period, out, NAME)], [close]);
  return rsiLoop(close, period, out);
}

function rsiLoop(close: Float64Array, period: number, out: Float64Array): Float64Array {
  const n = close.length;
  // Each close is checked as it is read, not in a pass of its own.
  let gain = 0;
  let loss = 0;
  let prev = close[0]!;
  if (n > 0 && !(prev >= 0 && prev < Infinity)) rejectValue(NAME, 'close', 0, prev);
  const seedEnd = Math.min(period, n - 1);
  for (let i = 1; i <= seedEnd; i++) {
    const x = close[i]!;
    if (!(x >= 0 && x < Infinity)) rejectValue(NAME, 'close', i, x);
    const d = x - prev;
    prev = x;
    if (d < 0) loss -= d;
    else gain += d;
  }
  if (n <= period) return out;
  loss /= period;
  gain /= period;
  let s = gain + loss;
  out[period] = s > -EPS && s < EPS ? 0 : 100 * (gain / s);
  const m = period - 1;
  for (let i = period + 1; i < n; i++) {
    const x = close[i]!;
    if (!(x >= 0 && x < Infinity)) rejectValue(NAME, 'close', i, x);
    const d = x - prev;
    prev = x;
    loss *= m;
    gain *= m;
    if (d < 0) loss -= d;
    else gain += d;
    loss /= period;
    gain /= period;
    s = gain + loss;
    out[i] = s > -EPS && s < EPS ? 0 : 100 * (gain / s);
  }
  return out;
}

/** Streaming {@link rsi}: same operations in the same order, so bitwise equal to the batch form. */
export class RsiStream implements Streaming<number, number> {
  readonly warmup: number;
  private readonly period: number;
  private n = 0;
  private last = 0;
  private gain = 0;
  private loss = 0;
  private pN = 0;
  private pLast = 0;
  private pGain = 0;
  private pLoss = 0;

  constructor(period = 14) {
    checkPeriod(NAME, 'period', period, 2);
    this.period = period;
    this.warmup = period;
  }

  update(close: number): number {
    checkValue(NAME, 'close', close, this.n);
    this.pN = this.n;
    this.pLast = this.last;
    this.pGain = this.gain;
    this.pLoss = this.loss;
    return this.step(close);
  }

  replace(close: number): number {
    if (this.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.n - 1);
    this.n = this.pN;
    this.last = this.pLast;
    this.gain = this.pGain;
    this.loss = this.pLoss;
    return this.step(close);
  }

  private step(x: number): number {
    const n = this.n++;
    const p = this.period;
    const d = x - this.last;
    this.last = x;
    if (n === 0) return NaN;
    let gain = this.gain;
    let loss = this.loss;
    if (n > p) {
      loss *= p - 1;
      gain *= p - 1;
    }
    if (d < 0) loss -= d;
    else gain += d;
    if (n < p) {
      this.gain = gain;
      this.loss = loss;
      return NaN;
    }
    loss /= p;
    gain /= p;
    this.gain = gain;
    this.loss = loss;
    const s = gain + loss;
    return s > -EPS && s < EPS ? 0 : 100 * (gain / s);
  }
}
