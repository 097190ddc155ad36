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

/** A store whose writes fail with `failure` while `away` is true, recording what it stored. */
function flakyStore(failure: () => Error) {
  const state = { away: false, attempts: 0, stored: [] as { series: string; candles: Candle[] }[], windows: [] as LiquidityWindow[][] };
  const inner = {
    writeCandles: async (s: SeriesKey, c: CandleColumns) => {
      state.attempts++;
      if (state.away) throw failure();
      state.stored.push({ series: `${s.exchange}:${s.symbol}:${s.interval}`, candles: candlesFromColumns(c) });
      return c.openTime.length;
    },
    upsertSignals: async (w: readonly LiquidityWindow[]) => {
      state.attempts++;
      if (state.away) throw failure();
      state.windows.push([...w]);
      return w.length;
    },
  };
  return { state, inner };
}

const refused = (): Error => new Error('PostgreSQL: connect ECONNREFUSED 127.0.0.1:5999', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5999'), { code: 'ECONNREFUSED' }) });

test('batched stream store - with retry, a batch whose write fails for a lost connection is held and written whole once the store is back; writes meanwhile wait at maxRows', async () => {
  const { state, inner } = flakyStore(refused);
  const logs: string[] = [];
  const sleeps: number[] = [];
  let wake: () => void = () => undefined;
  // Each backoff wait resolves when the test says so, so the test decides when the database is back.
  const sleep = (ms: number): Promise<void> => { sleeps.push(ms); return new Promise<void>((r) => { wake = r; }); };
  const store = new BatchedStreamStore(inner, 2, { retryable: (err) => /ECONNREFUSED/.test(String(err)), log: (l) => logs.push(l), backoff: { baseMs: 100, capMs: 300 }, sleep });
  const btc: SeriesKey = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' };
  state.away = true;
  await store.writeCandles(btc, columnsFromCandles([bar(0, 10)]), 'stream');
  const first = store.flush();
  await new Promise((r) => setImmediate(r));
  assert.equal(sleeps.length, 1, 'the failed write waits before trying again');
  assert.match(logs[0] ?? '', /store is away .*ECONNREFUSED.*holding 1 bars and 0 windows/);
  // Writes go on into the buffer until it holds maxRows; the one that fills it waits for the held batch.
  await store.writeCandles(btc, columnsFromCandles([bar(60_000, 11)]), 'stream');
  let secondDone = false;
  const second = store.upsertSignals([win(60_000, 4)]).then(() => { secondDone = true; });
  for (let i = 0; i < 3; i++) {
    wake();
    await new Promise((r) => setImmediate(r));
  }
  assert.equal(secondDone, false, 'a full buffer holds its writer while the store is away');
  assert.deepEqual(sleeps, [100, 200, 300, 300], 'backoff doubles up to its cap');
  assert.deepEqual(state.stored, []);
  state.away = false;
  wake();
  await first;
  await second;
  assert.deepEqual(state.stored, [
    { series: 'binance:BTCUSDT:1m', candles: [bar(0, 10)] },
    { series: 'binance:BTCUSDT:1m', candles: [bar(60_000, 11)] },
  ], 'the held batch first, then the one collected meanwhile');
  assert.deepEqual(state.windows, [[win(60_000, 4)]]);
  assert.equal(logs.length, 2);
  assert.match(logs[1] ?? '', /store is back/);
});

test('batched stream store - with retry, a failure that is not a lost connection still rejects the flush', async () => {
  const { state, inner } = flakyStore(() => Object.assign(new Error('duplicate key value violates unique constraint "candles_pkey"'), { code: '23505' }));
  const store = new BatchedStreamStore(inner, 10, { retryable: () => false, log: () => undefined, sleep: async () => undefined });
  state.away = true;
  await store.writeCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, columnsFromCandles([bar(0, 10)]), 'stream');
  await assert.rejects(store.flush(), /unique constraint/);
  assert.equal(state.attempts, 1, 'tried once, not retried');
});

test('batched stream store - with retry, a held batch stops being retried once the signal aborts (the stream stopping) and the flush rejects with the store error', async () => {
  const { state, inner } = flakyStore(refused);
  const stopping = new AbortController();
  let waits = 0;
  const store = new BatchedStreamStore(inner, 10, { retryable: () => true, log: () => undefined, signal: stopping.signal, sleep: () => { waits++; return new Promise<void>(() => undefined); } });
  state.away = true;
  await store.writeCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, columnsFromCandles([bar(0, 10)]), 'stream');
  const flushed = store.flush();
  await new Promise((r) => setImmediate(r));
  assert.equal(waits, 1);
  stopping.abort();
  await assert.rejects(flushed, /ECONNREFUSED/);
  assert.equal(state.attempts, 2, 'the first attempt and one after the wait was cut short');
});
