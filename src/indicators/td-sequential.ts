/**
 * TD Sequential (Tom DeMark): price flip, setup 1–9 with perfection, countdown 1–13 with the
 * 13-vs-8 deferral, cancellation, recycling and TDST levels. Rules as written down in the
 * project's PROTOCOLS.md §7; the choices where sources disagree are listed on {@link tdSequential}.
 *
 * @see https://demark.com/sequential-indicator/
 */
import type { Bar, Bars, SeriesRecord, Streaming } from './types.js';
import { checkOutputsApart, outputSeries } from './output-series.js';
import { barsInput, checkBar, checkBars, HLC } from './validate.js';
import { nextSetupCount } from './td-setup.js';

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

/**
 * One bar's TD Sequential state: the ten output values and what the next bar needs.
 * {@link tdStep} advances it in place.
 */
class TdState {
  buySetup = 0;
  sellSetup = 0;
  buyPerfected = 0;
  sellPerfected = 0;
  /** This bar's countdown number, 0 if none (the running count is `buyCd`). */
  buyCountdown = 0;
  sellCountdown = 0;
  buyDeferred = 0;
  sellDeferred = 0;
  tdstResistance = 0;
  tdstSupport = 0;
  /** min(low of bars 6, 7) while a later bar may still perfect the buy setup; NaN otherwise. */
  buyPerfRef = NaN;
  sellPerfRef = NaN;
  /** Running countdown count; −1 while no countdown of that side runs. */
  buyCd = -1;
  sellCd = -1;
  buyCd8Close = 0;
  sellCd8Close = 0;

  /** Takes `o`'s state, all but this bar's countdown marks, which {@link tdStep} always rewrites. */
  copyFrom(o: TdState): void {
    this.buySetup = o.buySetup;
    this.sellSetup = o.sellSetup;
    this.buyPerfected = o.buyPerfected;
    this.sellPerfected = o.sellPerfected;
    this.tdstResistance = o.tdstResistance;
    this.tdstSupport = o.tdstSupport;
    this.buyPerfRef = o.buyPerfRef;
    this.sellPerfRef = o.sellPerfRef;
    this.buyCd = o.buyCd;
    this.sellCd = o.sellCd;
    this.buyCd8Close = o.buyCd8Close;
    this.sellCd8Close = o.sellCd8Close;
  }
}

/**
 * The TD Sequential rules for bar `i` (≥ {@link TD_SEQUENTIAL_WARMUP}) of the columns, which must
 * hold bars i − 8 … i: `s`, the state after bar i − 1, becomes the state after bar `i`. Batch
 * hands it the input columns; the stream its own short history buffers. One piece of code, so
 * batch and streaming agree bit for bit. The rare and the per-side steps are functions of their
 * own to keep this one small enough for V8 to inline into the stream's `update`.
 */
function tdStep(s: TdState, high: Float64Array, low: Float64Array, close: Float64Array, i: number): void {
  // Setup: the rule tdSetup steps with, on the signed count (− buy, + sell).
  const setup = nextSetupCount(s.sellSetup - s.buySetup, close[i]!, close[i - 4]!, close[i - 1]!, close[i - 5]!);
  const buy = setup < 0 ? -setup : 0;
  const sell = setup > 0 ? setup : 0;
  s.buySetup = buy;
  s.sellSetup = sell;
  s.buyCountdown = 0;
  s.sellCountdown = 0;
  s.buyDeferred = 0;
  s.sellDeferred = 0;

  if (buy >= 9 && buy % 9 === 0) completeBuySetup(s, high, low, i);
  else if (sell >= 9 && sell % 9 === 0) completeSellSetup(s, high, low, i);
  else {
    // A later bar can still perfect the latest setup.
    if (low[i]! < s.buyPerfRef) {
      s.buyPerfected = 1;
      s.buyPerfRef = NaN;
    }
    if (high[i]! > s.sellPerfRef) {
      s.sellPerfected = 1;
      s.sellPerfRef = NaN;
    }
  }
  if (s.buyCd >= 0) buyCountdownStep(s, high, low, close, i);
  if (s.sellCd >= 0) sellCountdownStep(s, high, low, close, i);
}

/** Buy setup bar 9 (or 18, 27…: a recycle) at bar `i`. */
function completeBuySetup(s: TdState, high: Float64Array, low: Float64Array, i: number): void {
  // TDST resistance: the setup's highest high.
  let highest = high[i]!;
  for (let k = i - 8; k < i; k++) if (high[k]! > highest) highest = high[k]!;
  s.tdstResistance = highest;
  // Bars 6 and 7 are 3 and 2 bars back from bar 9; bar 8 is 1 back.
  const ref = Math.min(low[i - 3]!, low[i - 2]!);
  const perfected = low[i - 1]! < ref || low[i]! < ref;
  s.buyPerfected = perfected ? 1 : 0;
  s.buyPerfRef = perfected ? NaN : ref;
  // The sell setup no longer stands: its countdown is cancelled, its perfection forgotten.
  s.sellCd = -1;
  s.sellPerfected = 0;
  s.sellPerfRef = NaN;
  // Bar 9 starts a countdown unless one is running; bar 18, 27… restarts it (recycle).
  if (s.buyCd < 0 || s.buySetup >= 18) s.buyCd = 0;
}

/** Sell setup bar 9 (or 18, 27…) at bar `i`: the mirror of {@link completeBuySetup}. */
function completeSellSetup(s: TdState, high: Float64Array, low: Float64Array, i: number): void {
  let lowest = low[i]!;
  for (let k = i - 8; k < i; k++) if (low[k]! < lowest) lowest = low[k]!;
  s.tdstSupport = lowest;
  const ref = Math.max(high[i - 3]!, high[i - 2]!);
  const perfected = high[i - 1]! > ref || high[i]! > ref;
  s.sellPerfected = perfected ? 1 : 0;
  s.sellPerfRef = perfected ? NaN : ref;
  s.buyCd = -1;
  s.buyPerfected = 0;
  s.buyPerfRef = NaN;
  if (s.sellCd < 0 || s.sellSetup >= 18) s.sellCd = 0;
}

/** Bar `i` of a running buy countdown. */
function buyCountdownStep(s: TdState, high: Float64Array, low: Float64Array, close: Float64Array, i: number): void {
  // TDST break (tdstResistance is set: a buy countdown runs only after a buy setup): this
  // bar's low and the prior close both above the setup's highest high.
  const tdst = s.tdstResistance;
  const c = close[i]!;
  if (low[i]! > tdst && close[i - 1]! > tdst) s.buyCd = -1;
  else if (c <= low[i - 2]!) {
    const count = s.buyCd;
    if (count < 12) {
      s.buyCd = count + 1;
      if (count === 7) s.buyCd8Close = c;
      s.buyCountdown = count + 1;
    } else if (low[i]! <= s.buyCd8Close) {
      s.buyCd = -1; // complete: the next countdown needs a new setup
      s.buyCountdown = 13;
    } else s.buyDeferred = 1;
  }
}

/** Bar `i` of a running sell countdown: the mirror of {@link buyCountdownStep}. */
function sellCountdownStep(s: TdState, high: Float64Array, low: Float64Array, close: Float64Array, i: number): void {
  const tdst = s.tdstSupport;
  const c = close[i]!;
  if (high[i]! < tdst && close[i - 1]! < tdst) s.sellCd = -1;
  else if (c >= high[i - 2]!) {
    const count = s.sellCd;
    if (count < 12) {
      s.sellCd = count + 1;
      if (count === 7) s.sellCd8Close = c;
      s.sellCountdown = count + 1;
    } else if (high[i]! >= s.sellCd8Close) {
      s.sellCd = -1;
      s.sellCountdown = 13;
    } else s.sellDeferred = 1;
  }
}

/** Bars the stream keeps: the deepest look-back is the 9 setup bars (i − 8 … i). */
const KEEP = 9;
/** Stream history length; every CAPACITY − KEEP bars the last KEEP move to the front. */
const CAPACITY = 1024;

/**
 * Streaming TD Sequential over OHLC bars (`open` and `volume` are not read).
 * `update` returns the same object every call, overwritten in place.
 */
export class TdSequentialStream implements Streaming<Bar, TdSequentialValue> {
  readonly warmup = TD_SEQUENTIAL_WARMUP;
  /** State after the latest bar. */
  private readonly state = new TdState();
  /** State before the latest bar: `replace` steps from it again. */
  private readonly before = new TdState();
  private readonly high = new Float64Array(CAPACITY);
  private readonly low = new Float64Array(CAPACITY);
  private readonly close = new Float64Array(CAPACITY);
  /** Bars seen. */
  private n = 0;
  /** Buffer index of the latest bar; −1 before the first. */
  private at = -1;
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

  update(bar: Bar): TdSequentialValue {
    checkBar(NAME, bar, this.n);
    if (this.at === CAPACITY - 1) {
      this.high.copyWithin(0, CAPACITY - KEEP);
      this.low.copyWithin(0, CAPACITY - KEEP);
      this.close.copyWithin(0, CAPACITY - KEEP);
      this.at = KEEP - 1;
    }
    this.at++;
    this.n++;
    this.before.copyFrom(this.state);
    return this.step(bar);
  }

  replace(bar: Bar): TdSequentialValue {
    if (this.n === 0) return this.update(bar);
    checkBar(NAME, bar, this.n - 1);
    this.state.copyFrom(this.before);
    return this.step(bar);
  }

  private step(bar: Bar): TdSequentialValue {
    const i = this.at;
    this.high[i] = bar.high;
    this.low[i] = bar.low;
    this.close[i] = bar.close;
    const out = this.out;
    if (this.n <= TD_SEQUENTIAL_WARMUP) return out; // still all NaN: nothing has written to it yet
    const s = this.state;
    tdStep(s, this.high, this.low, this.close, i);
    out.buySetup = s.buySetup;
    out.sellSetup = s.sellSetup;
    out.buyPerfected = s.buyPerfected;
    out.sellPerfected = s.sellPerfected;
    out.buyCountdown = s.buyCountdown;
    out.sellCountdown = s.sellCountdown;
    out.buyDeferred = s.buyDeferred;
    out.sellDeferred = s.sellDeferred;
    out.tdstResistance = s.tdstResistance;
    out.tdstSupport = s.tdstSupport;
    return out;
  }
}

/**
 * TD Sequential over whole columns: the stream's state machine steps over the input columns
 * directly, so batch and streaming agree exactly. Reads `high`, `low`, `close`. With `out` (an
 * object of ten Float64Arrays of the input's length) it writes there and returns `out`.
 *
 * Choices where sources differ (PROTOCOLS.md §7):
 * - flip: the bar before setup bar 1 has close ≥ (buy) / ≤ (sell) the close 4 bars before it;
 * - perfection: strict `<` / `>` against both bars 6 and 7 (demark.com "exceeded"; Perl's text
 *   allows equality), by bar 8, bar 9 or any later bar until an opposite setup completes;
 * - countdown starts on setup bar 9 (`<=` low / `>=` high two bars back), non-consecutive; the 13th
 *   needs low ≤ (buy) / high ≥ (sell) the close of countdown bar 8, else the bar is deferred (`+`);
 * - cancellation: a completed opposite setup, or a bar whose low and prior close are both above the
 *   buy setup's TDST resistance (its 9 bars' highest high, the flip bar not included; mirror for
 *   sell); an opposite setup completing on the bar that would be countdown 13 wins (no 13);
 * - recycle: a setup run reaching 18 (27, …) consecutive bars restarts the countdown and resets
 *   TDST to those last 9 bars (the plain rule, without Perl's range-size test);
 * - a setup completing while a same-side countdown runs (not at 18) updates TDST and perfection
 *   but leaves the countdown running.
 */
export function tdSequential(bars: Bars, out?: TdSequentialSeries): TdSequentialSeries {
  bars = barsInput(NAME, bars, HLC);
  const n = bars.close.length;
  const lines = {} as TdSequentialSeries;
  for (const f of TD_SEQUENTIAL_FIELDS) lines[f] = outputSeries(n, TD_SEQUENTIAL_WARMUP, out, NAME, f);
  if (out !== undefined) checkOutputsApart(NAME, Object.values(lines), [bars.high, bars.low, bars.close]);
  checkBars(NAME, bars);
  // The loop lives in its own function (see sma.ts): `out` and fresh arrays never meet in it.
  tdSequentialLoop(bars, lines);
  return out ?? lines;
}

function tdSequentialLoop(bars: Bars, lines: TdSequentialSeries): void {
  const { high, low, close } = bars;
  const n = close.length;
  const { buySetup, sellSetup, buyPerfected, sellPerfected, buyCountdown, sellCountdown, buyDeferred, sellDeferred } = lines;
  const { tdstResistance, tdstSupport } = lines;
  const next = new TdState();
  for (let i = TD_SEQUENTIAL_WARMUP; i < n; i++) {
    tdStep(next, high, low, close, i);
    buySetup[i] = next.buySetup;
    sellSetup[i] = next.sellSetup;
    buyPerfected[i] = next.buyPerfected;
    sellPerfected[i] = next.sellPerfected;
    buyCountdown[i] = next.buyCountdown;
    sellCountdown[i] = next.sellCountdown;
    buyDeferred[i] = next.buyDeferred;
    sellDeferred[i] = next.sellDeferred;
    tdstResistance[i] = next.tdstResistance;
    tdstSupport[i] = next.tdstSupport;
  }
}
