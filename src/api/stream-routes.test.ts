import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { columnsFromCandles, type Candle } from '../core/candle.js';
import { openStore } from '../store/open-store.js';
import type { LiquidityWindow } from '../store/signal-records.js';
import type { Store } from '../store/store.js';
import type { LiveStreamStatus } from '../stream/live-stream.js';
import { errorOf, startHarness, type Harness } from './test-support/api-harness.js';

const T0 = 1_624_493_640_000; // 2021-06-24T00:14Z, the Gemini capture's minute
const MIN = 60_000;

/** A window as the store keeps it; the values differ per window so a mixed-up row shows. */
function window(symbol: string, windowStart: number, bid: number, patch: Partial<LiquidityWindow> = {}): LiquidityWindow {
  return {
    exchange: 'gemini', symbol, windowStart, windowMs: MIN,
    bidDeltaNotional: bid, askDeltaNotional: 2000, deltaRatio: bid / 2000,
    topLevels: 10, bookBidNotional: 790.25, bookAskNotional: 307, bookRatio: 790.25 / 307,
    takerBuyQuantity: 3, takerSellQuantity: 0.5, tradeImbalance: 2.5 / 3.5,
    bestBid: 24_999.99, bestAsk: 25_000.01, spread: 25_000.01 - 24_999.99, mid: 25_000,
    deltaEvents: 152, bidLevels: 280, askLevels: 402, trades: 4, incomplete: false, ...patch,
  };
}

function bar(openTime: number, close: number): Candle {
  return { openTime, open: close - 1, high: close + 2, low: close - 3, close, volume: 0.5, closeTime: openTime + MIN - 1, quoteVolume: close * 0.5, trades: 3, takerBuyBase: 0.25, takerBuyQuote: close * 0.25 };
}

const STATUS: LiveStreamStatus = {
  exchanges: [
    { exchange: 'binance', connections: 1, frames: 900, malformedFrames: 0, books: [{ symbol: 'BTCUSDT', synced: true, bids: 1000, asks: 998, gaps: 0, resyncs: 0, crossed: 0, malformed: 0, snapshotFailures: 0 }] },
    { exchange: 'gemini', connections: 2, frames: 678, malformedFrames: 1, books: [{ symbol: 'BTCGBP', synced: false, bids: 40, asks: 37, gaps: 1, resyncs: 2, crossed: 0, malformed: 1, snapshotFailures: 0 }] },
  ],
  processors: { events: 1500, rejected: 0, bars: 7, windows: 5, lateTrades: 0, lateWindowEvents: 0 },
  events: 1578,
  lastSequence: 1578,
  lakeFiles: 2,
  resume: { backfilledTrades: 0, heldTradesDropped: 0, unfilledMarkets: [] },
};

let store: Store;
let h: Harness;
let token: string;
let current: LiveStreamStatus | null = null;

before(async () => {
  store = await openStore(':memory:');
  await store.upsertSignals([window('BTCGBP', T0, 1500), window('BTCGBP', T0 + MIN, 0, { deltaRatio: null, tradeImbalance: null, trades: 0 }), window('BTCGBP', T0 + 2 * MIN, 7), window('ETHEUR', T0, 99), window('BTCGBP', T0, 5, { windowMs: 10_000 })]);
  await store.writeCandles({ exchange: 'gemini', symbol: 'BTCGBP', interval: '1m' }, columnsFromCandles([bar(T0, 25_000.5), bar(T0 + MIN, 25_010.25)]), 'stream');
  h = await startHarness(store, { now: T0 + 10 * MIN, deps: { stream: { status: () => current } } });
  token = await h.login('bob');
});
after(async () => {
  await h.close();
  await store.close();
});

interface SignalsJson { market: string; windowMs: number; from: number; to: number; windows: Array<Record<string, number | boolean | null>> }

test('api signals - the stored 60 s windows of one market in [from, to), every field as stored, nulls kept', async () => {
  const res = await h.call('GET', `/api/v1/signals?market=gemini:BTCGBP&from=${T0}&to=${T0 + 2 * MIN}&window=60000`, { token });
  assert.equal(res.status, 200, res.text);
  const body = res.body as SignalsJson;
  assert.deepEqual([body.market, body.windowMs, body.from, body.to], ['gemini:BTCGBP', MIN, T0, T0 + 2 * MIN]);
  assert.deepEqual(body.windows.map((w) => [w.windowStart, w.bidDeltaNotional, w.deltaRatio, w.tradeImbalance, w.trades]), [
    [T0, 1500, 0.75, 2.5 / 3.5, 4],
    [T0 + MIN, 0, null, null, 0],
  ]);
  const { exchange: _e, symbol: _s, windowMs: _w, ...first } = window('BTCGBP', T0, 1500);
  assert.deepEqual(body.windows[0], first, 'every value field of the record, nothing else');
});

test('api signals - defaults: to is the API clock, from a day before; window picks the 10 s series', async () => {
  const res = await h.call('GET', '/api/v1/signals?market=gemini:BTCGBP', { token });
  assert.equal(res.status, 200, res.text);
  const body = res.body as SignalsJson;
  assert.deepEqual([body.from, body.to], [T0 + 10 * MIN - 86_400_000, T0 + 10 * MIN]);
  assert.deepEqual(body.windows.map((w) => w.bidDeltaNotional), [1500, 0, 7]);
  const short = (await h.call('GET', `/api/v1/signals?market=gemini:BTCGBP&window=10000&from=${T0}&to=${T0 + MIN}`, { token })).body as SignalsJson;
  assert.deepEqual(short.windows.map((w) => [w.windowStart, w.bidDeltaNotional]), [[T0, 5]]);
});

test('api signals - bad input answers 400 naming the field; no session answers 401', async () => {
  const cases: Array<[string, string, RegExp]> = [
    ['market=kraken:XBTUSD', 'query.market', /exchange one of binance, gemini/],
    ['market=BTCGBP', 'query.market', /not <exchange>:<symbol>/],
    ['', 'query.market', /./],
    ['market=gemini:BTCGBP&window=0', 'query.window', /./],
    ['market=gemini:BTCGBP&from=yesterday', 'query.from', /./],
    [`market=gemini:BTCGBP&from=${T0}&to=${T0}`, 'query.to', /after from/],
    [`market=gemini:BTCGBP&from=2021-06-01&to=${T0}`, 'query.from', /more than 10,080 windows/],
    ['market=gemini:BTCGBP&limit=5', 'query', /./],
  ];
  for (const [q, field, message] of cases) {
    const res = await h.call('GET', `/api/v1/signals?${q}`, { token });
    assert.equal(res.status, 400, q);
    assert.equal(errorOf(res.body).field, field, `${q}: ${res.text}`);
    assert.match(errorOf(res.body).message ?? '', message, q);
  }
  assert.equal((await h.call('GET', '/api/v1/signals?market=gemini:BTCGBP')).status, 401);
  assert.equal((await h.call('GET', '/api/v1/stream/status')).status, 401);
});

test('api stream status - not running until the stream has started, then its books, counters and each market\'s newest 1m bar', async () => {
  current = null;
  const idle = await h.call('GET', '/api/v1/stream/status', { token });
  assert.deepEqual(idle.body, { running: false, events: 0, bars: 0, windows: 0, lakeFiles: 0, markets: [] });
  current = STATUS;
  try {
    const res = await h.call('GET', '/api/v1/stream/status', { token });
    assert.equal(res.status, 200, res.text);
    assert.deepEqual(res.body, {
      running: true, events: 1578, bars: 7, windows: 5, lakeFiles: 2,
      markets: [
        { market: 'binance:BTCUSDT', exchange: 'binance', symbol: 'BTCUSDT', synced: true, bids: 1000, asks: 998, gaps: 0, resyncs: 0, crossed: 0, malformed: 0, lastBarOpenTime: null },
        { market: 'gemini:BTCGBP', exchange: 'gemini', symbol: 'BTCGBP', synced: false, bids: 40, asks: 37, gaps: 1, resyncs: 2, crossed: 0, malformed: 1, lastBarOpenTime: T0 + MIN },
      ],
    });
  } finally {
    current = null;
  }
});

test('api candles - a streamed market\'s 1m bars by its exchange; an unknown exchange names query.exchange', async () => {
  const res = await h.call('GET', `/api/v1/candles?exchange=gemini&symbol=BTCGBP&interval=1m&from=${T0}&to=${T0 + 5 * MIN}`, { token });
  assert.equal(res.status, 200, res.text);
  const rows = (res.body as { rows: unknown[][] }).rows;
  assert.deepEqual(rows.map((r) => [r[0], r[4]]), [[T0, 25_000.5], [T0 + MIN, 25_010.25]]);
  const bad = await h.call('GET', '/api/v1/candles?exchange=kraken&symbol=BTCGBP&interval=1m', { token });
  assert.equal(bad.status, 400);
  assert.equal(errorOf(bad.body).field, 'query.exchange');
  const none = await h.call('GET', '/api/v1/candles?exchange=gemini&symbol=ETHGBP&interval=1m', { token });
  assert.equal(none.status, 404);
  assert.equal(errorOf(none.body).field, 'query.symbol');
});
