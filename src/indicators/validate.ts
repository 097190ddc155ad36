/**
 * Input checks shared by every indicator. Batch forms first take their columns through
 * {@link seriesInput} / {@link barsInput} (a JavaScript caller's plain array becomes a
 * Float64Array, a string or null in it an error), then either call {@link checkBars} /
 * {@link checkSeries} up front or test each value inside their compute loop and, on the first
 * fault, call {@link rejectValue} / {@link rejectBars}, which throw exactly what the up-front check
 * would have (the output is not returned, so nothing half-computed escapes). Streaming forms
 * check each value before touching their state, so a rejected bar leaves the stream as it was.
 */
import { IndicatorInputError } from './indicator-error.js';
import type { Bar, Bars } from './types.js';

/** Throws unless `value` is an integer in [min, max]. */
export function checkPeriod(indicator: string, param: string, value: number, min: number, max = 100_000): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new IndicatorInputError(indicator, `${param} must be an integer in ${min}..${max}, got ${shown(value)}`, { param });
  }
}

/** Throws unless `value` is a finite number in [min, max] (a non-integer parameter such as a multiplier). */
export function checkNumber(indicator: string, param: string, value: number, min: number, max: number): void {
  if (!(typeof value === 'number' && value >= min && value <= max)) {
    throw new IndicatorInputError(indicator, `${param} must be a number in ${min}..${max}, got ${shown(value)}`, { param });
  }
}

/** A parameter as a message shows it: a JavaScript caller's string quoted, so "20" is not read as 20. */
function shown(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/**
 * Throws the error for a value of `param` at bar `index` that is not a number or failed
 * `v >= 0 && v < Infinity`: the message {@link checkSeries} gives. For batch loops that test
 * values as they compute. A JavaScript caller's value of another type is named with its type
 * (a string shows quoted: "7211.02" is a string, not a number).
 */
export function rejectValue(indicator: string, param: string, index: number, value: unknown): never {
  throw new IndicatorInputError(indicator, `${param} at bar ${index} ${whyNot(value)}`, { index, param });
}

function whyNot(value: unknown): string {
  if (typeof value === 'number') return `${Number.isNaN(value) ? 'is not a number' : value < 0 ? 'is negative' : 'is not finite'} (${value})`;
  if (value === undefined) return 'is missing (undefined)';
  if (value === null) return 'is null, not a number';
  if (typeof value === 'string') return `is a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}), not a number`;
  return `is a ${typeof value}, not a number`;
}

/**
 * A batch input column as the Float64Array the compute loops read. A Float64Array (what the
 * types ask for) is returned as it is. A JavaScript caller's plain array or other typed array is
 * copied, once every element is known to be a number: a numeric string such as Binance's
 * "7211.02" passes `x >= 0`, and `sum += x` then joins strings ("1" + "2" is "12").
 */
export function seriesInput(indicator: string, param: string, values: unknown): Float64Array {
  if (values instanceof Float64Array) return values;
  if (!Array.isArray(values) && !(ArrayBuffer.isView(values) && !(values instanceof DataView))) {
    const got = values === null ? 'null' : typeof values === 'object' ? (values.constructor?.name ?? 'an object') : typeof values;
    throw new IndicatorInputError(indicator, `${param} must be a Float64Array or an array of numbers, got ${got}`, { param });
  }
  const list = values as ArrayLike<unknown>;
  const n = list.length;
  for (let i = 0; i < n; i++) {
    const v = list[i];
    if (typeof v !== 'number') rejectValue(indicator, param, i, v);
  }
  return Float64Array.from(list as ArrayLike<number>);
}

/** A column of {@link Bars}. */
export type BarColumn = keyof Bars;

const COLUMN_ORDER: readonly BarColumn[] = ['close', 'high', 'low', 'open', 'volume', 'openTime'];

/** The columns most bar indicators read. */
export const HLC: readonly BarColumn[] = Object.freeze(['high', 'low', 'close'] as const);

/**
 * {@link seriesInput} for the `columns` of `bars` an indicator reads; `bars` itself when they are
 * all Float64Arrays already. A missing column is left for the indicator's own check to name.
 */
export function barsInput(indicator: string, bars: Bars, columns: readonly BarColumn[]): Bars {
  if (typeof bars !== 'object' || bars === null) {
    throw new IndicatorInputError(indicator, `bars must be an object of columns (high, low, close…), got ${bars === null ? 'null' : typeof bars}`, { param: 'bars' });
  }
  let copy: Bars | undefined;
  // In checkBars' order, so a batch and its stream name the same field of a bad bar.
  for (const k of COLUMN_ORDER) {
    if (!columns.includes(k)) continue;
    const column: unknown = bars[k];
    if (column instanceof Float64Array || (column === undefined && k !== 'close')) continue;
    copy ??= { ...bars };
    copy[k] = seriesInput(indicator, k, column);
  }
  return copy ?? bars;
}

/** Throws at the first value of `column` that is NaN, infinite or negative, naming its bar index. */
export function checkSeries(indicator: string, param: string, column: Float64Array): void {
  const n = column.length;
  for (let i = 0; i < n; i++) {
    const v = column[i]!;
    if (!(v >= 0 && v < Infinity)) rejectValue(indicator, param, i, v);
  }
}

/** Streaming counterpart of {@link checkSeries}: one value at bar `index`. */
export function checkValue(indicator: string, param: string, value: number, index: number): void {
  if (!(typeof value === 'number' && value >= 0 && value < Infinity)) rejectValue(indicator, param, index, value);
}

/**
 * A stream's time check: bar `index`'s openTime `t` must come after `before`, the previous bar's
 * (NaN when there is none). `t` itself is checked as a value first.
 */
export function checkTimeAfter(indicator: string, t: number, before: number, index: number): void {
  if (t <= before) throw new IndicatorInputError(indicator, `openTime ${t} at bar ${index} is not after the previous bar's ${before}`, { index, param: 'openTime' });
}

/** Which optional columns an indicator reads. */
export interface BarNeeds {
  open?: boolean;
  volume?: boolean;
  openTime?: boolean;
}

/** The default `needs`: one shared object, so a per-bar check allocates nothing. */
const NO_NEEDS: BarNeeds = Object.freeze({});

function checkLength(indicator: string, param: string, column: Float64Array | undefined, n: number): Float64Array {
  if (column === undefined) throw new IndicatorInputError(indicator, `needs the ${param} column`, { param });
  if (column.length !== n) {
    throw new IndicatorInputError(indicator, `${param} has ${column.length} rows, close has ${n}`, { param });
  }
  return column;
}

/**
 * Checks the columns an indicator reads: equal lengths, prices and volumes finite and ≥ 0,
 * high ≥ low, and (when `openTime` is needed) strictly increasing timestamps.
 */
export function checkBars(indicator: string, bars: Bars, needs: BarNeeds = NO_NEEDS): void {
  // One pass over all columns finds whether anything is wrong; only then does the ordered check
  // run, so the error (first column, then first bar) is the same as checking column by column.
  if (!columnsFit(bars, needs) || !valuesValid(bars, needs)) rejectBars(indicator, bars, needs);
}

/**
 * Whether every column `needs` asks for (and high, low) exists with close's length. Batch loops
 * that test values as they compute call this first and {@link rejectBars} when it is false.
 */
export function columnsFit(bars: Bars, needs: BarNeeds = NO_NEEDS): boolean {
  const n = bars.close.length;
  const fits = (c: Float64Array | undefined): boolean => c !== undefined && c.length === n;
  return (
    fits(bars.high) &&
    fits(bars.low) &&
    (needs.open !== true || fits(bars.open)) &&
    (needs.volume !== true || fits(bars.volume)) &&
    (needs.openTime !== true || fits(bars.openTime))
  );
}

/**
 * One bar's high/low/close are finite, ≥ 0 and high ≥ low (NaN fails every comparison, and
 * low ≥ 0, high ≥ low, high < ∞ bound both). The test a fused batch loop makes per bar.
 */
export function barValid(high: number, low: number, close: number): boolean {
  // The type tests cost nothing on a Float64Array's elements (V8 knows they are numbers); on a
  // stream's bar object they reject a JavaScript caller's strings, which compare as text.
  return (
    typeof high === 'number' && typeof low === 'number' && typeof close === 'number' &&
    low >= 0 && high >= low && high < Infinity && close >= 0 && close < Infinity
  );
}

function valuesValid(bars: Bars, needs: BarNeeds): boolean {
  const { high, low, close } = bars;
  const n = close.length;
  for (let i = 0; i < n; i++) if (!barValid(high[i]!, low[i]!, close[i]!)) return false;
  if (needs.open === true && !seriesValid(bars.open!)) return false;
  if (needs.volume === true && !seriesValid(bars.volume!)) return false;
  if (needs.openTime === true) {
    const t = bars.openTime!;
    if (!seriesValid(t)) return false;
    for (let i = 1; i < n; i++) if (!(t[i]! > t[i - 1]!)) return false;
  }
  return true;
}

function seriesValid(column: Float64Array): boolean {
  const n = column.length;
  for (let i = 0; i < n; i++) if (!valid(column[i]!)) return false;
  return true;
}

function valid(v: number | undefined): boolean {
  return typeof v === 'number' && v >= 0 && v < Infinity;
}

/**
 * Throws what {@link checkBars} throws on these bars. For batch loops that found a fault with
 * {@link columnsFit} or {@link barValid}: the ordered check names the same column and bar.
 */
export function rejectBars(indicator: string, bars: Bars, needs: BarNeeds = NO_NEEDS): never {
  checkBarsInOrder(indicator, bars, needs);
  throw new Error(`${indicator}: rejectBars called on valid bars`);
}

/** The reference order of checks: which fault is reported when several are present. */
function checkBarsInOrder(indicator: string, bars: Bars, needs: BarNeeds = NO_NEEDS): void {
  const n = bars.close.length;
  const high = checkLength(indicator, 'high', bars.high, n);
  const low = checkLength(indicator, 'low', bars.low, n);
  checkSeries(indicator, 'close', bars.close);
  checkSeries(indicator, 'high', high);
  checkSeries(indicator, 'low', low);
  for (let i = 0; i < n; i++) {
    if (high[i]! < low[i]!) {
      throw new IndicatorInputError(indicator, `high ${high[i]} is below low ${low[i]} at bar ${i}`, { index: i, param: 'high' });
    }
  }
  if (needs.open === true) checkSeries(indicator, 'open', checkLength(indicator, 'open', bars.open, n));
  if (needs.volume === true) checkSeries(indicator, 'volume', checkLength(indicator, 'volume', bars.volume, n));
  if (needs.openTime === true) {
    const t = checkLength(indicator, 'openTime', bars.openTime, n);
    checkSeries(indicator, 'openTime', t);
    for (let i = 1; i < n; i++) {
      if (!(t[i]! > t[i - 1]!)) {
        const why = t[i] === t[i - 1] ? 'duplicates' : 'is before';
        throw new IndicatorInputError(indicator, `openTime ${t[i]} at bar ${i} ${why} the previous bar's ${t[i - 1]}`, {
          index: i,
          param: 'openTime',
        });
      }
    }
  }
}

/**
 * Streaming counterpart of {@link checkBars} for one bar's high, low and close at `index`.
 * Only the test lives here, the messages in {@link rejectBar}: every update calls this, and V8
 * inlines it into a stream's `update` only while the whole step fits its inlining budget (about
 * 920 bytes of bytecode), so it is kept as small as it can be.
 */
export function checkBar(indicator: string, bar: Bar, index: number): void {
  if (!barValid(bar.high, bar.low, bar.close)) rejectBar(indicator, bar, index);
}

/** {@link checkBar} and the optional fields `needs` names (timestamps are the stream's to order). */
export function checkBarWith(indicator: string, bar: Bar, index: number, needs: BarNeeds): void {
  if (!barValid(bar.high, bar.low, bar.close) || !extrasValid(bar, needs)) rejectBar(indicator, bar, index, needs);
}

function extrasValid(bar: Bar, needs: BarNeeds): boolean {
  return (
    (needs.open !== true || valid(bar.open)) &&
    (needs.volume !== true || valid(bar.volume)) &&
    (needs.openTime !== true || valid(bar.openTime))
  );
}

/**
 * Throws what {@link checkBar} throws for a bar that failed its test. For a stream that reads
 * each field once and makes its own test (parabolic SAR; session VWAP reads its fields the same
 * way and names a fault through {@link checkBarWith}, which also covers volume): V8 converts a bar
 * object's number field at every use, so a field read once for the check and again for the
 * arithmetic is converted twice (the SAR stream measured 22.5 → 19.5 ns per update once its
 * fields were read once).
 */
export function rejectBar(indicator: string, bar: Bar, index: number, needs: BarNeeds = NO_NEEDS): never {
  checkValue(indicator, 'close', bar.close, index);
  checkValue(indicator, 'high', bar.high, index);
  checkValue(indicator, 'low', bar.low, index);
  if (bar.high < bar.low) {
    throw new IndicatorInputError(indicator, `high ${bar.high} is below low ${bar.low} at bar ${index}`, { index, param: 'high' });
  }
  if (needs.open === true) checkValue(indicator, 'open', bar.open!, index);
  if (needs.volume === true) checkValue(indicator, 'volume', bar.volume!, index);
  if (needs.openTime === true) checkValue(indicator, 'openTime', bar.openTime!, index);
  throw new Error(`${indicator}: rejectBar called on a valid bar`);
}

/** A Float64Array of `n` NaNs: the warm-up default of every batch output. */
export function nanSeries(n: number): Float64Array {
  return new Float64Array(n).fill(NaN);
}
