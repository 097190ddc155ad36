/**
 * The machinery under the candlestick patterns, reproducing TA-Lib's CDL functions to the bit:
 * its candle settings (body/shadow/range averages over the previous N bars), and its running
 * totals, initialised and rolled in the same order so that every comparison sees the same double.
 * @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_common/ta_global.c (TA_CandleDefaultSettings)
 * @see https://github.com/TA-Lib/ta-lib/blob/main/src/ta_func/ta_utility.h (TA_CANDLEAVERAGE)
 */
import type { Bar, Streaming } from './types.js';
import { checkBar } from './validate.js';

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

/** A running total of a setting's range over the `period` bars before bar `back` bars ago. */
export interface TotalSpec {
  setting: CandleSetting;
  back: number;
}

const RING = 16; // > the deepest look-back of any pattern (3 bars + 10 averaged + 1 trailing)

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
    return (this.n - back + RING) % RING;
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
  range(setting: CandleSetting, back: number): number {
    const type = CANDLE_SETTINGS[setting][0];
    if (type === REAL_BODY) return this.realBody(back);
    const s = this.slot(back);
    if (type === HIGH_LOW) return this.h[s]! - this.l[s]!;
    return this.upperShadow(back) + this.lowerShadow(back);
  }
  /** TA_CANDLEAVERAGE of running total `t` for the bar `back` bars ago. */
  avg(setting: CandleSetting, t: number, back: number): number {
    const cs = CANDLE_SETTINGS[setting]; // indexed, not destructured: no iterator on the hot path
    const type = cs[0];
    const period = cs[1];
    const factor = cs[2];
    return (factor * (period !== 0 ? this.totals[t]! / period : this.range(setting, back))) / (type === SHADOWS ? 2.0 : 1.0);
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
  private seen = 0;

  constructor(
    private readonly name: string,
    private readonly def: PatternDef,
    private readonly penetration: number,
  ) {
    this.warmup = def.lookback;
    this.w.totals = new Float64Array(def.totals.length);
    this.prevTotals = new Float64Array(def.totals.length);
  }

  update(bar: Bar): number {
    checkBar(this.name, bar, this.seen, { open: true });
    this.prevTotals.set(this.w.totals);
    return this.step(bar);
  }

  replace(bar: Bar): number {
    if (this.seen === 0) return this.update(bar);
    checkBar(this.name, bar, this.seen - 1, { open: true });
    this.seen--;
    this.w.totals.set(this.prevTotals);
    return this.step(bar);
  }

  private step(bar: Bar): number {
    const w = this.w;
    const i = this.seen;
    w.n = i;
    const s = i % RING;
    w.o[s] = bar.open!; // checked by checkBar({ open: true })
    w.h[s] = bar.high;
    w.l[s] = bar.low;
    w.c[s] = bar.close;
    this.seen = i + 1;
    const { lookback, totals } = this.def;
    if (i < lookback) return NaN;
    if (i === lookback) {
      // TA-Lib sums the trailing window oldest first, starting from zero.
      for (let t = 0; t < totals.length; t++) {
        const { setting, back } = totals[t]!;
        const period = CANDLE_SETTINGS[setting][1];
        let sum = 0;
        for (let j = back + period; j > back; j--) sum += w.range(setting, j);
        w.totals[t] = sum;
      }
    }
    const out = this.def.evaluate(w, this.penetration);
    for (let t = 0; t < totals.length; t++) {
      const { setting, back } = totals[t]!;
      const period = CANDLE_SETTINGS[setting][1];
      w.totals[t] = w.totals[t]! + (w.range(setting, back) - w.range(setting, back + period));
    }
    return out;
  }
}
