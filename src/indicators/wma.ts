/**
 * Linearly weighted moving average (weights 1..period, newest heaviest), with TA-Lib's running
 * sum / running-subtraction update.
 * @see https://ta-lib.org/functions/ (WMA; src/ta_func/ta_WMA.c)
 */
import { nanOutput } from './output-series.js';
import { checkPeriod, checkSeries, checkValue, seriesInput } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'wma';

/** WMA over `close`; NaN for the first `period − 1` bars. Period 1..100000. Writes into `out` when given. */
export function wma(close: Float64Array, period = 20, out?: Float64Array): Float64Array {
  close = seriesInput(NAME, 'close', close);
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  return wmaLoop(close, period, nanOutput(NAME, close.length, out, [close]));
}

function wmaLoop(close: Float64Array, period: number, out: Float64Array): Float64Array {
  checkPeriod(NAME, 'period', period, 1);
  checkSeries(NAME, 'close', close);
  const n = close.length;
  if (n < period) return out;
  const divider = (period * (period + 1)) / 2;
  let sum = 0;
  let sub = 0;
  for (let i = 0; i < period - 1; i++) {
    const x = close[i]!;
    sub += x;
    sum += x * (i + 1);
  }
  let trailing = 0;
  for (let i = period - 1, t = 0; i < n; i++, t++) {
    const x = close[i]!;
    sub += x;
    sub -= trailing;
    sum += x * period;
    trailing = close[t]!;
    out[i] = sum / divider;
    sum -= sub;
  }
  return out;
}

/** Streaming {@link wma}. */
export class WmaStream implements Streaming<number, number> {
  readonly warmup: number;
  private readonly period: number;
  private readonly divider: number;
  private readonly ring: Float64Array;
  private n = 0;
  private sum = 0;
  private sub = 0;
  private trailing = 0;
  private pN = 0;
  private pSum = 0;
  private pSub = 0;
  private pTrailing = 0;

  constructor(period = 20) {
    checkPeriod(NAME, 'period', period, 1);
    this.period = period;
    this.warmup = period - 1;
    this.divider = (period * (period + 1)) / 2;
    this.ring = new Float64Array(period);
  }

  update(close: number): number {
    checkValue(NAME, 'close', close, this.n);
    this.pN = this.n;
    this.pSum = this.sum;
    this.pSub = this.sub;
    this.pTrailing = this.trailing;
    return this.step(close);
  }

  replace(close: number): number {
    if (this.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.n - 1);
    this.n = this.pN;
    this.sum = this.pSum;
    this.sub = this.pSub;
    this.trailing = this.pTrailing;
    return this.step(close);
  }

  private step(x: number): number {
    const p = this.period;
    const n = this.n++;
    this.ring[n % p] = x;
    if (n < p - 1) {
      this.sub += x;
      this.sum += x * (n + 1);
      return NaN;
    }
    this.sub += x;
    this.sub -= this.trailing;
    this.sum += x * p;
    this.trailing = this.ring[(n + 1) % p]!;
    const out = this.sum / this.divider;
    this.sum -= this.sub;
    return out;
  }
}
