/**
 * Stochastic RSI as TA-Lib's STOCHRSI: the fast stochastic (STOCHF) of RSI(period), with the RSI
 * as high, low and close: %K = 100·(rsi − min rsi)/(max rsi − min rsi) over `kPeriod` RSI
 * values (0 when the range is 0), %D = SMA(%K, dPeriod). Both start at bar
 * period + (kPeriod − 1) + (dPeriod − 1). Scale 0..100; StockCharts' StochRSI(14) is
 * stochRsi(close, 14, 14, 1).k / 100.
 * @see https://ta-lib.org/functions/ (STOCHRSI; src/ta_func/ta_STOCHRSI.c, ta_STOCHF.c)
 * @see https://chartschool.stockcharts.com/table-of-contents/technical-indicators-and-overlays/technical-indicators/stochrsi
 */
import { checkOutputsApart, nanOutputField } from './output-series.js';
import { rsi, RsiStream } from './rsi.js';
import { FastKState, fastKInto, smaInto } from './stoch-core.js';
import { SmaState } from './sma.js';
import { checkPeriod, checkSeries, checkValue, seriesInput } from './validate.js';
import type { Streaming } from './types.js';

const NAME = 'stochrsi';

/** Fast %K and %D of the RSI, 0..100. */
export interface StochRsi {
  k: Float64Array;
  d: Float64Array;
}

/** One streaming output; the same object is returned (and overwritten) on every call. */
export interface StochRsiValue {
  k: number;
  d: number;
}

function checkPeriods(period: number, kPeriod: number, dPeriod: number): void {
  checkPeriod(NAME, 'period', period, 2);
  checkPeriod(NAME, 'kPeriod', kPeriod, 1);
  checkPeriod(NAME, 'dPeriod', dPeriod, 1);
}

/**
 * StochRSI over `close`; NaN for the first period + kPeriod + dPeriod − 2 bars. TA-Lib defaults 14, 5, 3.
 * Writes into the arrays of `out` (and returns it) when given.
 */
export function stochRsi(close: Float64Array, period = 14, kPeriod = 5, dPeriod = 3, out?: StochRsi): StochRsi {
  close = seriesInput(NAME, 'close', close);
  const n = close.length;
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const res = {
    k: nanOutputField(NAME, n, out, 'k'),
    d: nanOutputField(NAME, n, out, 'd'),
  };
  if (out !== undefined) checkOutputsApart(NAME, [res.k, res.d], [close]);
  stochRsiLoop(close, period, kPeriod, dPeriod, res);
  return out ?? res;
}

function stochRsiLoop(close: Float64Array, period: number, kPeriod: number, dPeriod: number, res: StochRsi): StochRsi {
  checkPeriods(period, kPeriod, dPeriod);
  // Checked here so errors name stochrsi; rsi() checks again (one cheap pass).
  checkSeries(NAME, 'close', close);
  const n = close.length;
  const { k, d } = res;
  const start = period + kPeriod - 1 + dPeriod - 1;
  if (n <= start) return res;
  const r = rsi(close, period);
  const raw = new Float64Array(n);
  fastKInto(r, r, r, period, kPeriod, raw);
  // %K is the raw stochastic itself (STOCHF), aligned with %D.
  smaInto(raw, period + kPeriod - 1, dPeriod, d);
  for (let i = start; i < n; i++) k[i] = raw[i]!;
  return res;
}

/** Streaming {@link stochRsi}. */
export class StochRsiStream implements Streaming<number, StochRsiValue> {
  readonly warmup: number;
  private n = 0;
  private readonly rsi: RsiStream;
  private readonly raw: FastKState;
  private readonly fastD: SmaState;
  private readonly out: StochRsiValue = { k: NaN, d: NaN };

  constructor(period = 14, kPeriod = 5, dPeriod = 3) {
    checkPeriods(period, kPeriod, dPeriod);
    this.warmup = period + kPeriod - 1 + dPeriod - 1;
    this.rsi = new RsiStream(period);
    this.raw = new FastKState(kPeriod);
    this.fastD = new SmaState(dPeriod);
  }

  update(close: number): StochRsiValue {
    checkValue(NAME, 'close', close, this.n);
    this.n++;
    this.fastD.save();
    return this.step(this.rsi.update(close), false);
  }

  replace(close: number): StochRsiValue {
    if (this.n === 0) return this.update(close);
    checkValue(NAME, 'close', close, this.n - 1);
    this.fastD.restore();
    return this.step(this.rsi.replace(close), true);
  }

  private step(r: number, again: boolean): StochRsiValue {
    const o = this.out;
    o.k = o.d = NaN;
    if (Number.isNaN(r)) return o;
    if (again) this.raw.n--;
    const k = this.raw.next(r, r, r);
    if (Number.isNaN(k)) return o;
    const d = this.fastD.next(k);
    if (Number.isNaN(d)) return o;
    o.k = k;
    o.d = d;
    return o;
  }
}
