/**
 * Commodity channel index (Lambert): (tp − SMA(tp))/(0.015 · mean absolute deviation of tp)
 * over `period` bars, tp = (high + low + close)/3; 0 when either the numerator or the deviation
 * is 0, as TA-Lib. TA-Lib sums the window in ring-slot order (slot = bar % period), not bar
 * order; both faces here do the same, so they agree bitwise and with TA-Lib to rounding.
 * @see https://ta-lib.org/functions/ (CCI; src/ta_func/ta_CCI.c)
 */
import { nanOutput } from './output-series.js';
import { barsInput, checkBar, checkBars, checkPeriod, HLC } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'cci';

/** CCI of the typical prices in `ring` (the whole window), the newest being `last`. */
function cciOf(ring: Float64Array, period: number, last: number): number {
  let avg = 0;
  for (let j = 0; j < period; j++) avg += ring[j]!;
  avg /= period;
  let dev = 0;
  for (let j = 0; j < period; j++) dev += Math.abs(ring[j]! - avg);
  const num = last - avg;
  return num !== 0.0 && dev !== 0.0 ? num / (0.015 * (dev / period)) : 0.0;
}

/**
 * CCI over high/low/close; NaN for the first `period − 1` bars. Period 2..100000, as TA-Lib.
 * Writes into `out` when given.
 */
export function cci(bars: Bars, period = 20, out?: Float64Array): Float64Array {
  bars = barsInput(NAME, bars, HLC);
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  return cciLoop(bars, period, nanOutput(NAME, bars.close.length, out, [bars.high, bars.low, bars.close]));
}

function cciLoop(bars: Bars, period: number, out: Float64Array): Float64Array {
  checkPeriod(NAME, 'period', period, 2);
  checkBars(NAME, bars);
  const { high, low, close } = bars;
  const n = close.length;
  const ring = new Float64Array(period);
  for (let i = 0, slot = 0; i < n; i++) {
    const tp = (high[i]! + low[i]! + close[i]!) / 3;
    ring[slot] = tp;
    if (i >= period - 1) out[i] = cciOf(ring, period, tp);
    if (++slot === period) slot = 0;
  }
  return out;
}

/** Streaming {@link cci}: O(period) per bar, like the batch form. */
export class CciStream implements Streaming<Bar, number> {
  readonly warmup: number;
  private readonly period: number;
  private readonly ring: Float64Array;
  private n = 0;

  constructor(period = 20) {
    checkPeriod(NAME, 'period', period, 2);
    this.period = period;
    this.warmup = period - 1;
    this.ring = new Float64Array(period);
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
    const n = this.n++;
    const tp = (bar.high + bar.low + bar.close) / 3;
    this.ring[n % this.period] = tp;
    return n < this.period - 1 ? NaN : cciOf(this.ring, this.period, tp);
  }
}
