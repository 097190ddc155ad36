/**
 * The machinery under the candlestick patterns, reproducing TA-Lib's CDL functions to the bit:
 * its candle settings (body/shadow/range averages over the previous N bars), and its running
 * totals, initialised and rolled in the same order so that every comparison sees the same double.
 * @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_common/ta_global.c (TA_CandleDefaultSettings)
 * @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_utility.h (TA_CANDLEAVERAGE)
 */
import type { Bar, Streaming } from './types.js';
import { checkBarWith, type BarNeeds } from './validate.js';

const REAL_BODY = 0;
const HIGH_LOW = 1;
const SHADOWS = 2;

/** TA-Lib's default candle settings: [range type, average period, factor]. */
export const CANDLE_SETTINGS = {
  bodyLong: [REAL_BODY, 10, 1.0],
  bodyVeryLong: [REAL_BODY, 10, 3.0],
  bodyShort: [REAL_BODY, 10, 1.0],
  bodyDoji: [HIGH_LOW, 10, 0.1],
  shadowLong: [REAL_BODY, 0, 1.0],
  shadowVeryLong: [REAL_BODY, 0, 2.0],
  shadowShort: [SHADOWS, 10, 1.0],
  shadowVeryShort: [HIGH_LOW, 10, 0.1],
  near: [HIGH_LOW, 5, 0.2],
  far: [HIGH_LOW, 5, 0.6],
  equal: [HIGH_LOW, 5, 0.05],
} as const satisfies Record<string, readonly [number, number, number]>;

export type CandleSetting = keyof typeof CANDLE_SETTINGS;
/** One setting: [range type, average period, factor]. */
export type CandleSettingValue = (typeof CANDLE_SETTINGS)[CandleSetting];

/** A running total of a setting's range over the `period` bars before bar `back` bars ago. */
export interface TotalSpec {
  setting: CandleSetting;
  back: number;
}

const RING = 16; // > the deepest look-back of any pattern (3 bars + 10 averaged + 1 trailing); a power of 2
const RING_MASK = RING - 1;

/** Patterns read open: one shared object, so the per-bar check allocates nothing. */
const NEEDS_OPEN: BarNeeds = { open: true };

/** Read access to the last bars and the pattern's running totals, as the pattern sees them. */
export class CandleWindow {
  readonly o = new Float64Array(RING);
  readonly h = new Float64Array(RING);
  readonly l = new Float64Array(RING);
  readonly c = new Float64Array(RING);
  /** Index of the current bar (bars seen − 1 once it is written). */
  n = 0;
  totals = new Float64Array(0);

  private slot(back: number): number {
    return (this.n - back) & RING_MASK; // two's complement: also right for n − back < 0
  }
  open(back: number): number {
    return this.o[this.slot(back)]!;
  }
  high(back: number): number {
    return this.h[this.slot(back)]!;
  }
  low(back: number): number {
    return this.l[this.slot(back)]!;
  }
  close(back: number): number {
    return this.c[this.slot(back)]!;
  }
  realBody(back: number): number {
    const s = this.slot(back);
    return Math.abs(this.c[s]! - this.o[s]!);
  }
  upperShadow(back: number): number {
    const s = this.slot(back);
    const c = this.c[s]!;
    const o = this.o[s]!;
    return this.h[s]! - (c >= o ? c : o);
  }
  lowerShadow(back: number): number {
    const s = this.slot(back);
    const c = this.c[s]!;
    const o = this.o[s]!;
    return (c >= o ? o : c) - this.l[s]!;
  }
  /** 1 for a white (close ≥ open) candle, −1 for black. */
  color(back: number): number {
    const s = this.slot(back);
    return this.c[s]! >= this.o[s]! ? 1 : -1;
  }
  /** The range of the bar `back` bars ago that a setting of range `type` (REAL_BODY, HIGH_LOW or SHADOWS) averages. */
  rangeOf(type: number, back: number): number {
    if (type === REAL_BODY) return this.realBody(back);
    const s = this.slot(back);
    if (type === HIGH_LOW) return this.h[s]! - this.l[s]!;
    return this.upperShadow(back) + this.lowerShadow(back);
  }
  /**
   * TA_CANDLEAVERAGE of running total `t` for the bar `back` bars ago, for the setting `cs` (an
   * entry of {@link CANDLE_SETTINGS}, passed itself rather than by name: a lookup by name on
   * every call was the largest part of a pattern's time).
   */
  avg(cs: CandleSettingValue, t: number, back: number): number {
    const type = cs[0];
    const period = cs[1];
    const factor = cs[2];
    return (factor * (period !== 0 ? this.totals[t]! / period : this.rangeOf(type, back))) / (type === SHADOWS ? 2.0 : 1.0);
  }
}

/** One pattern in TA-Lib's terms. */
export interface PatternDef {
  /** TA-Lib's function name, e.g. `CDLHAMMER`. */
  talib: string;
  /** TA-Lib's lookback: the first bar with an output. */
  lookback: number;
  totals: readonly TotalSpec[];
  /** 100 / −100 (80 / −80 where TA-Lib grades the match) or 0 for the current bar. */
  evaluate(w: CandleWindow, penetration: number): number;
}

/**
 * Streaming candlestick pattern: one bar at a time, output NaN for the first `lookback` bars,
 * then TA-Lib's integer code. Reads open, high, low, close.
 */
export class CandlePatternStream implements Streaming<Bar, number> {
  readonly warmup: number;
  private readonly w = new CandleWindow();
  private readonly prevTotals: Float64Array;
  /** Per running total: its range type, averaging period and look-back, resolved once. */
  private readonly totalType: Int32Array;
  private readonly totalPeriod: Int32Array;
  private readonly totalBack: Int32Array;
  private seen = 0;

  constructor(
    private readonly name: string,
    private readonly def: PatternDef,
    private readonly penetration: number,
  ) {
    this.warmup = def.lookback;
    const k = def.totals.length;
    this.w.totals = new Float64Array(k);
    this.prevTotals = new Float64Array(k);
    this.totalType = Int32Array.from(def.totals, (x) => CANDLE_SETTINGS[x.setting][0]);
    this.totalPeriod = Int32Array.from(def.totals, (x) => CANDLE_SETTINGS[x.setting][1]);
    this.totalBack = Int32Array.from(def.totals, (x) => x.back);
  }

  update(bar: Bar): number {
    checkBarWith(this.name, bar, this.seen, NEEDS_OPEN);
    this.saveTotals();
    return this.step(bar.open!, bar.high, bar.low, bar.close); // open: checked by checkBarWith
  }

  replace(bar: Bar): number {
    if (this.seen === 0) return this.update(bar);
    checkBarWith(this.name, bar, this.seen - 1, NEEDS_OPEN);
    this.seen--;
    const { totals } = this.w;
    for (let t = 0; t < totals.length; t++) totals[t] = this.prevTotals[t]!;
    return this.step(bar.open!, bar.high, bar.low, bar.close);
  }

  /** The batch loop's entry: bars already checked, no `replace` to prepare for. */
  next(open: number, high: number, low: number, close: number): number {
    return this.step(open, high, low, close);
  }

  private saveTotals(): void {
    const { totals } = this.w;
    for (let t = 0; t < totals.length; t++) this.prevTotals[t] = totals[t]!;
  }

  private step(open: number, high: number, low: number, close: number): number {
    const w = this.w;
    const i = this.seen;
    w.n = i;
    const s = i & RING_MASK;
    w.o[s] = open;
    w.h[s] = high;
    w.l[s] = low;
    w.c[s] = close;
    this.seen = i + 1;
    const lookback = this.def.lookback;
    if (i < lookback) return NaN;
    const { totals } = w;
    const { totalType, totalPeriod, totalBack } = this;
    if (i === lookback) {
      // TA-Lib sums the trailing window oldest first, starting from zero.
      for (let t = 0; t < totals.length; t++) {
        const back = totalBack[t]!;
        let sum = 0;
        for (let j = back + totalPeriod[t]!; j > back; j--) sum += w.rangeOf(totalType[t]!, j);
        totals[t] = sum;
      }
    }
    const out = this.def.evaluate(w, this.penetration);
    for (let t = 0; t < totals.length; t++) {
      const back = totalBack[t]!;
      const type = totalType[t]!;
      totals[t] = totals[t]! + (w.rangeOf(type, back) - w.rangeOf(type, back + totalPeriod[t]!));
    }
    return out;
  }
}
