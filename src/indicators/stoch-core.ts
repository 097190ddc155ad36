/**
 * Building blocks shared by the stochastic oscillators (STOCH, STOCHRSI): TA-Lib's raw %K over a
 * rolling high/low window and TA-Lib's running-sum SMA, each as a batch loop and as a streaming
 * state. Not validated: callers check their input first.
 * @see https://ta-lib.org/functions/ (STOCH, STOCHF; src/ta_func/ta_STOCHF.c, ta_SMA.c)
 */

/**
 * Raw %K = 100·(close − lowest low)/(highest high − lowest low) over `period` bars, 0 when the
 * range is 0; evaluated as (close − ll)/((hh − ll)/100), TA-Lib's rounding. Writes bars
 * from + period − 1 .. n − 1 of `out`, tracking the extremes by index so a bar is rescanned only
 * when its extreme leaves the window (amortised O(1) on trending data).
 */
export function fastKInto(high: Float64Array, low: Float64Array, close: Float64Array, from: number, period: number, out: Float64Array): void {
  const n = close.length;
  let lowestIdx = -1;
  let highestIdx = -1;
  let lowest = 0.0;
  let highest = 0.0;
  for (let today = from + period - 1, trailing = from; today < n; today++, trailing++) {
    const l = low[today]!;
    if (lowestIdx < trailing) {
      lowestIdx = trailing;
      lowest = low[trailing]!;
      for (let i = trailing + 1; i <= today; i++) {
        if (low[i]! < lowest) {
          lowestIdx = i;
          lowest = low[i]!;
        }
      }
    } else if (l <= lowest) {
      lowestIdx = today;
      lowest = l;
    }
    const h = high[today]!;
    if (highestIdx < trailing) {
      highestIdx = trailing;
      highest = high[trailing]!;
      for (let i = trailing + 1; i <= today; i++) {
        if (high[i]! > highest) {
          highestIdx = i;
          highest = high[i]!;
        }
      }
    } else if (h >= highest) {
      highestIdx = today;
      highest = h;
    }
    const diff = (highest - lowest) / 100.0;
    out[today] = diff !== 0.0 ? (close[today]! - lowest) / diff : 0.0;
  }
}

/**
 * TA-Lib's SMA over src[from..] into out (same indices): a running total, add the new value,
 * divide, drop the oldest. Writes from + period − 1 .. n − 1.
 */
export function smaInto(src: Float64Array, from: number, period: number, out: Float64Array): void {
  const n = src.length;
  let total = 0;
  let i = from;
  for (; i < from + period - 1 && i < n; i++) total += src[i]!;
  for (let t = from; i < n; i++, t++) {
    total += src[i]!;
    out[i] = total / period;
    total -= src[t]!;
  }
}

/** Streaming raw %K: the last `period` highs and lows in a ring, scanned per bar. */
export class FastKState {
  readonly period: number;
  n = 0;
  private readonly highs: Float64Array;
  private readonly lows: Float64Array;

  constructor(period: number) {
    this.period = period;
    this.highs = new Float64Array(period);
    this.lows = new Float64Array(period);
  }

  /** Advances by one bar; NaN until `period` bars are in. Rewind with `n--` to redo a bar. */
  next(high: number, low: number, close: number): number {
    const p = this.period;
    const n = this.n++;
    this.highs[n % p] = high;
    this.lows[n % p] = low;
    if (n < p - 1) return NaN;
    let hh = high;
    let ll = low;
    for (let j = 0; j < p; j++) {
      if (this.highs[j]! > hh) hh = this.highs[j]!;
      if (this.lows[j]! < ll) ll = this.lows[j]!;
    }
    const diff = (hh - ll) / 100.0;
    return diff !== 0.0 ? (close - ll) / diff : 0.0;
  }
}
