/**
 * Average true range, Wilder-smoothed, with TA-Lib's seeding: true range starts at bar 1 (it
 * needs the previous close); ATR at bar `period` is the mean of TR[1..period], then
 * atr = (atr·(period−1) + TR)/period. NATR is 100·ATR/close.
 * @see https://ta-lib.org/functions/ (ATR, NATR, TRANGE; src/ta_func/ta_ATR.c)
 */
import { checkOutputsApart, outputSeries } from './output-series.js';
import { barsInput, barValid, checkBar, checkPeriod, columnsFit, HLC, rejectBars } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

/** NATR's 100·ATR/close; 0 on a zero close, as TA-Lib writes (not ∞ or NaN). */
function percentOfClose(atr: number, close: number): number {
  return close === 0 ? 0 : (atr / close) * 100;
}

/** Shared by atr and natr: Wilder-smoothed TR into `out`, scaled by 100/close when `normalize`. */
function atrInto(name: string, bars: Bars, period: number, normalize: boolean, out: Float64Array | undefined): Float64Array {
  bars = barsInput(name, bars, HLC);
  checkPeriod(name, 'period', period, normalize ? 2 : 1);
  if (!columnsFit(bars)) rejectBars(name, bars);
  const { high, low, close } = bars;
  const n = close.length;
  // The loops live in their own function: merging the caller's `out` with a fresh array in one
  // function made V8's optimised loop ~2.5× slower once both kinds of call had been seen.
  if (out === undefined) return atrLoop(name, bars, period, normalize, outputSeries(n, period));
  checkOutputsApart(name, [outputSeries(n, period, out, name)], [high, low, close]);
  return atrLoop(name, bars, period, normalize, out);
}

function atrLoop(name: string, bars: Bars, period: number, normalize: boolean, out: Float64Array): Float64Array {
  const { high, low, close } = bars;
  const n = close.length;
  // Each bar is checked as it is read (bar 0 here, bar i in the loops); on a fault rejectBars
  // throws what checkBars would have, and the half-written output is dropped.
  if (n > 0 && !barValid(high[0]!, low[0]!, close[0]!)) rejectBars(name, bars);
  const seedEnd = Math.min(period, n - 1);
  let sum = 0;
  for (let i = 1; i <= seedEnd; i++) {
    const pc = close[i - 1]!;
    const h = high[i]!;
    const l = low[i]!;
    if (!barValid(h, l, close[i]!)) rejectBars(name, bars);
    let tr = h - l;
    const a = Math.abs(pc - h);
    if (a > tr) tr = a;
    const b = Math.abs(pc - l);
    if (b > tr) tr = b;
    sum += tr;
  }
  if (n <= period) return out;
  let atr = sum / period;
  out[period] = normalize ? percentOfClose(atr, close[period]!) : atr;
  const m = period - 1;
  for (let i = period + 1; i < n; i++) {
    const pc = close[i - 1]!;
    const h = high[i]!;
    const l = low[i]!;
    const c = close[i]!;
    if (!barValid(h, l, c)) rejectBars(name, bars);
    let tr = h - l;
    const a = Math.abs(pc - h);
    if (a > tr) tr = a;
    const b = Math.abs(pc - l);
    if (b > tr) tr = b;
    atr = (atr * m + tr) / period;
    out[i] = normalize ? percentOfClose(atr, c) : atr;
  }
  return out;
}

/** ATR over high/low/close; NaN for the first `period` bars. Period 1..100000. Writes into `out` when given. */
export function atr(bars: Bars, period = 14, out?: Float64Array): Float64Array {
  return atrInto('atr', bars, period, false, out);
}

/**
 * NATR = 100·ATR/close (0 where the close is 0); NaN for the first `period` bars. Period 2..100000: TA-Lib's NATR(1)
 * returns the raw true range, un-normalised, so we refuse that period rather than copy it.
 * Writes into `out` when given.
 */
export function natr(bars: Bars, period = 14, out?: Float64Array): Float64Array {
  return atrInto('natr', bars, period, true, out);
}

/** Streaming {@link atr} (or {@link natr} with `normalize`). */
export class AtrStream implements Streaming<Bar, number> {
  readonly warmup: number;
  private readonly name: string;
  private readonly period: number;
  private readonly normalize: boolean;
  private n = 0;
  private prevClose = 0;
  private atr = 0;
  private pN = 0;
  private pPrevClose = 0;
  private pAtr = 0;

  constructor(period = 14, normalize = false) {
    this.name = normalize ? 'natr' : 'atr';
    checkPeriod(this.name, 'period', period, normalize ? 2 : 1);
    this.period = period;
    this.normalize = normalize;
    this.warmup = period;
  }

  update(bar: Bar): number {
    checkBar(this.name, bar, this.n);
    this.pN = this.n;
    this.pPrevClose = this.prevClose;
    this.pAtr = this.atr;
    return this.step(bar.high, bar.low, bar.close);
  }

  replace(bar: Bar): number {
    if (this.n === 0) return this.update(bar);
    checkBar(this.name, bar, this.n - 1);
    this.n = this.pN;
    this.prevClose = this.pPrevClose;
    this.atr = this.pAtr;
    return this.step(bar.high, bar.low, bar.close);
  }

  private step(h: number, l: number, c: number): number {
    const n = this.n++;
    const pc = this.prevClose;
    this.prevClose = c;
    if (n === 0) return NaN;
    let tr = h - l;
    const a = Math.abs(pc - h);
    if (a > tr) tr = a;
    const b = Math.abs(pc - l);
    if (b > tr) tr = b;
    const p = this.period;
    if (n < p) {
      this.atr += tr;
      return NaN;
    }
    this.atr = n === p ? (this.atr + tr) / p : (this.atr * (p - 1) + tr) / p;
    return this.normalize ? percentOfClose(this.atr, c) : this.atr;
  }
}

/** Streaming {@link natr}. */
export class NatrStream extends AtrStream {
  constructor(period = 14) {
    super(period, true);
  }
}
