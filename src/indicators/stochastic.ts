/**
 * Slow stochastic oscillator with TA-Lib's defaults (STOCH 5, 3, 3 with SMA smoothing): raw %K
 * over `kPeriod` bars, %K = SMA(raw %K, kSlowing), %D = SMA(%K, dPeriod). Both outputs start at
 * bar (kPeriod − 1) + (kSlowing − 1) + (dPeriod − 1), as TA-Lib aligns them; a window whose
 * range is 0 gives raw %K 0. StockCharts' "Full Stochastic (14, 3, 3)" is stochastic(bars, 14, 3, 3);
 * the "fast" stochastic is kSlowing = 1.
 * @see https://ta-lib.org/functions/ (STOCH; src/ta_func/ta_STOCH.c)
 * @see https://chartschool.stockcharts.com/table-of-contents/technical-indicators-and-overlays/technical-indicators/stochastic-oscillator-fast-slow-and-full
 */
import { checkOutputsApart, nanOutputField } from './output-series.js';
import { FastKState, fastKInto, smaInto } from './stoch-core.js';
import { SmaState } from './sma.js';
import { barsInput, checkBar, checkBars, checkPeriod, HLC } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'stochastic';

/** %K and %D lines, 0..100. */
export interface Stochastic {
  k: Float64Array;
  d: Float64Array;
}

/** One streaming output; the same object is returned (and overwritten) on every call. */
export interface StochasticValue {
  k: number;
  d: number;
}

function checkPeriods(kPeriod: number, kSlowing: number, dPeriod: number): void {
  checkPeriod(NAME, 'kPeriod', kPeriod, 1);
  checkPeriod(NAME, 'kSlowing', kSlowing, 1);
  checkPeriod(NAME, 'dPeriod', dPeriod, 1);
}

/**
 * Stochastic over high/low/close; both lines NaN for the first kPeriod + kSlowing + dPeriod − 3 bars.
 * Writes into the arrays of `out` (and returns it) when given.
 */
export function stochastic(bars: Bars, kPeriod = 5, kSlowing = 3, dPeriod = 3, out?: Stochastic): Stochastic {
  bars = barsInput(NAME, bars, HLC);
  const n = bars.close.length;
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const res = {
    k: nanOutputField(NAME, n, out, 'k'),
    d: nanOutputField(NAME, n, out, 'd'),
  };
  if (out !== undefined) checkOutputsApart(NAME, [res.k, res.d], [bars.high, bars.low, bars.close]);
  stochasticLoop(bars, kPeriod, kSlowing, dPeriod, res);
  return out ?? res;
}

function stochasticLoop(bars: Bars, kPeriod: number, kSlowing: number, dPeriod: number, res: Stochastic): Stochastic {
  checkPeriods(kPeriod, kSlowing, dPeriod);
  checkBars(NAME, bars);
  const n = bars.close.length;
  const { k, d } = res;
  const start = kPeriod - 1 + kSlowing - 1 + dPeriod - 1;
  if (n <= start) return res;
  const raw = new Float64Array(n);
  fastKInto(bars.high, bars.low, bars.close, 0, kPeriod, raw);
  smaInto(raw, kPeriod - 1, kSlowing, k);
  smaInto(k, kPeriod + kSlowing - 2, dPeriod, d);
  k.fill(NaN, 0, start);
  return res;
}

/** Streaming {@link stochastic}. */
export class StochasticStream implements Streaming<Bar, StochasticValue> {
  readonly warmup: number;
  private readonly raw: FastKState;
  private readonly slowK: SmaState;
  private readonly slowD: SmaState;
  private readonly out: StochasticValue = { k: NaN, d: NaN };

  constructor(kPeriod = 5, kSlowing = 3, dPeriod = 3) {
    checkPeriods(kPeriod, kSlowing, dPeriod);
    this.warmup = kPeriod - 1 + kSlowing - 1 + dPeriod - 1;
    this.raw = new FastKState(kPeriod);
    this.slowK = new SmaState(kSlowing);
    this.slowD = new SmaState(dPeriod);
  }

  update(bar: Bar): StochasticValue {
    checkBar(NAME, bar, this.raw.n);
    this.slowK.save();
    this.slowD.save();
    return this.step(bar);
  }

  replace(bar: Bar): StochasticValue {
    if (this.raw.n === 0) return this.update(bar);
    checkBar(NAME, bar, this.raw.n - 1);
    this.raw.n--;
    this.slowK.restore();
    this.slowD.restore();
    return this.step(bar);
  }

  private step(bar: Bar): StochasticValue {
    const o = this.out;
    o.k = o.d = NaN;
    const raw = this.raw.next(bar.high, bar.low, bar.close);
    if (Number.isNaN(raw)) return o;
    const k = this.slowK.next(raw);
    if (Number.isNaN(k)) return o;
    const d = this.slowD.next(k);
    if (Number.isNaN(d)) return o;
    o.k = k;
    o.d = d;
    return o;
  }
}
