import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { candlesFromColumns, columnsFromCandles, type Candle } from '../core/candle.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { candleStoreSink } from './bar-sink.js';

const T0 = Date.UTC(2024, 7, 8, 23, 54);
const bar = (openTime: number, close: number, trades = 3): Candle => ({
  openTime, open: close, high: close + 10, low: close - 10, close, volume: 2, closeTime: openTime + 59_999, quoteVolume: 200, trades, takerBuyBase: 1, takerBuyQuote: 100,
});

test('bar sink - writes stream bars per market with source stream; a re-write changes nothing; REST outranks them, they never outrank REST', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-bar-sink-'));
  const store = await DuckDbStore.open(join(dir, 's.duckdb'));
  try {
    await store.migrate();
    const sink = candleStoreSink(store);
    const series = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
    const bars = [
      { exchange: 'binance' as const, symbol: 'BTCUSDT', candle: bar(T0 + 60_000, 101) },
      { exchange: 'binance' as const, symbol: 'ETHUSDT', candle: bar(T0, 3_000) },
      { exchange: 'binance' as const, symbol: 'BTCUSDT', candle: bar(T0, 100) },
    ];
    assert.equal(await sink(bars), 3);
    assert.equal(await sink(bars), 0, 'a replay writes nothing new');
    assert.deepEqual(candlesFromColumns(await store.readCandles(series, T0, T0 + 120_000)).map((c) => c.close), [100, 101]);
    assert.deepEqual(await store.countBySource(series, T0, T0 + 120_000), { stream: 2, rest: 0, archive: 0 });

    await store.writeCandles(series, columnsFromCandles([bar(T0, 99, 5)]), 'rest');
    assert.equal(await sink([{ exchange: 'binance', symbol: 'BTCUSDT', candle: bar(T0, 100) }]), 0);
    const [first] = candlesFromColumns(await store.readCandles(series, T0, T0 + 60_000));
    assert.deepEqual([first?.close, first?.trades], [99, 5]);
    assert.deepEqual(await store.countBySource(series, T0, T0 + 120_000), { stream: 1, rest: 1, archive: 0 });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
