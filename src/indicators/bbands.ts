/**
 * Bollinger Bands over an SMA, TA-Lib's BBANDS with MA type SMA: population standard deviation
 * from the running sum of squares, 0 where the variance is ≤ 1e-14 (TA_IS_ZERO_OR_NEG).
 * @see https://ta-lib.org/functions/ (BBANDS; src/ta_func/ta_BBANDS.c, ta_STDDEV.c)
 */
import { checkOutputsApart, outputSeries } from './output-series.js';
import { checkNumber, checkPeriod, checkValue, rejectValue, seriesInput } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'bbands';
const EPS = 1e-14;

/** Upper, middle (SMA) and lower band. */
export interface BollingerBands {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

function checkParams(period: number, devUp: number, devDown: number): void {
  checkPeriod(NAME, 'period', period, 2);
  checkNumber(NAME, 'devUp', devUp, -3e37, 3e37);
  checkNumber(NAME, 'devDown', devDown, -3e37, 3e37);
}

/**
 * Bands = SMA ± dev·σ over `period` closes; NaN for the first `period − 1` bars. Writes into the
 * three arrays of `out` when given (and returns `out`).
 */
export function bbands(close: Float64Array, period = 20, devUp = 2, devDown = 2, out?: BollingerBands): BollingerBands {
  close = seriesInput(NAME, 'close', close);
  checkParams(period, devUp, devDown);
  const n = close.length;
  // The loops live in their own function: merging the caller's `out` with fresh arrays in one
  // function made V8's optimised loop ~2.5× slower once both kinds of call had been seen.
  if (out === undefined) {
    const w = period - 1;
    return bbandsLoop(close, period, devUp, devDown, { upper: outputSeries(n, w), middle: outputSeries(n, w), lower: outputSeries(n, w) });
  }
  const bands = {
    upper: outputSeries(n, period - 1, out, NAME, 'upper'),
    middle: outputSeries(n, period - 1, out, NAME, 'middle'),
    lower: outputSeries(n, period - 1, out, NAME, 'lower'),
  };
  checkOutputsApart(NAME, [bands.upper, bands.middle, bands.lower], [close]);
  bbandsLoop(close, period, devUp, devDown, bands);
  return out;
}

function bbandsLoop(close: Float64Array, period: number, devUp: number, devDown: number, bands: BollingerBands): BollingerBands {
  const n = close.length;
  const { upper, middle, lower } = bands;
  // Each close is checked as it enters the window, not in a pass of its own.
  const warm = Math.min(period - 1, n);
  let s1 = 0;
  let s2 = 0;
  for (let i = 0; i < warm; i++) {
    const x = close[i]!;
    if (!(x >= 0 && x < Infinity)) rejectValue(NAME, 'close', i, x);
    s1 += x;
    s2 += x * x;
  }
  for (let i = period - 1, t = 0; i < n; i++, t++) {
    const x = close[i]!;
    if (!(x >= 0 && x < Infinity)) rejectValue(NAME, 'close', i, x);
    s1 += x;
    s2 += x * x;
    // TA-Lib keeps the SMA sum and the sum of squares as separate running totals, in this order.
    const mid = s1 / period;
    const v = s2 / period - mid * mid;
    const y = close[t]!;
    s1 -= y;
    s2 -= y * y;
    const sd = v < EPS ? 0 : Math.sqrt(v);
    middle[i] = mid;
    upper[i] = mid + sd * devUp;
    lower[i] = mid - sd * devDown;
  }
  return bands;
}

/** One streaming output; the same object is returned (and overwritten) on every call. */
export interface BollingerValue {
  upper: number;
  middle: number;
  lower: number;
}

/** Streaming {@link bbands}. */
export class BbandsStream implements Streaming<number, BollingerValue> {
  readonly warmup: number;
  private readonly period: number;
  private readonly devUp: number;
  private readonly devDown: number;
  private readonly ring: Float64Array;
  private readonly out: BollingerValue = { upper: NaN, middle: NaN, lower: NaN };
  private n = 0;
  private s1 = 0;
  private s2 = 0;
  private pN = 0;
  private pS1 = 0;
  private pS2 = 0;

  constructor(period = 20, devUp = 2, devDown = 2) {
    checkParams(period, devUp, devDown);
    this.period = period;
    this.devUp = devUp;
    this.devDown = devDown;
    this.warmup = period - 1;
    this.ring = new Float64Array(period);
  }

  update(close: number): BollingerValue {
    checkValue(NAME, 'close', close, this.n);
    this.pN = this.n;
    this.pS1 = this.s1;
    this.pS2 = this.s2;
    return this.step(close);
  }

  replace(close: number): BollingerValue {
    if (this.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.n - 1);
    this.n = this.pN;
    this.s1 = this.pS1;
    this.s2 = this.pS2;
    return this.step(close);
  }

  private step(x: number): BollingerValue {
    const p = this.period;
    const n = this.n++;
    const o = this.out;
    this.ring[n % p] = x;
    const s1 = this.s1 + x;
    const s2 = this.s2 + x * x;
    if (n < p - 1) {
      this.s1 = s1;
      this.s2 = s2;
      o.upper = o.middle = o.lower = NaN;
      return o;
    }
    const mid = s1 / p;
    const v = s2 / p - mid * mid;
    const y = this.ring[(n + 1) % p]!;
    this.s1 = s1 - y;
    this.s2 = s2 - y * y;
    const sd = v < EPS ? 0 : Math.sqrt(v);
    o.middle = mid;
    o.upper = mid + sd * this.devUp;
    o.lower = mid - sd * this.devDown;
    return o;
  }
}
