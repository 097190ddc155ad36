import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readHftbacktestCapture } from '../../ws/test-captures.js';
import type { RawFrame } from '../../ws/raw-frame.js';
import { OrderBook } from '../../../stream/order-book.js';
import { DepthSync } from './depth-sync.js';
import { mapBinanceFrame, type BinanceBookTicker } from './stream-mappers.js';
import { parseDepthSnapshot } from './depth-snapshot.js';
import type { BookDeltaEvent, BookSnapshotEvent } from '../../../core/market-events.js';

// ~11 minutes of real Binance spot streams per symbol (fixtures/SOURCES.md, shared SOURCES §12.1).
const captures = {
  BTCUSDT: readHftbacktestCapture('btcusdt_20240808.gz', 'btcusdt_20240809.gz'),
  ETHUSDT: readHftbacktestCapture('ethusdt_20240808.gz', 'ethusdt_20240809.gz'),
};

interface Replay {
  firstApplied: BookDeltaEvent | null;
  bufferedBeforeSnapshot: BookDeltaEvent[];
  snapshot: BookSnapshotEvent | null;
  applied: number;
  gaps: string[];
  tickerChecks: number;
  tickerMismatches: string[];
  crossed: number;
  book: OrderBook;
}

/** Feeds a capture through the mapper, the depth sync and a book, checking the book against each bookTicker with the same update id. */
function replay(symbol: string, frames: RawFrame[]): Replay {
  const sync = new DepthSync(symbol);
  const book = new OrderBook({ exchange: 'binance', symbol });
  const r: Replay = { firstApplied: null, bufferedBeforeSnapshot: [], snapshot: null, applied: 0, gaps: [], tickerChecks: 0, tickerMismatches: [], crossed: 0, book };
  const tickers = new Map<number, BinanceBookTicker>();
  const check = (t: BinanceBookTicker): void => {
    r.tickerChecks++;
    const bid = book.bestBid();
    const ask = book.bestAsk();
    if (bid?.[0] !== t.bid[0] || bid[1] !== t.bid[1] || ask?.[0] !== t.ask[0] || ask[1] !== t.ask[1]) {
      r.tickerMismatches.push(`u=${t.updateId}: book ${JSON.stringify([bid, ask])} ticker ${JSON.stringify([t.bid, t.ask])}`);
    }
  };
  const apply = (e: BookSnapshotEvent | BookDeltaEvent): void => {
    if (e.kind === 'book_snapshot') book.applySnapshot(e.bids, e.asks);
    else {
      book.applyLevels(e.bids, e.asks);
      r.applied++;
      r.firstApplied ??= e;
      const t = tickers.get(e.lastSequence!);
      if (t !== undefined) check(t);
    }
    if (book.crossed() !== null) r.crossed++;
  };
  for (const f of frames) {
    if (f.text.startsWith('{"lastUpdateId"')) {
      r.snapshot = parseDepthSnapshot(f.text, symbol, f.receivedAt);
      const step = sync.onSnapshot(r.snapshot);
      assert.equal(step.type, 'apply');
      if (step.type === 'apply') step.events.forEach(apply);
      continue;
    }
    const m = mapBinanceFrame(f.text, f.receivedAt);
    if (m.kind === 'book_delta') {
      if (r.snapshot === null) r.bufferedBeforeSnapshot.push(m);
      const step = sync.onDelta(m);
      if (step.type === 'apply') step.events.forEach(apply);
      if (step.type === 'gap') r.gaps.push(step.gap.message);
    } else if (m.kind === 'book_ticker') {
      if (sync.bookId === m.updateId) check(m);
      else if (sync.bookId === null || m.updateId > sync.bookId) tickers.set(m.updateId, m);
    }
  }
  return r;
}

test('binance depth sync - BTCUSDT starts at the 3rd buffered event (the late snapshot is older than it) and never gaps over 11 minutes', () => {
  const r = replay('BTCUSDT', captures.BTCUSDT);
  assert.equal(r.snapshot?.sequence, 50093239218);
  assert.equal(r.bufferedBeforeSnapshot.length, 3, 'three diffs arrived before the REST snapshot');
  assert.equal(r.firstApplied, r.bufferedBeforeSnapshot[2]);
  assert.equal(r.firstApplied?.firstSequence, 50093239208);
  assert.equal(r.firstApplied?.lastSequence, 50093239224);
  assert.deepEqual(r.gaps, []);
  // 6,495 diffs in the two files (shared SOURCES §12.1), the first two older than the snapshot.
  assert.equal(r.applied, 6495 - 2);
  assert.equal(r.crossed, 0);
});

test('binance depth sync - the synced books equal every recorded bookTicker with the same update id', () => {
  for (const [symbol, frames] of Object.entries(captures)) {
    const r = replay(symbol, frames);
    assert.deepEqual(r.gaps, [], symbol);
    assert.deepEqual(r.tickerMismatches.slice(0, 3), [], symbol);
    assert.ok(r.tickerChecks > 1000, `${symbol}: only ${r.tickerChecks} bookTickers shared an update id with a diff`);
    assert.equal(r.crossed, 0, symbol);
  }
});

test('binance depth sync - ETHUSDT starts with the event right after the snapshot (lastUpdateId equals the previous u)', () => {
  const r = replay('ETHUSDT', captures.ETHUSDT);
  assert.equal(r.snapshot?.sequence, 35346513512);
  assert.equal(r.firstApplied?.firstSequence, 35346513513);
  assert.deepEqual(r.gaps, []);
  assert.equal(r.applied, 6470 - r.bufferedBeforeSnapshot.length);
});

test('binance depth sync - a dropped diff is reported as a gap naming the symbol and the ids, and buffering restarts', () => {
  const frames = captures.BTCUSDT;
  const depthAt: number[] = [];
  frames.forEach((f, i) => f.text.startsWith('{"stream":"btcusdt@depth') && depthAt.push(i));
  const dropped = depthAt[500]!;
  const droppedEvent = mapBinanceFrame(frames[dropped]!.text, 0);
  const next = mapBinanceFrame(frames[depthAt[501]!]!.text, 0);
  assert.equal(droppedEvent.kind, 'book_delta');
  assert.equal(next.kind, 'book_delta');
  if (droppedEvent.kind !== 'book_delta' || next.kind !== 'book_delta') return;
  const r = replay('BTCUSDT', frames.filter((_, i) => i !== dropped));
  assert.equal(r.gaps.length, 1);
  assert.equal(
    r.gaps[0],
    `binance BTCUSDT depth gap: expected update ${droppedEvent.firstSequence}, got U=${next.firstSequence} u=${next.lastSequence}; resyncing from a new snapshot`,
  );
  // After the gap nothing is applied until a new snapshot: 500 − 2 dropped-as-old diffs were.
  assert.equal(r.applied, 500 - 2);
});

test('binance depth sync - a snapshot older than the whole buffer asks for another and keeps buffering', () => {
  const sync = new DepthSync('BTCUSDT');
  const deltas = captures.BTCUSDT.filter((f) => f.text.startsWith('{"stream":"btcusdt@depth')).slice(0, 5).map((f) => mapBinanceFrame(f.text, f.receivedAt));
  const steps = deltas.map((d) => (d.kind === 'book_delta' ? sync.onDelta(d) : null));
  assert.deepEqual(steps.map((s) => s?.type === 'buffering' && s.snapshotWanted), [true, false, false, false, false]);
  const old: BookSnapshotEvent = { kind: 'book_snapshot', exchange: 'binance', symbol: 'BTCUSDT', receivedAt: 0, exchangeTime: null, bids: [], asks: [], sequence: 50093239100 };
  assert.deepEqual(sync.onSnapshot(old), { type: 'buffering', snapshotWanted: true });
  assert.equal(sync.buffered, 5);
  assert.equal(sync.bookId, null);
});
