/**
 * Donchian channel: highest high and lowest low of the last `period` bars (including the
 * current one), middle = (upper + lower)/2. TA-Lib has no Donchian; this is the common
 * definition (bukosabino `ta` DonchianChannel, TradingView `ta.highest`/`ta.lowest`).
 * @see https://www.tradingview.com/support/solutions/43000502253-donchian-channels-dc/
 */
import { checkOutputsApart, nanOutputField } from './output-series.js';
import { barsInput, checkBar, checkBars, checkPeriod, HLC } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'donchian';

/** Upper, middle and lower Donchian lines. */
export interface DonchianChannel {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

/**
 * Donchian channel over high/low; NaN for the first `period − 1` bars. Period 1..100000.
 * Writes into the arrays of `out` (and returns it) when given.
 */
export function donchian(bars: Bars, period = 20, out?: DonchianChannel): DonchianChannel {
  bars = barsInput(NAME, bars, HLC);
  const n = bars.close.length;
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const res = {
    upper: nanOutputField(NAME, n, out, 'upper'),
    middle: nanOutputField(NAME, n, out, 'middle'),
    lower: nanOutputField(NAME, n, out, 'lower'),
  };
  if (out !== undefined) checkOutputsApart(NAME, [res.upper, res.middle, res.lower], [bars.high, bars.low, bars.close]);
  donchianLoop(bars, period, res);
  return out ?? res;
}

function donchianLoop(bars: Bars, period: number, res: DonchianChannel): DonchianChannel {
  checkPeriod(NAME, 'period', period, 1);
  checkBars(NAME, bars);
  const { high, low } = bars;
  const n = high.length;
  const { upper, middle, lower } = res;
  for (let i = period - 1; i < n; i++) {
    let hh = high[i]!;
    let ll = low[i]!;
    for (let j = i - period + 1; j < i; j++) {
      if (high[j]! > hh) hh = high[j]!;
      if (low[j]! < ll) ll = low[j]!;
    }
    upper[i] = hh;
    lower[i] = ll;
    middle[i] = (hh + ll) / 2;
  }
  return res;
}

/** One streaming output; the same object is returned (and overwritten) on every call. */
export interface DonchianValue {
  upper: number;
  middle: number;
  lower: number;
}

/** Streaming {@link donchian}. */
export class DonchianStream implements Streaming<Bar, DonchianValue> {
  readonly warmup: number;
  private readonly period: number;
  private readonly highs: Float64Array;
  private readonly lows: Float64Array;
  private readonly out: DonchianValue = { upper: NaN, middle: NaN, lower: NaN };
  private n = 0;

  constructor(period = 20) {
    checkPeriod(NAME, 'period', period, 1);
    this.period = period;
    this.warmup = period - 1;
    this.highs = new Float64Array(period);
    this.lows = new Float64Array(period);
  }

  update(bar: Bar): DonchianValue {
    checkBar(NAME, bar, this.n);
    return this.step(bar);
  }

  replace(bar: Bar): DonchianValue {
    if (this.n === 0) return this.update(bar);
    checkBar(NAME, bar, this.n - 1);
    this.n--;
    return this.step(bar);
  }

  private step(bar: Bar): DonchianValue {
    const p = this.period;
    const n = this.n++;
    const o = this.out;
    this.highs[n % p] = bar.high;
    this.lows[n % p] = bar.low;
    if (n < p - 1) {
      o.upper = o.middle = o.lower = NaN;
      return o;
    }
    let hh = bar.high;
    let ll = bar.low;
    for (let j = 0; j < p; j++) {
      if (this.highs[j]! > hh) hh = this.highs[j]!;
      if (this.lows[j]! < ll) ll = this.lows[j]!;
    }
    o.upper = hh;
    o.lower = ll;
    o.middle = (hh + ll) / 2;
    return o;
  }
}
