/**
 * Test helper: the real recorded Binance archive candles under fixtures/, read with the archive
 * connector's own zip reader and checked CSV parser (test support may use a connector; the store
 * itself never does), so the store suite sees exactly what a backfill would write.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CandleColumns } from '../../core/candle.js';
import { parseKlineCsv } from '../../connectors/binance-archive/kline-csv.js';
import { extractSingleCsv } from '../../connectors/binance-archive/zip.js';
import { parseKlineRows } from '../../connectors/binance/kline-rows.js';
import type { Interval } from '../../core/intervals.js';

const ARCHIVE_ROOT = fileURLToPath(new URL('../../../fixtures/binance-vision/', import.meta.url));

/** The 1,440 real BTCUSDT 1m spot candles of one day of January 2020 (day 1, 2 or 3). */
export function btcusdtDay(day: 1 | 2 | 3): CandleColumns {
  const key = `data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-0${day}.zip`;
  return parseKlineCsv(extractSingleCsv(readFileSync(ARCHIVE_ROOT + key), key), { key, interval: '1m', market: 'spot' });
}

/**
 * Real Binance `/api/v3/klines` rows recorded under fixtures/binance-rest/klines/, parsed with
 * the REST connector's checked parser: e.g. ETHUSDT 1h from 2023-01-01 (744 bars, January 2023)
 * and ETHUSDT 1d from 2022-01-01 (730 bars), Binance's own aggregation of the same trades.
 */
export function restKlines(symbol: string, interval: Interval, file: string): CandleColumns {
  const path = fileURLToPath(new URL(`../../../fixtures/binance-rest/klines/${symbol}/${interval}/${file}`, import.meta.url));
  return parseKlineRows(JSON.parse(readFileSync(path, 'utf8')) as unknown, { interval });
}
