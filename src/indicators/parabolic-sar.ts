/**
 * Wilder's Parabolic SAR with TA-Lib's bootstrap. Bar 0 is consumed: the initial direction is
 * short when bar 1's −DM1 is positive (its low drops below bar 0's by more than its high rises
 * above bar 0's), long otherwise (ties are long); the first SAR is bar 0's low (long) or high
 * (short) and the extreme point bar 1's high (long) or low (short). Each bar outputs the SAR
 * computed at the previous bar; a bar that touches it (low ≤ SAR long, high ≥ SAR short)
 * reverses: its output is the old extreme point, clamped outside this and the previous bar's
 * range, and the acceleration restarts. The next SAR is clamped so it never enters the range of
 * the current or previous bar. StockCharts (bukosabino `cs-psar.csv`) consumes two bars and
 * does not clamp the reversal value: its numbers join ours after the first reversal.
 * @see https://ta-lib.org/functions/ (SAR; src/ta_func/ta_SAR.c)
 */
import { callerOutput } from './output-series.js';
import { IndicatorInputError } from './indicator-error.js';
import { barsInput, barValid, checkBars, HLC, rejectBar } from './validate.js';
import type { Bar, Bars, Streaming } from './types.js';

const NAME = 'parabolicSar';

function checkParams(acceleration: number, maximum: number): void {
  for (const [param, v] of [['acceleration', acceleration], ['maximum', maximum]] as const) {
    if (!(v > 0 && v <= 1)) throw new IndicatorInputError(NAME, `${param} must be a number in (0, 1], got ${v}`, { param });
  }
  if (acceleration > maximum) {
    // TA-Lib silently lowers the acceleration to the maximum; a reversed pair is far more
    // likely a mistake than a wish for a constant factor.
    throw new IndicatorInputError(NAME, `acceleration ${acceleration} exceeds maximum ${maximum}`, { param: 'acceleration' });
  }
}

/** The SAR state after a bar: what the next bar needs. */
class SarState {
  n = 0;
  isLong = true;
  sar = 0;
  ep = 0;
  af = 0;
  ph = 0;
  pl = 0;

  copyFrom(o: SarState): void {
    this.n = o.n;
    this.isLong = o.isLong;
    this.sar = o.sar;
    this.ep = o.ep;
    this.af = o.af;
    this.ph = o.ph;
    this.pl = o.pl;
  }

  /**
   * Advances by one bar and returns its SAR (NaN on bar 0). The batch loop repeats these
   * operations over locals; keep the two in step.
   */
  next(h: number, l: number, acc: number, max: number): number {
    const i = this.n++;
    // Bars 0 and 1 in a method of their own, so that this one and `advance` stay small enough
    // for V8 to inline into `update` (with checkBar's messages moved out too: 37 → 23 ns per
    // update in the benchmark's loop).
    if (i <= 1) return this.start(i, h, l, acc, max);
    return this.advance(h, l, this.ph, this.pl, acc, max);
  }

  /** Bar 0 (remembered) and bar 1 (sets the direction, the first SAR and extreme point). */
  private start(i: number, h: number, l: number, acc: number, max: number): number {
    if (i === 0) {
      this.ph = h;
      this.pl = l;
      return NaN;
    }
    const up = h - this.ph;
    const down = this.pl - l;
    this.isLong = !(down > 0 && up < down);
    this.sar = this.isLong ? this.pl : this.ph;
    this.ep = this.isLong ? h : l;
    this.af = acc;
    // TA-Lib compares the first bar with itself: its own range is the "previous" one.
    return this.advance(h, l, h, l, acc, max);
  }

  /** The SAR rules for a bar after bar 0, given the previous bar's range. */
  private advance(h: number, l: number, prevHigh: number, prevLow: number, acc: number, max: number): number {
    this.ph = h;
    this.pl = l;
    let sar = this.sar;
    let out: number;
    if (this.isLong) {
      if (l <= sar) {
        this.isLong = false;
        sar = this.ep;
        if (sar < prevHigh) sar = prevHigh;
        if (sar < h) sar = h;
        out = sar;
        this.af = acc;
        this.ep = l;
        sar = sar + this.af * (this.ep - sar);
        if (sar < prevHigh) sar = prevHigh;
        if (sar < h) sar = h;
      } else {
        out = sar;
        if (h > this.ep) {
          this.ep = h;
          this.af += acc;
          if (this.af > max) this.af = max;
        }
        sar = sar + this.af * (this.ep - sar);
        if (sar > prevLow) sar = prevLow;
        if (sar > l) sar = l;
      }
    } else if (h >= sar) {
      this.isLong = true;
      sar = this.ep;
      if (sar > prevLow) sar = prevLow;
      if (sar > l) sar = l;
      out = sar;
      this.af = acc;
      this.ep = h;
      sar = sar + this.af * (this.ep - sar);
      if (sar > prevLow) sar = prevLow;
      if (sar > l) sar = l;
    } else {
      out = sar;
      if (l < this.ep) {
        this.ep = l;
        this.af += acc;
        if (this.af > max) this.af = max;
      }
      sar = sar + this.af * (this.ep - sar);
      if (sar < prevHigh) sar = prevHigh;
      if (sar < h) sar = h;
    }
    this.sar = sar;
    return out;
  }
}

/**
 * Parabolic SAR over high/low; NaN on bar 0. `acceleration` (step and start) and `maximum` in
 * (0, 1], acceleration ≤ maximum.
 * Writes into `out` when given.
 */
export function parabolicSar(bars: Bars, acceleration = 0.02, maximum = 0.2, out?: Float64Array): Float64Array {
  bars = barsInput(NAME, bars, HLC);
  // Checked before the inputs, so an `out` aliasing an input is named as `out`.
  const o = out === undefined ? new Float64Array(bars.close.length) : callerOutput(NAME, bars.close.length, 0, out, [bars.high, bars.low, bars.close]);
  return parabolicSarLoop(bars, acceleration, maximum, o);
}

function parabolicSarLoop(bars: Bars, acceleration: number, maximum: number, out: Float64Array): Float64Array {
  checkParams(acceleration, maximum);
  checkBars(NAME, bars);
  const { high, low } = bars;
  const n = high.length;
  if (n === 0) return out;
  out[0] = NaN;
  if (n === 1) return out;
  // SarState.next unrolled over locals (the state object's fields would stay in memory): the
  // same operations in the same order, so batch and stream agree bitwise (contract suite).
  const up0 = high[1]! - high[0]!;
  const down0 = low[0]! - low[1]!;
  let isLong = !(down0 > 0 && up0 < down0);
  let sar = isLong ? low[0]! : high[0]!;
  let ep = isLong ? high[1]! : low[1]!;
  let af = acceleration;
  let prevHigh = high[1]!;
  let prevLow = low[1]!;
  for (let i = 1; i < n; i++) {
    const h = high[i]!;
    const l = low[i]!;
    if (isLong) {
      if (l <= sar) {
        isLong = false;
        sar = ep;
        if (sar < prevHigh) sar = prevHigh;
        if (sar < h) sar = h;
        out[i] = sar;
        af = acceleration;
        ep = l;
        sar = sar + af * (ep - sar);
        if (sar < prevHigh) sar = prevHigh;
        if (sar < h) sar = h;
      } else {
        out[i] = sar;
        if (h > ep) {
          ep = h;
          af += acceleration;
          if (af > maximum) af = maximum;
        }
        sar = sar + af * (ep - sar);
        if (sar > prevLow) sar = prevLow;
        if (sar > l) sar = l;
      }
    } else if (h >= sar) {
      isLong = true;
      sar = ep;
      if (sar > prevLow) sar = prevLow;
      if (sar > l) sar = l;
      out[i] = sar;
      af = acceleration;
      ep = h;
      sar = sar + af * (ep - sar);
      if (sar > prevLow) sar = prevLow;
      if (sar > l) sar = l;
    } else {
      out[i] = sar;
      if (l < ep) {
        ep = l;
        af += acceleration;
        if (af > maximum) af = maximum;
      }
      sar = sar + af * (ep - sar);
      if (sar < prevHigh) sar = prevHigh;
      if (sar < h) sar = h;
    }
    prevHigh = h;
    prevLow = l;
  }
  return out;
}

/** Streaming {@link parabolicSar}. */
export class ParabolicSarStream implements Streaming<Bar, number> {
  readonly warmup = 1;
  private readonly acc: number;
  private readonly max: number;
  private readonly cur = new SarState();
  private readonly prev = new SarState();

  constructor(acceleration = 0.02, maximum = 0.2) {
    checkParams(acceleration, maximum);
    this.acc = acceleration;
    this.max = maximum;
  }

  update(bar: Bar): number {
    // Each field read once (see rejectBar): barValid tests the fields as given, so a JavaScript
    // caller's string fails its type test, and the arithmetic takes them converted once. (Testing
    // the converted numbers against the raw fields instead measured 226 instructions per update
    // in a cachegrind loop, this 208; no type test at all, 188.)
    const rawH = bar.high;
    const rawL = bar.low;
    if (!barValid(rawH, rawL, bar.close)) rejectBar(NAME, bar, this.cur.n);
    this.prev.copyFrom(this.cur);
    return this.cur.next(+rawH, +rawL, this.acc, this.max);
  }

  replace(bar: Bar): number {
    if (this.cur.n === 0) return this.update(bar);
    const rawH = bar.high;
    const rawL = bar.low;
    if (!barValid(rawH, rawL, bar.close)) rejectBar(NAME, bar, this.cur.n - 1);
    this.cur.copyFrom(this.prev);
    return this.cur.next(+rawH, +rawL, this.acc, this.max);
  }
}
