/**
 * Williams %R: −100·(highest high − close)/(highest high − lowest low) over `period` bars;
 * 0 when the window's range is 0, as TA-Lib.
 * @see https://ta-lib.org/functions/ (WILLR; src/ta_func/ta_WILLR.c)
 */
import { nanOutput } from './output-series.js';
import { barsInput, checkBar, checkBars, checkPeriod, HLC } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'willr';

function value(hh: number, ll: number, c: number): number {
  // TA-Lib divides by (hh − ll)/−100 rather than multiplying by −100: kept for identical rounding.
  const diff = (hh - ll) / -100;
  return diff !== 0 ? (hh - c) / diff : 0;
}

/** %R over high/low/close; NaN for the first `period − 1` bars. Period 2..100000. Writes into `out` when given. */
export function willr(bars: Bars, period = 14, out?: Float64Array): Float64Array {
  bars = barsInput(NAME, bars, HLC);
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

/**
 * Streaming {@link willr}, with the batch loop's scheme: the window's extremes and where they are,
 * rescanning the ring only when an extreme leaves the window (a scan per update cost ~110 ns).
 */
export class WillrStream implements Streaming<Bar, number> {
  readonly warmup: number;
  private readonly period: number;
  private readonly highs: Float64Array;
  private readonly lows: Float64Array;
  private n = 0;
  /** Highest high of the window and its bar index (−1: none yet); the same for the lowest low. */
  private hh = -Infinity;
  private hi = -1;
  private ll = Infinity;
  private li = -1;
  // The four before the latest bar, for `replace`.
  private pHh = -Infinity;
  private pHi = -1;
  private pLl = Infinity;
  private pLi = -1;

  constructor(period = 14) {
    checkPeriod(NAME, 'period', period, 2);
    this.period = period;
    this.warmup = period - 1;
    this.highs = new Float64Array(period);
    this.lows = new Float64Array(period);
  }

  update(bar: Bar): number {
    checkBar(NAME, bar, this.n);
    this.pHh = this.hh;
    this.pHi = this.hi;
    this.pLl = this.ll;
    this.pLi = this.li;
    return this.step(bar);
  }

  replace(bar: Bar): number {
    if (this.n === 0) return this.update(bar);
    checkBar(NAME, bar, this.n - 1);
    this.n--;
    this.hh = this.pHh;
    this.hi = this.pHi;
    this.ll = this.pLl;
    this.li = this.pLi;
    return this.step(bar);
  }

  private step(bar: Bar): number {
    const p = this.period;
    const i = this.n++;
    const slot = i % p;
    const h = bar.high;
    const l = bar.low;
    this.highs[slot] = h;
    this.lows[slot] = l;
    // The window is bars t..i; before it is full, everything seen so far.
    const t = i - p + 1;
    if (this.hi < t) this.rescanHigh(t, i);
    else if (h >= this.hh) {
      this.hh = h;
      this.hi = i;
    }
    if (this.li < t) this.rescanLow(t, i);
    else if (l <= this.ll) {
      this.ll = l;
      this.li = i;
    }
    return i < p - 1 ? NaN : value(this.hh, this.ll, bar.close);
  }

  /** Highest high of bars max(t, 0)..i from the ring (the latest at the highest index on ties). */
  private rescanHigh(t: number, i: number): void {
    const p = this.period;
    let k = t < 0 ? 0 : t;
    let hh = this.highs[k % p]!;
    let hi = k;
    for (k++; k <= i; k++) {
      const x = this.highs[k % p]!;
      if (x >= hh) {
        hh = x;
        hi = k;
      }
    }
    this.hh = hh;
    this.hi = hi;
  }

  private rescanLow(t: number, i: number): void {
    const p = this.period;
    let k = t < 0 ? 0 : t;
    let ll = this.lows[k % p]!;
    let li = k;
    for (k++; k <= i; k++) {
      const x = this.lows[k % p]!;
      if (x <= ll) {
        ll = x;
        li = k;
      }
    }
    this.ll = ll;
    this.li = li;
  }
}
