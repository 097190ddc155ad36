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
import { type BarNeeds, barsInput, barValid, checkBarWith, checkTimeAfter, columnsFit, rejectBars } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'vwap';
const DAY_MS = 86_400_000;

/** The first UTC midnight after `t` (ms). */
function nextMidnight(t: number): number {
  return (Math.floor(t / DAY_MS) + 1) * DAY_MS;
}

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
  bars = barsInput(NAME, bars, price === 'ohlc4' ? ['open', 'high', 'low', 'close', 'volume', 'openTime'] : ['high', 'low', 'close', 'volume', 'openTime']);
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const o = out === undefined ? new Float64Array(bars.close.length) : callerOutput(NAME, bars.close.length, 0, out, [bars.open, bars.high, bars.low, bars.close, bars.volume, bars.openTime]);
  return vwapLoop(bars, price, o);
}

function vwapLoop(bars: Bars, price: VwapPrice, out: Float64Array): Float64Array {
  checkVwapPrice(NAME, price);
  const ohlc4 = price === 'ohlc4';
  const needs: BarNeeds = ohlc4 ? NEEDS_OHLC4 : NEEDS_HLC3;
  if (!columnsFit(bars, needs)) rejectBars(NAME, bars, needs);
  const { high, low, close } = bars;
  const open = ohlc4 ? bars.open! : close; // open is read only for ohlc4
  const volume = bars.volume!;
  const time = bars.openTime!;
  const n = close.length;
  // Validation fused into the loop (a separate pass cost ~7 ns/bar of ~17): on the first bad bar
  // the ordered check runs and throws what checkBars would have; the output is not returned.
  let nextDay = -Infinity; // first openTime of the next UTC day
  let prevTime = -Infinity;
  let pv = 0;
  let vol = 0;
  for (let i = 0; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    const o = open[i]!;
    const v = volume[i]!;
    const t = time[i]!;
    if (!(barValid(h, l, c) && o >= 0 && o < Infinity && v >= 0 && v < Infinity && t >= 0 && t > prevTime && t < Infinity)) rejectBars(NAME, bars, needs);
    prevTime = t;
    // Times increase strictly, so a new UTC day starts exactly when t reaches the next midnight.
    if (t >= nextDay) {
      nextDay = nextMidnight(t);
      pv = 0;
      vol = 0;
    }
    const tp = ohlc4 ? (o + h + l + c) / 4 : (h + l + c) / 3;
    pv += tp * v;
    vol += v;
    const value = vol > 0 ? pv / vol : tp;
    if (!(value < Infinity)) throw overflowError(i, value);
    out[i] = value;
  }
  return out;
}

/** Valid prices and volumes whose Σ price·volume (or Σ volume) exceeds the largest double. */
function overflowError(index: number, value: number): IndicatorInputError {
  return new IndicatorInputError(NAME, `price × volume overflows at bar ${index} (VWAP ${value})`, { index, param: 'volume' });
}

const NEEDS_HLC3: BarNeeds = { volume: true, openTime: true };
const NEEDS_OHLC4: BarNeeds = { volume: true, openTime: true, open: true };

/** Streaming {@link vwap}; each bar needs `openTime` and `volume` (and `open` for `'ohlc4'`). */
export class VwapStream implements Streaming<Bar, number> {
  readonly warmup = 0;
  private readonly ohlc4: boolean;
  private n = 0;
  /**
   * openTime of the latest bar. Before the first, the largest number below 0, so that the one
   * test `t > time` also rejects a negative first openTime.
   */
  private time = -Number.MIN_VALUE;
  /** First openTime of the UTC day after the latest bar's. */
  private nextDay = -Infinity;
  private pv = 0;
  private vol = 0;
  /** The same after the bar before the latest: `replace` steps from them again. */
  private pTime = -Number.MIN_VALUE;
  private pPv = 0;
  private pVol = 0;

  constructor(price: VwapPrice = 'hlc3') {
    checkVwapPrice(NAME, price);
    this.ohlc4 = price === 'ohlc4';
  }

  update(bar: Bar): number {
    const time = this.time;
    const pv = this.pv;
    const vol = this.vol;
    const out = this.step(bar, this.n, time, this.nextDay, pv, vol);
    this.pTime = time;
    this.pPv = pv;
    this.pVol = vol;
    this.n++;
    return out;
  }

  replace(bar: Bar): number {
    if (this.n === 0) return this.update(bar);
    const before = this.pTime;
    // The midnight after the bar before: what step computed from the first bar of its day, and
    // from any bar of that day alike (no bar before: none).
    return this.step(bar, this.n - 1, before, before >= 0 ? nextMidnight(before) : -Infinity, this.pPv, this.pVol);
  }

  /**
   * Bar `index` after a bar with openTime `before` and the session's sums `pv`, `vol`; stores the
   * new state only once the bar has passed its checks. Each field is read once, as a number (see
   * rejectBar), and the finite tests are folded into the result's: with every input ≥ 0, an
   * infinite price or volume makes the VWAP infinite or NaN.
   */
  private step(bar: Bar, index: number, before: number, nextDay: number, pv: number, vol: number): number {
    const rawT = bar.openTime!;
    const rawH = bar.high;
    const rawL = bar.low;
    const rawC = bar.close;
    const rawV = bar.volume!;
    const t = +rawT;
    // Times increase strictly, so a new UTC day starts exactly when t reaches the next midnight
    // (t = ∞ too: its next midnight is ∞, rejected below). nextMidnight(t) written out: V8 does
    // not inline a call on this once-a-day branch, and the call's boxed result made nextDay a
    // boxed number on every update, a heap allocation per bar.
    if (t >= nextDay) {
      nextDay = (Math.floor(t / DAY_MS) + 1) * DAY_MS;
      pv = 0;
      vol = 0;
    }
    const h = +rawH;
    const l = +rawL;
    const c = +rawC;
    const v = +rawV;
    // `=== true`: a single compare; the field started as undefined (class-field semantics), so a
    // bare `this.ohlc4` compiled to a full ToBoolean.
    const tp = this.ohlc4 === true ? (+bar.open! + h + l + c) / 4 : (h + l + c) / 3;
    pv += tp * v;
    vol += v;
    const out = vol > 0 ? pv / vol : tp;
    // The type tests reject a JavaScript caller's field that was not a number to begin with ('2'
    // converts to 2, null to 0). On a bar whose fields V8 knows hold numbers they compile to
    // nothing: 141 → 129 instructions per update (cachegrind), 7.1 → 6.5 ns on bars in cache.
    const typed = typeof rawH === 'number' && typeof rawL === 'number' && typeof rawC === 'number' && typeof rawV === 'number' && typeof rawT === 'number';
    if (!(typed && l >= 0 && h >= l && c >= 0 && v >= 0 && t > before && out < Infinity && nextDay < Infinity) || this.ohlc4 === true) {
      this.check(bar, index, before, out);
    }
    this.time = t;
    this.nextDay = nextDay;
    this.pv = pv;
    this.vol = vol;
    return out;
  }

  /** The full test, with the message naming what is wrong; returns for a good `'ohlc4'` bar. */
  private check(bar: Bar, index: number, before: number, out: number): void {
    checkBarWith(NAME, bar, index, this.ohlc4 ? NEEDS_OHLC4 : NEEDS_HLC3);
    if (index > 0) checkTimeAfter(NAME, bar.openTime!, before, index);
    if (!(out < Infinity)) throw overflowError(index, out);
  }
}
