/**
 * The whole live path against the replay server's Binance and Gemini websockets (recorded
 * captures, at 20× their recorded pace): books synced with no gap, 1m bars from the recorded
 * trades in the store, liquidity windows in the signals table, and every event in the Parquet
 * lake. The stored bars are checked against the lake with DuckDB's own SQL: each bar's trade
 * count and volume equal a GROUP BY over the trade events the lake holds.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { parseMarketRef } from '../core/market-events.js';
import { LiveStream } from './live-stream.js';
import { withReplayStream } from './test-support/replay-stream-fixture.js';

test('live stream - Binance and Gemini from the replay server into books, bars, signals and the lake', { timeout: 120_000 }, () =>
  withReplayStream('tf-live-stream-', async ({ dir, replay, store, lines, log }) => {
    const stream = await LiveStream.start({
      markets: ['binance:BTCUSDT', 'binance:ETHUSDT', 'gemini:FILUSD', 'gemini:GRTUSD'].map(parseMarketRef),
      kinds: ['trade', 'book_snapshot', 'book_delta'],
      urls: { binanceWs: replay.urls.binanceWs.replace(/\/ws$/, ''), binanceRest: replay.urls.binance, geminiWs: replay.urls.geminiWs },
      store,
      lakeRoot: join(dir, 'lake'),
      lake: { maxBufferAgeMs: 2_000 },
      windowMs: 60_000,
      staleAfterMs: 30_000,
      log,
    });
    // 20×: a recorded minute every 3 s, so 9 s hold at least two Binance minute boundaries.
    const started = Date.now();
    const deadline = started + 60_000;
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      const s = stream.status();
      const synced = s.exchanges.flatMap((x) => x.books).filter((b) => b.synced).length;
      if (Date.now() - started > 9_000 && s.events > 2000 && synced >= 4 && s.processors.bars >= 6 && s.processors.windows >= 4 && s.lakeFiles > 0) break;
    }
    await stream.stop();
    await stream.done;
    const status = stream.status();
    const books = status.exchanges.flatMap((x) => x.books.map((b) => [x.exchange, b.symbol, b.synced, b.gaps, b.crossed] as const));
    assert.deepEqual(
      books.filter(([ex, sym]) => ex === 'binance' || sym === 'FILUSD' || sym === 'GRTUSD').sort(),
      [['binance', 'BTCUSDT', true, 0, 0], ['binance', 'ETHUSDT', true, 0, 0], ['gemini', 'FILUSD', true, 0, 0], ['gemini', 'GRTUSD', true, 0, 0]],
      lines.join('\n'),
    );
    assert.ok(status.processors.bars >= 6, `bars: ${JSON.stringify(status.processors)}`);
    assert.equal(status.processors.rejected, 0);
    assert.ok(status.events > 1000 && status.lastSequence >= status.events, JSON.stringify(status));

    // Every bar in the store against DuckDB's own GROUP BY over the lake's trade events.
    const bars = await store.readCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, 0, Number.MAX_SAFE_INTEGER);
    assert.ok(bars.length >= 1, `BTCUSDT bars stored: ${bars.length}`);
    const duck = await DuckDBInstance.create(':memory:');
    const conn = await duck.connect();
    const rows = (await conn.runAndReadAll(`SELECT (CAST(exchange_time AS BIGINT) // 60000) * 60000 AS t, count(*), sum(CAST(quantity AS DECIMAL(38,8)))
      FROM read_parquet('${join(dir, 'lake')}/kind=trade/exchange=binance/symbol=BTCUSDT/**/*.parquet') GROUP BY 1 ORDER BY 1`)).getRows();
    const byMinute = new Map(rows.map((r) => [Number(r[0]), [Number(r[1]), Number(String(r[2]))]]));
    for (let i = 0; i < bars.length; i++) {
      const want = byMinute.get(bars.openTime[i] as number);
      if (bars.trades[i] === 0) continue; // a flat minute has no trades in the lake
      assert.deepEqual([bars.trades[i], bars.volume[i]], want, `bar ${new Date(bars.openTime[i] as number).toISOString()}`);
    }
    conn.closeSync();
    duck.closeSync();
    const signals = await store.readSignals('gemini', 'FILUSD', 60_000, 0, Number.MAX_SAFE_INTEGER);
    assert.ok(signals.length >= 1, 'FILUSD liquidity windows stored');
  }));
