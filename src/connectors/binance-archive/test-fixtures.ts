/** Paths of the real recorded archive files under fixtures/binance-vision (test support only). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Root of the local mirror of data.binance.vision; object keys resolve under it. */
export const ARCHIVE_ROOT = fileURLToPath(new URL('../../../fixtures/binance-vision/', import.meta.url));

export const KEYS = {
  spot2020: 'data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip',
  spot2020b: 'data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-02.zip',
  spot2020c: 'data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-03.zip',
  spotMicros: 'data/spot/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2026-05-08.zip',
  spotMicrosB: 'data/spot/daily/klines/BTCUSDT/1h/BTCUSDT-1h-2026-05-09.zip',
  spotEth: 'data/spot/daily/klines/ETHUSDT/1m/ETHUSDT-1m-2022-08-14.zip',
  um: 'data/futures/um/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2022-09-05.zip',
  cm: 'data/futures/cm/daily/klines/BTCUSD_PERP/1m/BTCUSD_PERP-1m-2022-10-24.zip',
} as const;

/** The extracted LINKUSDT USD-M month CSV (its zip was not available upstream). */
export const LINK_CSV = 'data/futures/um/monthly/klines-csv/LINKUSDT-1m-2023-02.csv';

export function readFixture(key: string): Buffer {
  return readFileSync(ARCHIVE_ROOT + key);
}
