/**
 * Williams %R: −100·(highest high − close)/(highest high − lowest low) over `period` bars;
 * 0 when the window's range is 0, as TA-Lib.
 * @see https://ta-lib.org/functions/ (WILLR; src/ta_func/ta_WILLR.c)
 */
import { nanOutput } from './output-series.js';
import { checkBar, checkBars, checkPeriod } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'willr';

function value(hh: number, ll: number, c: number): number {
  // TA-Lib divides by (hh − ll)/−100 rather than multiplying by −100: kept for identical rounding.
  const diff = (hh - ll) / -100;
  return diff !== 0 ? (hh - c) / diff : 0;
}

/** %R over high/low/close; NaN for the first `period − 1` bars. Period 2..100000. Writes into `out` when given. */
export function willr(bars: Bars, period = 14, out?: Float64Array): Float64Array {
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  return willrLoop(bars, period, nanOutput(NAME, bars.close.length, out, [bars.high, bars.low, bars.close]));
}

function willrLoop(bars: Bars, period: number, out: Float64Array): Float64Array {
  checkPeriod(NAME, 'period', period, 2);
  checkBars(NAME, bars);
  const { high, low, close } = bars;
  const n = close.length;
  // TA-Lib's scheme: remember where the window's extreme is and rescan only when it leaves the
  // window; a full rescan per bar made this ~10× slower than TA_WILLR. Same extremes, same output.
  let hi = -1;
  let li = -1;
  let hh = 0;
  let ll = 0;
  for (let i = period - 1, t = 0; i < n; i++, t++) {
    const h = high[i]!;
    const l = low[i]!;
    if (hi < t) {
      hi = t;
      hh = high[t]!;
      for (let j = t + 1; j <= i; j++) {
        const x = high[j]!;
        if (x >= hh) {
          hh = x;
          hi = j;
        }
      }
    } else if (h >= hh) {
      hi = i;
      hh = h;
    }
    if (li < t) {
      li = t;
      ll = low[t]!;
      for (let j = t + 1; j <= i; j++) {
        const x = low[j]!;
        if (x <= ll) {
          ll = x;
          li = j;
        }
      }
    } else if (l <= ll) {
      li = i;
      ll = l;
    }
    out[i] = value(hh, ll, close[i]!);
  }
  return out;
}

/** Streaming {@link willr}. */
export class WillrStream implements Streaming<Bar, number> {
  readonly warmup: number;
  private readonly period: number;
  private readonly highs: Float64Array;
  private readonly lows: Float64Array;
  private n = 0;

  constructor(period = 14) {
    checkPeriod(NAME, 'period', period, 2);
    this.period = period;
    this.warmup = period - 1;
    this.highs = new Float64Array(period);
    this.lows = new Float64Array(period);
  }

  update(bar: Bar): number {
    checkBar(NAME, bar, this.n);
    return this.step(bar);
  }

  replace(bar: Bar): number {
    if (this.n === 0) return this.update(bar);
    checkBar(NAME, bar, this.n - 1);
    this.n--;
    return this.step(bar);
  }

  private step(bar: Bar): number {
    const p = this.period;
    const n = this.n++;
    this.highs[n % p] = bar.high;
    this.lows[n % p] = bar.low;
    if (n < p - 1) return NaN;
    let hh = bar.high;
    let ll = bar.low;
    for (let j = 0; j < p; j++) {
      if (this.highs[j]! > hh) hh = this.highs[j]!;
      if (this.lows[j]! < ll) ll = this.lows[j]!;
    }
    return value(hh, ll, bar.close);
  }
}
