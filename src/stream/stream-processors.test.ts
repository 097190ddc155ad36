import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MemoryBus } from '../bus/memory/memory-bus.js';
import { marketSubject } from '../bus/subjects.js';
import { candlesFromColumns } from '../core/candle.js';
import type { MarketEvent } from '../core/market-events.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { BarBuilder } from './bar-builder.js';
import { LiquidityWindows, type LiquidityWindow } from './liquidity-window.js';
import { StreamProcessors, type BookKeeper } from './stream-processors.js';
import type { StreamPayload } from './stream-payload.js';
import { readBinanceTrades } from './test-support/binance-trade-lines.js';
import { readGeminiEvents } from './test-support/gemini-lines.js';
import { MapBook } from './test-support/map-book.js';

const fixture = (name: string): string => fileURLToPath(new URL(`../../fixtures/ws/${name}`, import.meta.url));

function mapBooks(): BookKeeper {
  const books = new Map<string, MapBook>();
  return {
    view: (ref) => books.get(`${ref.exchange}:${ref.symbol}`),
    apply: (e) => {
      const key = `${e.exchange}:${e.symbol}`;
      let b = books.get(key);
      if (b === undefined) books.set(key, (b = new MapBook()));
      b.apply(e);
    },
  };
}

test('stream processors - recorded events on the memory bus become stored and published bars and windows; a replay rewrites the same rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-stream-'));
  const store = await DuckDbStore.open(join(dir, 's.duckdb'));
  try {
    await store.migrate();
    const trades = readBinanceTrades(fixture('hftbacktest/spot/btcusdt_20240808.gz'));
    const gemini = readGeminiEvents(fixture('cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl'));
    const events: MarketEvent[] = [...trades, ...gemini];
    // The clock after the last trade's minute and the grace (a later clock would add zero-trade minutes up to it).
    const end = (trades.at(-1)?.exchangeTime ?? 0) + 62_000;

    // What the processors give on their own, to compare the stored rows with.
    const builder = new BarBuilder();
    const allBars = [...events.flatMap((e) => (e.kind === 'trade' ? builder.onTrade(e) : [])), ...builder.tick(end)];
    const bars = allBars.filter((b) => b.exchange === 'binance').map((b) => b.candle);
    const keeper = mapBooks();
    const direct = new LiquidityWindows({ windowMs: 10_000, bookFor: keeper.view });
    const windows: LiquidityWindow[] = [];
    for (const e of events) {
      windows.push(...direct.onEvent(e));
      if (e.kind === 'book_snapshot' || e.kind === 'book_delta') keeper.apply(e);
    }
    windows.push(...direct.tick(end));

    for (let run = 1; run <= 2; run++) {
      const bus = new MemoryBus<StreamPayload>();
      const published = bus.subscribe('signal.liquidity.gemini.*', { capacity: 100_000 });
      const barsOut = bus.subscribe('bar.1m.>', { capacity: 100_000 });
      const processors = new StreamProcessors({ bus, store, books: mapBooks(), windows: { windowMs: 10_000 } });
      for (const e of events) await bus.publish(marketSubject(e.kind, e), e);
      await processors.stop(); // drains what the bus buffered, so the clock comes after every event
      await processors.tick(end);
      await bus.close();
      assert.deepEqual(processors.counts, { events: events.length, rejected: 0, bars: allBars.length, windows: windows.length, lateTrades: 0, lateWindowEvents: 0 }, `run ${run}`);

      const stored = candlesFromColumns(await store.readCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, 0, Number.MAX_SAFE_INTEGER));
      assert.deepEqual(stored, bars, `run ${run}: the stored bars`);
      const btcgbp = windows.filter((w) => w.symbol === 'BTCGBP');
      assert.ok(btcgbp.length >= 3);
      assert.deepEqual(await store.readSignals('gemini', 'BTCGBP', 10_000, 0, Number.MAX_SAFE_INTEGER), btcgbp, `run ${run}: the stored windows`);
      const got: LiquidityWindow[] = [];
      for await (const m of published) if (m.data.kind === 'liquidity') got.push(m.data.window);
      assert.deepEqual(got.toSorted((a, b) => a.symbol.localeCompare(b.symbol) || a.windowStart - b.windowStart),
        windows.filter((w) => w.exchange === 'gemini').toSorted((a, b) => a.symbol.localeCompare(b.symbol) || a.windowStart - b.windowStart), `run ${run}: the published windows`);
      let barCount = 0;
      for await (const m of barsOut) if (m.data.kind === 'bar' && m.subject === 'bar.1m.binance.BTCUSDT') barCount++;
      assert.equal(barCount, bars.length);
    }
    assert.deepEqual(await store.countBySource({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, 0, Number.MAX_SAFE_INTEGER), { stream: bars.length, rest: 0, archive: 0 });
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stream processors - an event the processors refuse is counted, reported and skipped; the stream goes on', async () => {
  const bus = new MemoryBus<StreamPayload>();
  const written: number[] = [];
  const store = { writeCandles: async () => { written.push(1); return 1; }, upsertSignals: async () => 0 };
  const refused: string[] = [];
  const processors = new StreamProcessors({ bus, store, onRejected: (e, err) => refused.push(`${e.kind}: ${err.message}`) });
  const T0 = Date.UTC(2024, 7, 8, 23, 54);
  const trade = (id: number, at: number, price: number): MarketEvent => ({
    kind: 'trade', exchange: 'binance', symbol: 'BTCUSDT', receivedAt: at, exchangeTime: at, tradeId: String(id), price, quantity: 1, takerSide: 'buy',
  });
  for (const e of [trade(1, T0 + 1_000, 100), trade(2, T0 + 2_000, Number.NaN), trade(3, T0 + 61_000, 101)]) await bus.publish(marketSubject(e.kind, e), e);
  await processors.stop();
  assert.deepEqual(refused, ['trade: trade binance:BTCUSDT 2: price NaN, quantity 1 and time 1723161242000 must be finite, the price > 0 and the quantity ≥ 0']);
  assert.equal(processors.counts.rejected, 1);
  assert.equal(processors.counts.bars, 1, 'the trade after the bad one still closed the first minute');
  assert.equal(written.length, 1);
  await bus.close();
});
