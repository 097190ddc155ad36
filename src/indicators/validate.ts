/**
 * Input checks shared by every indicator. Batch forms check a whole column in one tight pass
 * before computing; streaming forms check each value before touching their state, so a
 * rejected bar leaves the stream as it was.
 */
import { IndicatorInputError } from './indicator-error.js';
import type { Bar, Bars } from './types.js';

/** Throws unless `value` is an integer in [min, max]. */
export function checkPeriod(indicator: string, param: string, value: number, min: number, max = 100_000): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new IndicatorInputError(indicator, `${param} must be an integer in ${min}..${max}, got ${value}`, { param });
  }
}

/** Throws unless `value` is a finite number in [min, max] (a non-integer parameter such as a multiplier). */
export function checkNumber(indicator: string, param: string, value: number, min: number, max: number): void {
  if (!(value >= min && value <= max)) {
    throw new IndicatorInputError(indicator, `${param} must be a number in ${min}..${max}, got ${value}`, { param });
  }
}

function badValue(indicator: string, param: string, index: number, value: number | undefined): never {
  const why = value === undefined || Number.isNaN(value) ? 'is not a number' : value < 0 ? 'is negative' : 'is not finite';
  throw new IndicatorInputError(indicator, `${param} at bar ${index} ${why} (${value})`, { index, param });
}

/** Throws at the first value of `column` that is NaN, infinite or negative, naming its bar index. */
export function checkSeries(indicator: string, param: string, column: Float64Array): void {
  const n = column.length;
  for (let i = 0; i < n; i++) {
    const v = column[i]!;
    if (!(v >= 0 && v < Infinity)) badValue(indicator, param, i, v);
  }
}

/** Streaming counterpart of {@link checkSeries}: one value at bar `index`. */
export function checkValue(indicator: string, param: string, value: number, index: number): void {
  if (!(value >= 0 && value < Infinity)) badValue(indicator, param, index, value);
}

/** Which optional columns an indicator reads. */
export interface BarNeeds {
  open?: boolean;
  volume?: boolean;
  openTime?: boolean;
}

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
export function checkBars(indicator: string, bars: Bars, needs: BarNeeds = {}): void {
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

/** Streaming counterpart of {@link checkBars} for one bar at `index` (timestamps are the stream's to order). */
export function checkBar(indicator: string, bar: Bar, index: number, needs: BarNeeds = {}): void {
  checkValue(indicator, 'close', bar.close, index);
  checkValue(indicator, 'high', bar.high, index);
  checkValue(indicator, 'low', bar.low, index);
  if (bar.high < bar.low) {
    throw new IndicatorInputError(indicator, `high ${bar.high} is below low ${bar.low} at bar ${index}`, { index, param: 'high' });
  }
  if (needs.open === true) checkValue(indicator, 'open', bar.open ?? NaN, index);
  if (needs.volume === true) checkValue(indicator, 'volume', bar.volume ?? NaN, index);
  if (needs.openTime === true) checkValue(indicator, 'openTime', bar.openTime ?? NaN, index);
}

/** A Float64Array of `n` NaNs: the warm-up default of every batch output. */
export function nanSeries(n: number): Float64Array {
  return new Float64Array(n).fill(NaN);
}
