/** The bundled BTCUSDT 1m archive days, decoded with the real archive parser: the values every stored candle must equal. */
import { readFileSync } from 'node:fs';
import { parseKlineCsv } from '../../src/connectors/binance-archive/kline-csv.js';
import { extractSingleCsv } from '../../src/connectors/binance-archive/zip.js';
import type { CandleColumns } from '../../src/core/candle.js';

export const BTC_1M_KEY = (day: string): string => `data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-${day}.zip`;

export function archiveDay(day: '2020-01-01' | '2020-01-02' | '2020-01-03'): CandleColumns {
  const key = BTC_1M_KEY(day);
  const zip = readFileSync(new URL(`../../fixtures/binance-vision/${key}`, import.meta.url));
  return parseKlineCsv(extractSingleCsv(zip, key), { key, interval: '1m', market: 'spot' });
}
