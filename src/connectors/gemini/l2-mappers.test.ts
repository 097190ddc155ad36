import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readCryptofeedFrames } from '../ws/test-captures.js';
import { GeminiFeedPolicy } from './gemini-feed-policy.js';
import { geminiFrameChannel, geminiL2Subscribe } from './marketdata-v2.js';
import { OrderBook } from '../../stream/order-book.js';
import type { MarketEvent } from '../../core/market-events.js';
import { BadInputError } from '../../core/errors.js';

// Real market data v2 `l2` frames for 10 symbols, 2021-06-24 (shared SOURCES §2).
const frames = readCryptofeedFrames('cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl');

function run(): MarketEvent[] {
  const policy = new GeminiFeedPolicy();
  policy.onConnected();
  return frames.flatMap((f) => policy.onFrame(f).events);
}

test('gemini l2 - the capture maps to 10 book snapshots, 645 deltas and 500 + 16 trades', () => {
  assert.equal(frames.length, 678);
  const counts: Record<string, number> = {};
  for (const e of run()) counts[e.kind] = (counts[e.kind] ?? 0) + 1;
  assert.deepEqual(counts, { book_snapshot: 10, trade: 516, book_delta: 645 });
});

test('gemini l2 - the first l2_updates is the whole book, best first, with its 50 trades oldest first', () => {
  const events = run();
  const snap = events.find((e) => e.kind === 'book_snapshot' && e.symbol === 'ALCXUSD');
  assert.ok(snap?.kind === 'book_snapshot');
  assert.equal(snap.bids.length + snap.asks.length, 159);
  assert.deepEqual(snap.bids[0], [302.75, 0.00001]);
  assert.deepEqual(snap.asks[0], [303.05, 8.12974]);
  assert.equal(snap.exchangeTime, null);
  assert.equal(snap.sequence, null);
  for (let i = 1; i < snap.bids.length; i++) assert.ok(snap.bids[i]![0] < snap.bids[i - 1]![0]);
  const trades = events.filter((e) => e.kind === 'trade' && e.symbol === 'ALCXUSD' && e.receivedAt === snap.receivedAt);
  assert.equal(trades.length, 50);
  assert.equal(trades[0]!.exchangeTime, 1624492501297);
  assert.deepEqual(trades[49], {
    kind: 'trade', exchange: 'gemini', symbol: 'ALCXUSD', receivedAt: snap.receivedAt,
    exchangeTime: 1624493651491, tradeId: '45465785975', price: 302.53, quantity: 0.992143, takerSide: 'buy',
  });
});

test('gemini l2 - later l2_updates are deltas without time or sequence; trade frames carry the exchange timestamp', () => {
  const events = run();
  const deltas = events.filter((e) => e.kind === 'book_delta' && e.symbol === 'BTCGBP');
  assert.deepEqual(deltas[0], {
    kind: 'book_delta', exchange: 'gemini', symbol: 'BTCGBP', receivedAt: 1624493666863.235, exchangeTime: null,
    bids: [[24084.23, 0], [24087.07, 0.04]], asks: [[24113.49, 0], [24117.8, 0.91]], firstSequence: null, lastSequence: null,
  });
  const live = frames.find((f) => f.text.startsWith('{"type":"trade"'))!;
  assert.deepEqual(new GeminiFeedPolicy().onFrame(live).events, [{
    kind: 'trade', exchange: 'gemini', symbol: 'ANKRUSD', receivedAt: live.receivedAt,
    exchangeTime: 1624493670759, tradeId: '45465818387', price: 0.07946, quantity: 1020.482111, takerSide: 'buy',
  }]);
});

test('gemini l2 - the 10 books built from the capture are never crossed, and every one keeps both sides', () => {
  const books = new Map<string, OrderBook>();
  for (const e of run()) {
    if (e.kind === 'book_snapshot') {
      const b = new OrderBook({ exchange: e.exchange, symbol: e.symbol });
      b.applySnapshot(e.bids, e.asks);
      books.set(e.symbol, b);
    } else if (e.kind === 'book_delta') books.get(e.symbol)!.applyLevels(e.bids, e.asks);
    else continue;
    assert.equal(books.get(e.symbol)!.crossed(), null, e.symbol);
  }
  assert.equal(books.size, 10);
  for (const b of books.values()) assert.ok(b.bestBid() !== null && b.bestAsk() !== null);
});

test('gemini l2 - a reconnect makes the next l2_updates a snapshot again; heartbeats are counted, not mapped', () => {
  const policy = new GeminiFeedPolicy();
  const first = frames.find((f) => f.text.includes('"symbol":"BTCGBP"'))!;
  assert.equal(policy.onFrame(first).events[0]!.kind, 'book_snapshot');
  assert.equal(policy.onFrame(first).events[0]!.kind, 'book_delta');
  policy.onConnected();
  assert.equal(policy.onFrame(first).events[0]!.kind, 'book_snapshot');
  const beat = frames.find((f) => f.text.startsWith('{"type":"heartbeat"'))!;
  assert.deepEqual(policy.onFrame(beat).events, []);
  assert.equal(policy.heartbeats, 1);
  assert.equal(geminiFrameChannel(beat.text), null);
  assert.equal(geminiFrameChannel(first.text), 'BTCGBP');
});

test('gemini l2 - subscribe message and bad frames', () => {
  assert.equal(geminiL2Subscribe(['BTCUSD', 'ETHUSD']), '{"type":"subscribe","subscriptions":[{"name":"l2","symbols":["BTCUSD","ETHUSD"]}]}');
  const policy = new GeminiFeedPolicy();
  const bad: [string, RegExp][] = [
    ['{"type":"l2_updates","symbol":"BTCUSD","changes":[["hold","1","1"]]}', /changes\[0\]\[0\] should be "buy" or "sell", got "hold"/],
    ['{"type":"trade","symbol":"BTCUSD","event_id":1,"timestamp":1,"price":"1","quantity":"x","side":"buy"}', /^gemini trade: field "quantity" should be a decimal string, got "x"$/],
    ['{"type":"candles_1m_updates"}', /^gemini frame: unknown type "candles_1m_updates"$/],
  ];
  for (const [text, message] of bad) assert.throws(() => policy.onFrame({ receivedAt: 0, text }), (err: unknown) => err instanceof BadInputError && message.test(err.message));
});

test('gemini l2 - after a reconnect, the recent trades of the new whole book that were passed on already are dropped; newer ones pass', () => {
  const policy = new GeminiFeedPolicy();
  policy.onConnected();
  const first = frames.flatMap((f) => policy.onFrame(f).events);
  const firstIds = first.filter((e) => e.kind === 'trade' && e.symbol === 'ALCXUSD').map((e) => (e.kind === 'trade' ? e.tradeId : ''));
  assert.equal(new Set(firstIds).size, firstIds.length);
  // The same session again on a new connection: every whole book repeats its 50 recorded trades.
  policy.onConnected();
  const again = frames.flatMap((f) => policy.onFrame(f).events);
  assert.equal(again.filter((e) => e.kind === 'book_snapshot').length, 10, 'the books are taken again');
  // (The 16 trade frames are sent again by this fake second session; a real connection's are new.)
  assert.equal(again.filter((e) => e.kind === 'trade').length, 16, 'only the trade frames pass: no book trade is passed on a second time');
  assert.equal(policy.repeatedTrades, 500, 'the 10 books\' 50 trades each dropped');
  // A book whose trades include one newer than any seen passes that one only.
  const alcx = frames.find((f) => geminiFrameChannel(f.text) === 'ALCXUSD' && f.text.includes('"trades"'));
  assert.ok(alcx);
  const body = JSON.parse(alcx.text) as { trades: { tid?: number; event_id: number; timestamp: number }[] };
  const newest = body.trades[0];
  assert.ok(newest);
  const newer = { ...newest, event_id: newest.event_id + 1_000_000, ...(newest.tid === undefined ? {} : { tid: newest.tid + 1_000_000 }) };
  policy.onConnected();
  const out = policy.onFrame({ ...alcx, text: JSON.stringify({ ...body, trades: [newer, ...body.trades] }) }).events;
  assert.deepEqual(out.filter((e) => e.kind === 'trade').map((e) => (e.kind === 'trade' ? e.tradeId : '')), [String(newer.tid ?? newer.event_id)]);
});
