/**
 * The bar-close rule on a real DuckDB store holding BTCUSDT's real 1m candles of 2020-01-01
 * (fixtures/binance-vision, data.binance.vision daily zip) with one minute removed.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sliceColumns } from '../core/candle.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { btcusdtDay } from '../store/test-support/fixture-candles.js';
import { readClosedBars } from './series-bars.js';

const DAY = Date.UTC(2020, 0, 1);
const HOUR = 3_600_000;
const MISSING = 3 * 60 + 17; // 03:17 is not stored
let store: DuckDbStore;

before(async () => {
  store = await DuckDbStore.open(':memory:');
  await store.migrate();
  await store.upsertInstruments([{ exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: DAY }]);
  const day = btcusdtDay(1);
  const series = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' } as const;
  await store.writeCandles(series, sliceColumns(day, 0, MISSING), 'archive');
  await store.writeCandles(series, sliceColumns(day, MISSING + 1, day.length), 'archive');
});
after(async () => {
  await store.close();
});

test('series bars - an incomplete hour waits for the grace period, holding back the hours after it, then is evaluated marked incomplete', async () => {
  const grace = 10 * 60_000;
  const early = await readClosedBars(store, 'binance', 'BTCUSDT', '1h', DAY, DAY + 86_400_000, DAY + 4 * HOUR + 5 * 60_000, grace);
  assert.deepEqual(early.bars.map((b) => b.bar.openTime), [0, 1, 2].map((h) => DAY + h * HOUR));
  assert.equal(early.waitingFrom, DAY + 3 * HOUR);
  assert.ok(early.bars.every((b) => !b.incomplete && b.evaluatedAt === b.bar.openTime + HOUR));

  const late = await readClosedBars(store, 'binance', 'BTCUSDT', '1h', DAY, DAY + 86_400_000, DAY + 6 * HOUR, grace);
  assert.equal(late.waitingFrom, null);
  assert.deepEqual(late.bars.map((b) => [b.bar.openTime, b.incomplete, b.evaluatedAt]), [0, 1, 2, 3, 4, 5].map((h) => [DAY + h * HOUR, h === 3, DAY + (h + 1) * HOUR + (h === 3 ? grace : 0)]));
});
