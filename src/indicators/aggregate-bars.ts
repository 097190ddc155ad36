/**
 * Rolls 1m bars up into any interval on the UTC grid, the way the exchange builds its own
 * klines: open of the first minute, high max, low min, close of the last minute, volume summed.
 * A bucket holds whatever minutes exist (`minutes` says how many), so a gap is visible.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#klinecandlestick-data
 */
import { floorToInterval, intervalMs, type Interval } from '../core/intervals.js';
import { IndicatorInputError } from './indicator-error.js';
import { barsInput, checkBars } from './validate.js';
import type { Bars } from './types.js';

const NAME = 'aggregateBars';

/** Bars with every column present, as aggregation reads and writes them. */
export interface FullBars extends Bars {
  openTime: Float64Array;
  open: Float64Array;
  volume: Float64Array;
}

/** Aggregated bars plus the number of 1m bars that went into each. */
export interface AggregatedBars extends FullBars {
  minutes: Float64Array;
}

/**
 * Aggregates 1m bars (sorted, unique open times on the minute grid) to `interval`.
 * Throws IndicatorInputError on a missing column, bad value or unsorted/duplicate/off-grid time.
 */
export function aggregateBars(bars: Bars, interval: Interval): AggregatedBars {
  bars = barsInput(NAME, bars, ['open', 'high', 'low', 'close', 'volume', 'openTime']);
  checkBars(NAME, bars, { open: true, volume: true, openTime: true });
  const t = bars.openTime!;
  const open = bars.open!;
  const volume = bars.volume!;
  const { high, low, close } = bars;
  const n = close.length;
  for (let i = 0; i < n; i++) {
    if (t[i]! % 60_000 !== 0) throw new IndicatorInputError(NAME, `openTime ${t[i]} at bar ${i} is not on the 1m grid`, { index: i, param: 'openTime' });
  }
  const len = intervalMs(interval);
  let buckets = 0;
  for (let i = 0, last = -1; i < n; i++) {
    const b = Math.floor(t[i]! / len);
    if (b !== last) {
      buckets++;
      last = b;
    }
  }
  const out: AggregatedBars = {
    openTime: new Float64Array(buckets),
    open: new Float64Array(buckets),
    high: new Float64Array(buckets),
    low: new Float64Array(buckets),
    close: new Float64Array(buckets),
    volume: new Float64Array(buckets),
    minutes: new Float64Array(buckets),
  };
  let j = -1;
  let start = -1;
  for (let i = 0; i < n; i++) {
    const s = floorToInterval(t[i]!, interval);
    if (s !== start) {
      j++;
      start = s;
      out.openTime[j] = s;
      out.open[j] = open[i]!;
      out.high[j] = high[i]!;
      out.low[j] = low[i]!;
      out.volume[j] = 0;
    }
    if (high[i]! > out.high[j]!) out.high[j] = high[i]!;
    if (low[i]! < out.low[j]!) out.low[j] = low[i]!;
    out.close[j] = close[i]!;
    out.volume[j]! += volume[i]!;
    out.minutes[j]! += 1;
  }
  return out;
}
