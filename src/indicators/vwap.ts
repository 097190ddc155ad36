/**
 * Session-anchored VWAP: Σ price·volume / Σ volume since the start of the bar's UTC day (from
 * `openTime`), reset at every 00:00 UTC. Price is the typical price (H+L+C)/3 by default or
 * (O+H+L+C)/4 (`'ohlc4'`, LEAN's choice). While the session has traded no volume the VWAP is
 * the current bar's price (the first bar of a day with volume has VWAP = its own price).
 * TA-Lib has no VWAP.
 * @see https://chartschool.stockcharts.com/table-of-contents/technical-indicators-and-overlays/technical-overlays/volume-weighted-average-price-vwap
 */
import { callerOutput } from './output-series.js';
import { IndicatorInputError } from './indicator-error.js';
import { checkBar, checkBars } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'vwap';
const DAY_MS = 86_400_000;

/** Which price each bar contributes: (H+L+C)/3 or (O+H+L+C)/4. */
export type VwapPrice = 'hlc3' | 'ohlc4';

/** Throws unless `price` is a known {@link VwapPrice}. */
export function checkVwapPrice(indicator: string, price: VwapPrice): void {
  if (price !== 'hlc3' && price !== 'ohlc4') {
    throw new IndicatorInputError(indicator, `price must be 'hlc3' or 'ohlc4', got ${String(price)}`, { param: 'price' });
  }
}

/**
 * Session VWAP, one value per bar from bar 0. Needs volume and openTime (strictly increasing), and open for `'ohlc4'`.
 * Writes into `out` when given.
 */
export function vwap(bars: Bars, price: VwapPrice = 'hlc3', out?: Float64Array): Float64Array {
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const o = out === undefined ? new Float64Array(bars.close.length) : callerOutput(NAME, bars.close.length, 0, out, [bars.open, bars.high, bars.low, bars.close, bars.volume, bars.openTime]);
  return vwapLoop(bars, price, o);
}

function vwapLoop(bars: Bars, price: VwapPrice, out: Float64Array): Float64Array {
  checkVwapPrice(NAME, price);
  const ohlc4 = price === 'ohlc4';
  checkBars(NAME, bars, { volume: true, openTime: true, open: ohlc4 });
  const { high, low, close } = bars;
  const open = bars.open!;
  const volume = bars.volume!;
  const time = bars.openTime!;
  const n = close.length;
  let day = NaN;
  let pv = 0;
  let vol = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.floor(time[i]! / DAY_MS);
    if (d !== day) {
      day = d;
      pv = 0;
      vol = 0;
    }
    const tp = ohlc4 ? (open[i]! + high[i]! + low[i]! + close[i]!) / 4 : (high[i]! + low[i]! + close[i]!) / 3;
    const v = volume[i]!;
    pv += tp * v;
    vol += v;
    out[i] = vol > 0 ? pv / vol : tp;
  }
  return out;
}

/** Streaming {@link vwap}; each bar needs `openTime` and `volume` (and `open` for `'ohlc4'`). */
export class VwapStream implements Streaming<Bar, number> {
  readonly warmup = 0;
  private readonly ohlc4: boolean;
  private n = 0;
  private time = NaN;
  private day = NaN;
  private pv = 0;
  private vol = 0;
  private pTime = NaN;
  private pDay = NaN;
  private pPv = 0;
  private pVol = 0;

  constructor(price: VwapPrice = 'hlc3') {
    checkVwapPrice(NAME, price);
    this.ohlc4 = price === 'ohlc4';
  }

  update(bar: Bar): number {
    this.check(bar, this.n, this.time);
    this.pTime = this.time;
    this.pDay = this.day;
    this.pPv = this.pv;
    this.pVol = this.vol;
    this.n++;
    return this.step(bar);
  }

  replace(bar: Bar): number {
    if (this.n === 0) return this.update(bar);
    this.check(bar, this.n - 1, this.pTime);
    this.time = this.pTime;
    this.day = this.pDay;
    this.pv = this.pPv;
    this.vol = this.pVol;
    return this.step(bar);
  }

  private check(bar: Bar, index: number, before: number): void {
    checkBar(NAME, bar, index, { volume: true, openTime: true, open: this.ohlc4 });
    const t = bar.openTime!;
    if (!(t > before) && index > 0) {
      throw new IndicatorInputError(NAME, `openTime ${t} at bar ${index} is not after the previous bar's ${before}`, { index, param: 'openTime' });
    }
  }

  private step(bar: Bar): number {
    const t = bar.openTime!;
    const d = Math.floor(t / DAY_MS);
    this.time = t;
    if (d !== this.day) {
      this.day = d;
      this.pv = 0;
      this.vol = 0;
    }
    const tp = this.ohlc4 ? (bar.open! + bar.high + bar.low + bar.close) / 4 : (bar.high + bar.low + bar.close) / 3;
    const v = bar.volume!;
    this.pv += tp * v;
    this.vol += v;
    return this.vol > 0 ? this.pv / this.vol : tp;
  }
}
