import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { BookDeltaEvent, BookLevel, BookSnapshotEvent, MarketEvent, TradeEvent } from '../core/market-events.js';
import { LiquidityWindows, type LiquidityWindow } from './liquidity-window.js';
import { MapBook } from './test-support/map-book.js';

const W0 = Date.UTC(2021, 5, 24, 0, 14); // a minute boundary

const base = { exchange: 'gemini' as const, symbol: 'BTCUSD' };
const snapshot = (at: number, bids: BookLevel[], asks: BookLevel[]): BookSnapshotEvent => ({ ...base, kind: 'book_snapshot', receivedAt: at, exchangeTime: null, bids, asks, sequence: null });
const delta = (at: number, bids: BookLevel[], asks: BookLevel[]): BookDeltaEvent => ({ ...base, kind: 'book_delta', receivedAt: at, exchangeTime: null, bids, asks, firstSequence: null, lastSequence: null });
const trade = (at: number, quantity: number, takerSide: TradeEvent['takerSide']): TradeEvent => ({
  ...base, kind: 'trade', receivedAt: at + 300, exchangeTime: at, tradeId: String(at), price: 100, quantity, takerSide,
});

/** Feeds events to the processor, then applies book events to the market's book (the order the processor asks for). */
function run(p: LiquidityWindows, book: MapBook, events: readonly MarketEvent[]): LiquidityWindow[] {
  const out: LiquidityWindow[] = [];
  for (const e of events) {
    out.push(...p.onEvent(e));
    if (e.kind === 'book_snapshot' || e.kind === 'book_delta') book.apply(e);
  }
  return out;
}

test('liquidity window - a hand-checked window: update notional per side and ratio, top-10 book at the end, trade imbalance, spread, mid, counts', () => {
  const book = new MapBook();
  const p = new LiquidityWindows({ windowMs: 60_000, graceMs: 2_000, bookFor: () => book });
  const events: MarketEvent[] = [
    snapshot(W0, [[100, 1], [98, 5]], [[103, 1]]), // a snapshot is not an update: not summed
    delta(W0 + 1_000, [[100, 2], [99, 0]], [[101, 1]]), // bid 100×2 + 99×0 = 200, ask 101×1 = 101
    trade(W0 + 5_000, 2, 'buy'),
    delta(W0 + 30_000, [[100, 3]], [[102, 2], [101, 0]]), // bid +300, ask +204 + 0
    trade(W0 + 40_000, 0.5, 'sell'),
    trade(W0 + 41_000, 1, null),
    delta(W0 + 60_500, [[100, 0]], []), // next window; the book is read before it is applied
    trade(W0 + 59_000, 1, 'buy'), // late but within the grace: counted in the first window
  ];
  assert.deepEqual(run(p, book, events), []);
  const [w, ...rest] = p.tick(W0 + 62_000);
  assert.equal(rest.length, 0, 'the second window is not due yet');
  // Book at the end: bids 100×3, 98×5 → 790; asks 102×2, 103×1 → 307.
  assert.deepEqual(w, {
    exchange: 'gemini', symbol: 'BTCUSD', windowStart: W0, windowMs: 60_000,
    bidDeltaNotional: 500, askDeltaNotional: 305, deltaRatio: 500 / 305,
    topLevels: 10, bookBidNotional: 790, bookAskNotional: 307, bookRatio: 790 / 307,
    takerBuyQuantity: 3, takerSellQuantity: 0.5, tradeImbalance: 2.5 / 3.5,
    bestBid: 100, bestAsk: 102, spread: 2, mid: 101,
    deltaEvents: 2, bidLevels: 3, askLevels: 3, trades: 4, incomplete: false,
  });
  assert.deepEqual(p.onEvent(trade(W0 + 59_500, 1, 'buy')), [{ ...w, incomplete: true }], 'an event for an emitted window is not counted in it; the window is sent again marked incomplete');
  assert.deepEqual(p.onEvent(trade(W0 + 59_600, 1, 'buy')), [], 'once marked, a window is not sent again');
  assert.equal(p.late, 2, 'events for an emitted window are dropped and counted');
  const [next] = p.tick(W0 + 122_000);
  assert.deepEqual([next?.windowStart, next?.bidDeltaNotional, next?.bookBidNotional, next?.trades], [W0 + 60_000, 0, 490, 0]);
});

test('liquidity window - top levels is a setting, no book gives null book fields, no sided trade gives a null imbalance, a zero ask sum a null ratio', () => {
  const book = new MapBook();
  book.apply(snapshot(W0, [[100, 1], [99, 1]], [[101, 1], [102, 1]]));
  const one = new LiquidityWindows({ topLevels: 1, bookFor: () => book });
  const none = new LiquidityWindows({ windowMs: 10_000 });
  const events = [delta(W0 + 1_000, [[97, 1]], []), trade(W0 + 2_000, 1, null)];
  for (const e of events) {
    one.onEvent(e);
    none.onEvent(e);
  }
  const [a] = one.tick(W0 + 62_000);
  assert.deepEqual([a?.bookBidNotional, a?.bookAskNotional, a?.deltaRatio, a?.tradeImbalance, a?.topLevels], [100, 101, null, null, 1]);
  const [b] = none.tick(W0 + 12_000);
  assert.deepEqual([b?.windowMs, b?.bookBidNotional, b?.bookRatio, b?.bestBid, b?.spread, b?.mid, b?.bidDeltaNotional], [10_000, null, null, null, null, null, 97]);
  assert.throws(() => new LiquidityWindows({ windowMs: 0 }), /window length must be a positive whole number of ms, not 0/);
  assert.throws(() => new LiquidityWindows({ topLevels: 2.5 }), /top levels must be a positive integer, not 2.5/);
});

test('liquidity window - markets are apart, windows are keyed by start, and the same events give the same records (replay never double-counts)', () => {
  const events: MarketEvent[] = [
    delta(W0 + 1_000, [[100, 1]], []),
    { ...delta(W0 + 2_000, [[200, 1]], []), symbol: 'ETHUSD' },
    delta(W0 + 61_000, [[100, 2]], []),
    delta(W0 + 65_000, [[100, 4]], []),
  ];
  const once = (): LiquidityWindow[] => {
    const p = new LiquidityWindows();
    return [...events.flatMap((e) => p.onEvent(e)), ...p.tick(W0 + 200_000)];
  };
  const first = once();
  assert.deepEqual(first.map((w) => [w.symbol, w.windowStart, w.bidDeltaNotional]), [
    ['BTCUSD', W0, 100], ['BTCUSD', W0 + 60_000, 600], ['ETHUSD', W0, 200],
  ]);
  assert.deepEqual(once(), first);
});

test('liquidity window - an event with a level or quantity that cannot be summed is refused naming it and counts nowhere', () => {
  const p = new LiquidityWindows();
  p.onEvent(delta(W0 + 1_000, [[100, 1]], []));
  assert.throws(() => p.onEvent(delta(W0 + 2_000, [[100, 2]], [[Number.POSITIVE_INFINITY, 1]])), /book_delta gemini:BTCUSD at \d+: level \[Infinity, 1\]/);
  assert.throws(() => p.onEvent(delta(W0 + 2_000, [[100, -2]], [])), /level \[100, -2\]/);
  assert.throws(() => p.onEvent(trade(W0 + 3_000, Number.NaN, 'buy')), /trade gemini:BTCUSD at \d+: quantity NaN/);
  const [w] = p.tick(W0 + 62_000);
  assert.deepEqual([w?.bidDeltaNotional, w?.deltaEvents, w?.trades], [100, 1, 0]);
});

test('liquidity window - a late event marks only a window among the last 8 emitted; older ones stay as sent', () => {
  const p = new LiquidityWindows({ windowMs: 60_000, graceMs: 0 });
  const sent: LiquidityWindow[] = [];
  for (let i = 0; i <= 10; i++) sent.push(...p.onEvent(trade(W0 + i * 60_000 + 1_000, 1, 'buy')));
  assert.deepEqual(sent.map((w) => (w.windowStart - W0) / 60_000), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(p.onEvent(trade(W0 + 1_500, 1, 'sell')), [], 'the first window is no longer remembered');
  const [marked, ...more] = p.onEvent(trade(W0 + 9 * 60_000 + 1_500, 1, 'sell'));
  assert.equal(more.length, 0);
  assert.deepEqual(marked, { ...sent[9], incomplete: true }, 'the values as sent, marked incomplete');
  assert.equal(p.late, 2);
});
