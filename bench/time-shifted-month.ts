/**
 * Benchmark data derived from real candles: a calendar month filled day by day from the whole
 * days of one real 1m month, each day time-shifted to its place. Prices, volumes and their
 * compressibility stay real; only the times are moved. Shared by the store and alerts benches.
 */
import { allocateColumns, CANDLE_FIELDS, type CandleColumns } from '../src/core/candle.js';
import { DAY_MS } from '../src/core/intervals.js';

/** 1m candles of the UTC month `month` (0-based, from 2020-01) taken from `src`, cycling over its first `cycleDays` days. */
export function timeShiftedMonth(src: CandleColumns, month: number, cycleDays: number): CandleColumns {
  const srcStart = src.openTime[0] as number;
  const start = Date.UTC(2020, month, 1);
  const days = (Date.UTC(2020, month + 1, 1) - start) / DAY_MS;
  const out = allocateColumns(days * 1440);
  for (let d = 0; d < days; d++) {
    const from = (d % cycleDays) * 1440;
    const shift = start + d * DAY_MS - (srcStart + (d % cycleDays) * DAY_MS);
    for (let i = from; i < from + 1440; i++) {
      const j = out.length++;
      for (const f of CANDLE_FIELDS) out[f][j] = src[f][i] as number;
      out.openTime[j] = (src.openTime[i] as number) + shift;
      out.closeTime[j] = (src.closeTime[i] as number) + shift;
    }
  }
  return out;
}
