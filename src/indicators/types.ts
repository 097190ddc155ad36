/** Shapes every indicator shares: OHLCV column input, one-bar input, and the streaming face. */

/**
 * OHLCV columns of equal length, oldest first. Indicators that read only closes take the
 * `close` Float64Array directly instead. `openTime` (UTC epoch ms) is needed only by
 * time-anchored indicators such as session VWAP.
 */
export interface Bars {
  open?: Float64Array;
  high: Float64Array;
  low: Float64Array;
  close: Float64Array;
  volume?: Float64Array;
  openTime?: Float64Array;
}

/** One bar, the streaming counterpart of a row of {@link Bars}. */
export interface Bar {
  open?: number;
  high: number;
  low: number;
  close: number;
  volume?: number;
  openTime?: number;
}

/**
 * The streaming face of an indicator: one bar at a time.
 *
 * - `update(input)` appends a new bar and returns the output at that bar.
 * - `replace(input)` replaces the still-forming last bar and returns exactly what `update` would
 *   have returned had this bar arrived instead. Called before any `update`, it acts as `update`.
 * - `warmup` is the number of leading bars whose output is not ready (NaN, or an object of NaNs
 *   for multi-output indicators); the output at index `warmup` is the first ready one.
 *
 * Multi-output streams return the same object from every call, overwritten in place, so a hot
 * update allocates nothing: copy the fields if you keep them. A rejected input (it throws
 * `IndicatorInputError`) leaves the stream's state as it was.
 */
export interface Streaming<I, O> {
  readonly warmup: number;
  update(input: I): O;
  replace(input: I): O;
}

/** Output of a multi-output batch indicator, e.g. `{ macd, signal, histogram }`. */
export type SeriesRecord = Record<string, Float64Array>;

/** Output of a multi-output stream, e.g. `{ macd, signal, histogram }`. */
export type ValueRecord = Record<string, number>;
