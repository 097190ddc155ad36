import { test } from 'node:test';
import assert from 'node:assert/strict';
import { candlesFromColumns, columnsFromCandles, type Candle, type CandleColumns } from '../core/candle.js';
import type { SeriesKey } from '../core/instrument.js';
import type { LiquidityWindow } from '../store/signal-records.js';
import { BatchedStreamStore } from './batched-stream-store.js';

const bar = (openTime: number, close: number): Candle => ({
  openTime, open: 10, high: 12, low: 9, close, volume: 1.5, closeTime: openTime + 59_999, quoteVolume: 15, trades: 3, takerBuyBase: 0.5, takerBuyQuote: 5,
});
const win = (windowStart: number, trades: number): LiquidityWindow => ({
  exchange: 'binance', symbol: 'BTCUSDT', windowStart, windowMs: 60_000, bidDeltaNotional: 1, askDeltaNotional: 2, deltaRatio: 0.5, topLevels: 10,
  bookBidNotional: null, bookAskNotional: null, bookRatio: null, takerBuyQuantity: 0, takerSellQuantity: 0, tradeImbalance: null,
  bestBid: null, bestAsk: null, spread: null, mid: null, deltaEvents: 1, bidLevels: 1, askLevels: 1, trades, incomplete: false,
});

test('batched stream store - buffers bars and windows until maxRows or flush; one write per series, ordered, the later row of a key wins', async () => {
  const writes: { series: string; candles: Candle[] }[] = [];
  const upserts: LiquidityWindow[][] = [];
  const inner = {
    writeCandles: async (s: SeriesKey, c: CandleColumns) => {
      writes.push({ series: `${s.exchange}:${s.symbol}:${s.interval}`, candles: candlesFromColumns(c) });
      return c.openTime.length;
    },
    upsertSignals: async (w: readonly LiquidityWindow[]) => upserts.push([...w]),
  };
  const store = new BatchedStreamStore(inner, 5);
  const btc: SeriesKey = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' };
  const eth: SeriesKey = { exchange: 'binance', symbol: 'ETHUSDT', interval: '1m' };
  await store.writeCandles(btc, columnsFromCandles([bar(120_000, 11)]), 'stream');
  await store.writeCandles(eth, columnsFromCandles([bar(0, 10)]), 'stream');
  await store.writeCandles(btc, columnsFromCandles([bar(60_000, 10.5)]), 'stream');
  await store.upsertSignals([win(0, 1)]);
  assert.deepEqual([writes, upserts], [[], []], 'nothing written below maxRows');
  await store.upsertSignals([win(0, 7)]); // the fifth row: the buffer is written
  assert.deepEqual(writes, [
    { series: 'binance:BTCUSDT:1m', candles: [bar(60_000, 10.5), bar(120_000, 11)] },
    { series: 'binance:ETHUSDT:1m', candles: [bar(0, 10)] },
  ]);
  assert.deepEqual(upserts, [[win(0, 7)]]);
  await store.writeCandles(btc, columnsFromCandles([bar(180_000, 12)]), 'stream');
  await store.writeCandles(btc, columnsFromCandles([bar(180_000, 12.5)]), 'stream');
  await store.flush();
  assert.deepEqual(writes.at(-1), { series: 'binance:BTCUSDT:1m', candles: [bar(180_000, 12.5)] });
  assert.equal(writes.length, 3);
  await store.flush();
  assert.equal(writes.length, 3, 'an empty flush writes nothing');
  assert.equal(upserts.length, 1);
});
