/**
 * Benchmark data derived from real candles: a calendar month filled day by day from the whole
 * days of one real 1m month, each day time-shifted to its place. Prices, volumes and their
 * compressibility stay real; only the times are moved. Shared by the store and alerts benches.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseKlineCsv } from '../src/connectors/binance-archive/kline-csv.js';
import { allocateColumns, CANDLE_FIELDS, type CandleColumns } from '../src/core/candle.js';
import { DAY_MS } from '../src/core/intervals.js';

/** The bundled real USD-M 1m months the derived months are cut from (fixtures/SOURCES.md). */
export const REAL_MONTH_DIR = fileURLToPath(new URL('../fixtures/binance-vision/data/futures/um/monthly/klines-csv/', import.meta.url));
export const REAL_MONTH_FILES = ['LINKUSDT-1m-2023-02.csv', 'AVAXUSDT-1m-2024-02.csv', 'LTCUSDT-1m-2026-02.csv'];

/** The real months, parsed, from `dir` (the bundled copies unless given). */
export function readRealMonths(dir = REAL_MONTH_DIR): CandleColumns[] {
  return REAL_MONTH_FILES.map((f) => parseKlineCsv(readFileSync(join(dir, f)), { key: f, interval: '1m', market: 'um' }));
}

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
