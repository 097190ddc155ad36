import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OrderBook, CrossedBookError } from './order-book.js';
import { seededRandom } from '../core/seeded-random.js';
import { BadInputError } from '../core/errors.js';
import type { BookLevel } from '../core/market-events.js';

const ref = { exchange: 'binance', symbol: 'BTCUSDT' } as const;

test('order book - snapshot, absolute updates, a zero quantity removes, best first', () => {
  const b = new OrderBook(ref);
  b.applySnapshot([[100, 1], [99, 2], [98, 3]], [[101, 1], [102, 2]]);
  assert.deepEqual(b.bestBid(), [100, 1]);
  assert.deepEqual(b.bestAsk(), [101, 1]);
  b.applyLevels([[100, 0], [99.5, 4], [98, 7]], [[101, 0], [100.5, 0.5], [103, 1]]);
  assert.deepEqual(b.top('bid', 10), [[99.5, 4], [99, 2], [98, 7]]);
  assert.deepEqual(b.top('ask', 2), [[100.5, 0.5], [102, 2]]);
  b.applyLevels([[97, 0]], []); // removing an absent level is a no-op
  assert.deepEqual(b.depth, { bids: 3, asks: 3 });
  b.applySnapshot([[1, 1]], []);
  assert.deepEqual(b.top('bid', 5), [[1, 1]]);
  assert.equal(b.bestAsk(), null);
});

test('order book - a crossed book is reported naming symbol and prices', () => {
  const b = new OrderBook(ref);
  b.applySnapshot([[100, 1]], [[101, 1]]);
  assert.equal(b.crossed(), null);
  b.applyLevels([[101.5, 1]], []);
  const err = b.crossed();
  assert.ok(err instanceof CrossedBookError);
  assert.equal(err.message, 'binance:BTCUSDT book is crossed: best bid 101.5 >= best ask 101');
  assert.deepEqual([err.bid, err.ask], [101.5, 101]);
});

test('order book - a bad level is refused and nothing of its update is applied', () => {
  const b = new OrderBook(ref);
  b.applySnapshot([[100, 1]], [[101, 1]]);
  assert.throws(() => b.applyLevels([[99, 5]], [[NaN, 1]]), (e: unknown) => e instanceof BadInputError && /ask level \[NaN, 1\]/.test(e.message));
  assert.throws(() => b.applySnapshot([[99, -1]], []), /binance:BTCUSDT bid level \[99, -1\]/);
  assert.deepEqual(b.top('bid', 5), [[100, 1]]);
  assert.deepEqual(b.top('ask', 5), [[101, 1]]);
});

test('order book - equals a map-and-sort reference over 20,000 random updates on 3,000 price levels', () => {
  const rnd = seededRandom(17);
  const b = new OrderBook(ref);
  const bids = new Map<number, number>();
  const asks = new Map<number, number>();
  for (let i = 0; i < 20_000; i++) {
    const isBid = rnd() < 0.5;
    const price = isBid ? 1000 + Math.floor(rnd() * 3000) / 100 : 1030 + Math.floor(rnd() * 3000) / 100;
    const qty = rnd() < 0.3 ? 0 : Math.round(rnd() * 1000) / 100;
    const m = isBid ? bids : asks;
    if (qty === 0) m.delete(price);
    else m.set(price, qty);
    const level: BookLevel[] = [[price, qty]];
    b.applyLevels(isBid ? level : [], isBid ? [] : level);
  }
  const expectBids = [...bids].sort((x, y) => y[0] - x[0]);
  const expectAsks = [...asks].sort((x, y) => x[0] - y[0]);
  assert.ok(expectBids.length > 1500);
  assert.deepEqual(b.top('bid', 100_000), expectBids);
  assert.deepEqual(b.top('ask', 100_000), expectAsks);
  assert.deepEqual(b.bestBid(), expectBids[0]);
  assert.deepEqual(b.bestAsk(), expectAsks[0]);
});
