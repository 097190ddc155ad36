/**
 * TD Sequential (Tom DeMark): price flip, setup 1–9 with perfection, countdown 1–13 with the
 * 13-vs-8 deferral, cancellation, recycling and TDST levels. Rules as written down in the
 * project's PROTOCOLS.md §7; the choices where sources disagree are listed on {@link tdSequential}.
 *
 * @see https://demark.com/sequential-indicator/
 */
import type { Bar, Bars, SeriesRecord, Streaming } from './types.js';
import { checkBar, checkBars } from './validate.js';

const NAME = 'tdSequential';

/** Bars before the first possible setup bar 1: the flip compares close[i-1] with close[i-5]. */
export const TD_SEQUENTIAL_WARMUP = 5;

/** Output fields, one Float64Array each in batch form, one number each in streaming form. */
export const TD_SEQUENTIAL_FIELDS = [
  'buySetup',
  'sellSetup',
  'buyPerfected',
  'sellPerfected',
  'buyCountdown',
  'sellCountdown',
  'buyDeferred',
  'sellDeferred',
  'tdstResistance',
  'tdstSupport',
] as const;

export type TdSequentialField = (typeof TD_SEQUENTIAL_FIELDS)[number];

/**
 * Per-bar TD Sequential state.
 * - `buySetup` / `sellSetup`: consecutive setup count (0 = none). Not capped at 9: 9 marks the
 *   completed setup, 18, 27… mark recycles; charts usually print only 1–9.
 * - `buyPerfected` / `sellPerfected`: 1 while the latest completed setup of that side is perfected
 *   (from bar 9, or from the later bar that perfected it), until an opposite setup completes.
 * - `buyCountdown` / `sellCountdown`: the countdown number on a qualifying bar (1–13), 0 on other bars.
 * - `buyDeferred` / `sellDeferred`: 1 on a bar that qualified as countdown 13 but failed the
 *   13-vs-8 test (DeMark's `+`).
 * - `tdstResistance` (highest high of the latest buy setup) / `tdstSupport` (lowest low of the
 *   latest sell setup): 0 until the first such setup completes (0 is never a level: prices are
 *   positive; not NaN, so that every field is a number once the warm-up is over).
 * During the warm-up every field is NaN.
 */
export type TdSequentialValue = Record<TdSequentialField, number>;
export type TdSequentialSeries = Record<TdSequentialField, Float64Array> & SeriesRecord;

// Scalar state slots (a Float64Array so that `replace` can restore it with one `set`).
const N = 0; // bars seen
const BUY_COUNT = 1;
const SELL_COUNT = 2;
const BUY_PERF = 3;
const SELL_PERF = 4;
const BUY_PERF_REF = 5; // min(low6, low7) while waiting for a later bar to perfect; NaN otherwise
const SELL_PERF_REF = 6;
const BUY_CD = 7; // countdown count; -1 when no buy countdown is running
const SELL_CD = 8;
const BUY_CD8_CLOSE = 9;
const SELL_CD8_CLOSE = 10;
const TDST_RES = 11;
const TDST_SUP = 12;
const SLOTS = 13;
const RING = 16; // ≥ 10: the deepest look-back is the 9 setup bars

/**
 * Streaming TD Sequential over OHLC bars (`open` and `volume` are not read).
 * `update` returns the same object every call, overwritten in place.
 */
export class TdSequentialStream implements Streaming<Bar, TdSequentialValue> {
  readonly warmup = TD_SEQUENTIAL_WARMUP;
  private readonly s = new Float64Array(SLOTS);
  private readonly prev = new Float64Array(SLOTS);
  private readonly close = new Float64Array(RING);
  private readonly high = new Float64Array(RING);
  private readonly low = new Float64Array(RING);
  private readonly out: TdSequentialValue = {
    buySetup: NaN,
    sellSetup: NaN,
    buyPerfected: NaN,
    sellPerfected: NaN,
    buyCountdown: NaN,
    sellCountdown: NaN,
    buyDeferred: NaN,
    sellDeferred: NaN,
    tdstResistance: NaN,
    tdstSupport: NaN,
  };
  private started = false;

  constructor() {
    const s = this.s;
    s[BUY_PERF_REF] = NaN;
    s[SELL_PERF_REF] = NaN;
    s[BUY_CD] = -1;
    s[SELL_CD] = -1;
  }

  update(bar: Bar): TdSequentialValue {
    checkBar(NAME, bar, this.s[N]!);
    this.prev.set(this.s);
    this.started = true;
    return this.step(bar.high, bar.low, bar.close);
  }

  replace(bar: Bar): TdSequentialValue {
    if (!this.started) return this.update(bar);
    checkBar(NAME, bar, this.prev[N]!);
    this.s.set(this.prev);
    return this.step(bar.high, bar.low, bar.close);
  }

  /** The bar `back` bars before the current one (0 = current). */
  private at(arr: Float64Array, back: number): number {
    return arr[(this.s[N]! - back + RING) % RING]!;
  }

  private step(high: number, low: number, close: number): TdSequentialValue {
    const s = this.s;
    const n = s[N]!;
    const slot = n % RING;
    this.close[slot] = close;
    this.high[slot] = high;
    this.low[slot] = low;
    const out = this.out;
    if (n < TD_SEQUENTIAL_WARMUP) {
      s[N] = n + 1;
      return out; // still all NaN: nothing has written to it yet
    }
    const c4 = this.at(this.close, 4);
    const flipRef = this.at(this.close, 5);
    const prevClose = this.at(this.close, 1);

    // Setup: strict < / > against the close 4 bars back; a new count needs a price flip.
    let buy = 0;
    let sell = 0;
    if (close < c4) buy = s[BUY_COUNT]! > 0 ? s[BUY_COUNT]! + 1 : prevClose >= flipRef ? 1 : 0;
    else if (close > c4) sell = s[SELL_COUNT]! > 0 ? s[SELL_COUNT]! + 1 : prevClose <= flipRef ? 1 : 0;
    s[BUY_COUNT] = buy;
    s[SELL_COUNT] = sell;

    if (buy >= 9 && buy % 9 === 0) this.completeSetup(true);
    else if (sell >= 9 && sell % 9 === 0) this.completeSetup(false);
    else {
      // A later bar can still perfect the latest setup.
      if (low < s[BUY_PERF_REF]!) {
        s[BUY_PERF] = 1;
        s[BUY_PERF_REF] = NaN;
      }
      if (high > s[SELL_PERF_REF]!) {
        s[SELL_PERF] = 1;
        s[SELL_PERF_REF] = NaN;
      }
    }

    out.buyCountdown = 0;
    out.sellCountdown = 0;
    out.buyDeferred = 0;
    out.sellDeferred = 0;
    if (s[BUY_CD]! >= 0) this.countdown(true, high, low, close);
    if (s[SELL_CD]! >= 0) this.countdown(false, high, low, close);

    out.buySetup = buy;
    out.sellSetup = sell;
    out.buyPerfected = s[BUY_PERF]!;
    out.sellPerfected = s[SELL_PERF]!;
    out.tdstResistance = s[TDST_RES]!;
    out.tdstSupport = s[TDST_SUP]!;
    s[N] = n + 1;
    return out;
  }

  /** Setup bar 9 (or 18, 27…: a recycle) of a buy (`isBuy`) or sell setup. */
  private completeSetup(isBuy: boolean): void {
    const s = this.s;
    let extreme = isBuy ? -Infinity : Infinity;
    for (let back = 0; back < 9; back++) {
      extreme = isBuy ? Math.max(extreme, this.at(this.high, back)) : Math.min(extreme, this.at(this.low, back));
    }
    // Bars 6 and 7 are 3 and 2 bars back from bar 9; bar 8 is 1 back.
    const src = isBuy ? this.low : this.high;
    const ref = isBuy ? Math.min(this.at(src, 3), this.at(src, 2)) : Math.max(this.at(src, 3), this.at(src, 2));
    const b8 = this.at(src, 1);
    const b9 = this.at(src, 0);
    const perfected = isBuy ? b8 < ref || b9 < ref : b8 > ref || b9 > ref;
    const cd = isBuy ? BUY_CD : SELL_CD;
    const opposite = isBuy ? SELL_CD : BUY_CD;
    s[isBuy ? TDST_RES : TDST_SUP] = extreme;
    s[isBuy ? BUY_PERF : SELL_PERF] = perfected ? 1 : 0;
    s[isBuy ? BUY_PERF_REF : SELL_PERF_REF] = perfected ? NaN : ref;
    // The opposite side's setup no longer stands: its countdown is cancelled, its perfection forgotten.
    s[opposite] = -1;
    s[isBuy ? SELL_PERF : BUY_PERF] = 0;
    s[isBuy ? SELL_PERF_REF : BUY_PERF_REF] = NaN;
    // Bar 9 starts a countdown unless one is running; bar 18, 27… restarts it (recycle).
    const count = s[isBuy ? BUY_COUNT : SELL_COUNT]!;
    if (s[cd]! < 0 || count >= 18) s[cd] = 0;
  }

  private countdown(isBuy: boolean, high: number, low: number, close: number): void {
    const s = this.s;
    const cd = isBuy ? BUY_CD : SELL_CD;
    const tdst = s[isBuy ? TDST_RES : TDST_SUP]!; // set: this side's countdown runs only after its setup
    const prevClose = this.at(this.close, 1);
    // TDST break: this bar's low and the prior close both beyond the setup's extreme.
    if (isBuy ? low > tdst && prevClose > tdst : high < tdst && prevClose < tdst) {
      s[cd] = -1;
      return;
    }
    const qualifies = isBuy ? close <= this.at(this.low, 2) : close >= this.at(this.high, 2);
    if (!qualifies) return;
    const count = s[cd]!;
    const cd8 = isBuy ? BUY_CD8_CLOSE : SELL_CD8_CLOSE;
    if (count < 12) {
      s[cd] = count + 1;
      if (count + 1 === 8) s[cd8] = close;
      if (isBuy) this.out.buyCountdown = count + 1;
      else this.out.sellCountdown = count + 1;
      return;
    }
    if (isBuy ? low <= s[cd8]! : high >= s[cd8]!) {
      s[cd] = -1; // complete: the next countdown needs a new setup
      if (isBuy) this.out.buyCountdown = 13;
      else this.out.sellCountdown = 13;
    } else if (isBuy) this.out.buyDeferred = 1;
    else this.out.sellDeferred = 1;
  }
}

/**
 * TD Sequential over whole columns: the streaming rules run bar by bar, so batch and streaming
 * agree exactly. Reads `high`, `low`, `close`.
 *
 * Choices where sources differ (PROTOCOLS.md §7):
 * - flip: the bar before setup bar 1 has close ≥ (buy) / ≤ (sell) the close 4 bars before it;
 * - perfection: strict `<` / `>` against both bars 6 and 7 (demark.com "exceeded"; Perl's text
 *   allows equality), by bar 8, bar 9 or any later bar until an opposite setup completes;
 * - countdown starts on setup bar 9 (`<=` low / `>=` high two bars back), non-consecutive; the 13th
 *   needs low ≤ (buy) / high ≥ (sell) the close of countdown bar 8, else the bar is deferred (`+`);
 * - cancellation: a completed opposite setup, or a bar whose low and prior close are both above the
 *   buy setup's TDST resistance (mirror for sell);
 * - recycle: a setup run reaching 18 (27, …) consecutive bars restarts the countdown and resets
 *   TDST to those last 9 bars (the plain rule, without Perl's range-size test);
 * - a setup completing while a same-side countdown runs (not at 18) updates TDST and perfection
 *   but leaves the countdown running.
 */
export function tdSequential(bars: Bars): TdSequentialSeries {
  checkBars(NAME, bars);
  const n = bars.close.length;
  const out = {} as TdSequentialSeries;
  for (const f of TD_SEQUENTIAL_FIELDS) out[f] = new Float64Array(n);
  const stream = new TdSequentialStream();
  const { high, low, close } = bars;
  const bar: Bar = { high: 0, low: 0, close: 0 };
  for (let i = 0; i < n; i++) {
    bar.high = high[i]!;
    bar.low = low[i]!;
    bar.close = close[i]!;
    const v = stream.update(bar);
    // Field by field, not a loop over names: keeps every access monomorphic.
    out.buySetup[i] = v.buySetup;
    out.sellSetup[i] = v.sellSetup;
    out.buyPerfected[i] = v.buyPerfected;
    out.sellPerfected[i] = v.sellPerfected;
    out.buyCountdown[i] = v.buyCountdown;
    out.sellCountdown[i] = v.sellCountdown;
    out.buyDeferred[i] = v.buyDeferred;
    out.sellDeferred[i] = v.sellDeferred;
    out.tdstResistance[i] = v.tdstResistance;
    out.tdstSupport[i] = v.tdstSupport;
  }
  return out;
}
