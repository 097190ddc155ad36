/**
 * Support and resistance levels: swing pivots (a high above the `left` bars before it and not
 * below the `right` bars after it; lows mirrored), confirmed only once the `right` bars have
 * closed, so a level appears at bar p + right, never earlier. Pivots within `tolerance` (a
 * fraction of price) of a level join it; the level's price is the mean of its pivots.
 * @see https://school.stockcharts.com/doku.php?id=chart_analysis:support_and_resistance
 */
import type { Bar, Bars, SeriesRecord, Streaming, ValueRecord } from './types.js';
import { barsInput, checkBar, checkBars, checkNumber, checkPeriod, checkTimeAfter, checkValue } from './validate.js';

const NAME = 'supportResistance';

export interface SupportResistanceOptions {
  /** Bars before a pivot that it must exceed strictly (default 5). */
  left?: number;
  /** Bars after a pivot that must not exceed it; also the confirmation delay (default 5). */
  right?: number;
  /** Cluster width: a pivot within `tolerance × level` of a level joins it (default 0.005). */
  tolerance?: number;
  /** A close beyond `level × (1 ± breakThreshold)`, crossing from the other side, is a break (default 0.002). */
  breakThreshold?: number;
  /** Levels kept; the one touched longest ago is dropped first (default 32). */
  maxLevels?: number;
}

/** A level as {@link SupportResistanceStream.levels} reports it. Bar indices are 0-based from the first bar. */
export interface SrLevel {
  price: number;
  /** Relative to the latest close: at or below it is support, above it resistance. */
  kind: 'support' | 'resistance';
  /** Swing pivots clustered into the level. */
  touches: number;
  /** Bars, since the level appeared, whose range reached the level's band without a break: tests it held. */
  strength: number;
  /** Closes that crossed the level by more than the break threshold. */
  breaks: number;
  firstTouch: number;
  lastTouch: number;
  /** openTime of those bars when the input carries it, else NaN. */
  firstTouchTime: number;
  lastTouchTime: number;
}

/** Per-bar output; 0 means "none" (prices are positive). NaN during the warm-up of left + right bars. */
export interface SrValue extends ValueRecord {
  /** Nearest level at or below the close. */
  support: number;
  supportStrength: number;
  /** Nearest level above the close. */
  resistance: number;
  resistanceStrength: number;
  /** Highest level the close broke upward through on this bar. */
  breakUp: number;
  /** Lowest level the close broke downward through on this bar. */
  breakDown: number;
  /** Levels held. */
  levels: number;
}

const FIELDS = ['support', 'supportStrength', 'resistance', 'resistanceStrength', 'breakUp', 'breakDown', 'levels'] as const;

// Level record layout inside the state array.
const PRICE = 0;
const SUM = 1;
const TOUCHES = 2;
const STRENGTH = 3;
const BREAKS = 4;
const FIRST = 5;
const LAST = 6;
const FIRST_T = 7;
const LAST_T = 8;
const W = 9;
// Scalars after the level records.
const COUNT = 0;
const SEEN = 1;
const PREV_CLOSE = 2;

/** Streaming support/resistance; `update` returns the same object every call. */
export class SupportResistanceStream implements Streaming<Bar, SrValue> {
  readonly warmup: number;
  private readonly left: number;
  private readonly right: number;
  private readonly tol: number;
  private readonly thr: number;
  private readonly cap: number;
  private readonly span: number;
  private readonly base: number;
  private readonly s: Float64Array;
  private readonly prev: Float64Array;
  private readonly high: Float64Array;
  private readonly low: Float64Array;
  private readonly time: Float64Array;
  private readonly out: SrValue = { support: NaN, supportStrength: NaN, resistance: NaN, resistanceStrength: NaN, breakUp: NaN, breakDown: NaN, levels: NaN };

  constructor(options: SupportResistanceOptions = {}) {
    this.left = options.left ?? 5;
    this.right = options.right ?? 5;
    this.tol = options.tolerance ?? 0.005;
    this.thr = options.breakThreshold ?? 0.002;
    this.cap = options.maxLevels ?? 32;
    checkPeriod(NAME, 'left', this.left, 1, 1000);
    checkPeriod(NAME, 'right', this.right, 1, 1000);
    checkNumber(NAME, 'tolerance', this.tol, 0, 0.5);
    checkNumber(NAME, 'breakThreshold', this.thr, 0, 0.5);
    checkPeriod(NAME, 'maxLevels', this.cap, 1, 1000);
    this.warmup = this.left + this.right;
    this.span = this.left + this.right + 1;
    this.base = this.cap * W;
    this.s = new Float64Array(this.base + 3);
    this.prev = new Float64Array(this.base + 3);
    this.high = new Float64Array(this.span);
    this.low = new Float64Array(this.span);
    this.time = new Float64Array(this.span);
  }

  update(bar: Bar): SrValue {
    const seen = this.s[this.base + SEEN]!;
    checkBar(NAME, bar, seen);
    if (bar.openTime !== undefined) this.checkTime(bar.openTime, seen);
    this.prev.set(this.s);
    return this.step(bar);
  }

  replace(bar: Bar): SrValue {
    const seen = this.s[this.base + SEEN]!;
    if (seen === 0) return this.update(bar);
    checkBar(NAME, bar, seen - 1);
    if (bar.openTime !== undefined) this.checkTime(bar.openTime, seen - 1);
    this.s.set(this.prev);
    return this.step(bar);
  }

  /** A bar's openTime (read for the touch times) is a time after the bar before's, when that has one. */
  private checkTime(t: number, index: number): void {
    checkValue(NAME, 'openTime', t, index);
    const before = index > 0 ? this.time[(index - 1) % this.span]! : NaN;
    checkTimeAfter(NAME, t, before, index);
  }

  /** The levels now held, nearest to the latest close first. Allocates: a query, not the hot path. */
  levels(): SrLevel[] {
    const s = this.s;
    const close = s[this.base + PREV_CLOSE]!;
    const out: SrLevel[] = [];
    for (let k = 0; k < s[this.base + COUNT]!; k++) {
      const r = k * W;
      out.push({
        price: s[r + PRICE]!,
        kind: s[r + PRICE]! <= close ? 'support' : 'resistance',
        touches: s[r + TOUCHES]!,
        strength: s[r + STRENGTH]!,
        breaks: s[r + BREAKS]!,
        firstTouch: s[r + FIRST]!,
        lastTouch: s[r + LAST]!,
        firstTouchTime: s[r + FIRST_T]!,
        lastTouchTime: s[r + LAST_T]!,
      });
    }
    return out.sort((a, b) => Math.abs(a.price - close) - Math.abs(b.price - close));
  }

  private step(bar: Bar): SrValue {
    const s = this.s;
    const base = this.base;
    const i = s[base + SEEN]!;
    const slot = i % this.span;
    this.high[slot] = bar.high;
    this.low[slot] = bar.low;
    this.time[slot] = bar.openTime ?? NaN;
    const close = bar.close;
    const prevClose = s[base + PREV_CLOSE]!;
    s[base + SEEN] = i + 1;
    s[base + PREV_CLOSE] = close;
    const out = this.out;
    if (i < this.warmup) return out; // still NaN: nothing has written to it yet

    // Breaks and held tests against the levels that existed before this bar.
    let breakUp = 0;
    let breakDown = 0;
    const count = s[base + COUNT]!;
    for (let k = 0; k < count; k++) {
      const r = k * W;
      const p = s[r + PRICE]!;
      const up = p * (1 + this.thr);
      const down = p * (1 - this.thr);
      if (prevClose <= up && close > up) {
        s[r + BREAKS] = s[r + BREAKS]! + 1;
        if (p > breakUp) breakUp = p;
      } else if (prevClose >= down && close < down) {
        s[r + BREAKS] = s[r + BREAKS]! + 1;
        if (breakDown === 0 || p < breakDown) breakDown = p;
      } else if (bar.low <= p * (1 + this.tol) && bar.high >= p * (1 - this.tol)) {
        s[r + STRENGTH] = s[r + STRENGTH]! + 1;
      }
    }

    // The bar `right` bars back is now confirmed (or not) as a pivot.
    const p = i - this.right;
    const ps = p % this.span;
    const ph = this.high[ps]!;
    const pl = this.low[ps]!;
    let isHigh = true;
    let isLow = true;
    for (let j = p - this.left; j <= i; j++) {
      if (j === p) continue;
      const js = j % this.span;
      if (j < p ? this.high[js]! >= ph : this.high[js]! > ph) isHigh = false;
      if (j < p ? this.low[js]! <= pl : this.low[js]! < pl) isLow = false;
    }
    if (isHigh) this.addPivot(ph, p, this.time[ps]!);
    if (isLow) this.addPivot(pl, p, this.time[ps]!);

    // Nearest levels on each side of the close.
    let sup = 0;
    let supStr = 0;
    let res = 0;
    let resStr = 0;
    const n = s[base + COUNT]!;
    for (let k = 0; k < n; k++) {
      const r = k * W;
      const lv = s[r + PRICE]!;
      if (lv <= close) {
        if (lv > sup) {
          sup = lv;
          supStr = s[r + STRENGTH]!;
        }
      } else if (res === 0 || lv < res) {
        res = lv;
        resStr = s[r + STRENGTH]!;
      }
    }
    out.support = sup;
    out.supportStrength = supStr;
    out.resistance = res;
    out.resistanceStrength = resStr;
    out.breakUp = breakUp;
    out.breakDown = breakDown;
    out.levels = n;
    return out;
  }

  private addPivot(price: number, bar: number, time: number): void {
    const s = this.s;
    const count = s[this.base + COUNT]!;
    let best = -1;
    let bestDist = Infinity;
    for (let k = 0; k < count; k++) {
      const d = Math.abs(price - s[k * W + PRICE]!);
      if (d < bestDist) {
        bestDist = d;
        best = k;
      }
    }
    if (best >= 0 && bestDist <= this.tol * s[best * W + PRICE]!) {
      const r = best * W;
      s[r + SUM] = s[r + SUM]! + price;
      s[r + TOUCHES] = s[r + TOUCHES]! + 1;
      s[r + PRICE] = s[r + SUM]! / s[r + TOUCHES]!;
      s[r + LAST] = bar;
      s[r + LAST_T] = time;
      return;
    }
    let k = count;
    if (count === this.cap) {
      // Full: replace the level touched longest ago.
      k = 0;
      for (let j = 1; j < count; j++) if (s[j * W + LAST]! < s[k * W + LAST]!) k = j;
    } else s[this.base + COUNT] = count + 1;
    const r = k * W;
    s[r + PRICE] = price;
    s[r + SUM] = price;
    s[r + TOUCHES] = 1;
    s[r + STRENGTH] = 0;
    s[r + BREAKS] = 0;
    s[r + FIRST] = bar;
    s[r + LAST] = bar;
    s[r + FIRST_T] = time;
    s[r + LAST_T] = time;
  }
}

export type SrSeries = Record<(typeof FIELDS)[number], Float64Array> & SeriesRecord;

/**
 * Support/resistance over whole columns (reads high, low, close; openTime when present, which must
 * then be valid and increasing like any time column): the streaming rules run bar by bar, so both
 * forms agree exactly. Per-bar fields as in {@link SrValue}.
 */
export function supportResistance(bars: Bars, options: SupportResistanceOptions = {}): SrSeries {
  return supportResistanceLevels(bars, options).series;
}

/** The per-bar series plus the levels held after the last bar (what the CLI prints). */
export function supportResistanceLevels(bars: Bars, options: SupportResistanceOptions = {}): { series: SrSeries; levels: SrLevel[] } {
  bars = barsInput(NAME, bars, ['high', 'low', 'close', 'openTime']);
  const stream = new SupportResistanceStream(options);
  checkBars(NAME, bars, { openTime: bars.openTime !== undefined });
  const n = bars.close.length;
  const series = {} as SrSeries;
  for (const f of FIELDS) series[f] = new Float64Array(n);
  const bar: Bar = { high: 0, low: 0, close: 0 };
  for (let i = 0; i < n; i++) {
    bar.high = bars.high[i]!;
    bar.low = bars.low[i]!;
    bar.close = bars.close[i]!;
    if (bars.openTime !== undefined) bar.openTime = bars.openTime[i]!;
    const v = stream.update(bar);
    for (const f of FIELDS) series[f][i] = v[f];
  }
  return { series, levels: stream.levels() };
}
