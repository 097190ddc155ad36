/**
 * Order-book speed on the recorded Binance capture (moved from the former
 * src/stream/feed-speed.bench.ts): `OrderBook.applyLevels` over the BTCUSDT diffs in sequence, and
 * `LiveBooks.onFrame` end to end (map + depth sync + books + counters) over both symbols' frames.
 * Best of `rounds` after a warm-up.
 */
import { BinanceFeedPolicy } from '../../src/connectors/binance/ws/binance-feed-policy.js';
import { parseDepthSnapshot } from '../../src/connectors/binance/ws/depth-snapshot.js';
import { DepthSync } from '../../src/connectors/binance/ws/depth-sync.js';
import { mapBinanceFrame } from '../../src/connectors/binance/ws/stream-mappers.js';
import { readHftbacktestCapture } from '../../src/connectors/ws/test-captures.js';
import type { BookDeltaEvent, BookSnapshotEvent } from '../../src/core/market-events.js';
import { LiveBooks } from '../../src/stream/live-books.js';
import { OrderBook } from '../../src/stream/order-book.js';

export interface BooksFigures {
  diffs: number;
  levelsPerDiff: number;
  diffsPerSecond: number;
  bookDepth: { bids: number; asks: number };
  frames: number;
  framesPerSecond: number;
}

let sink: unknown = null;

function best(rounds: number, run: () => void): number {
  run();
  let ms = Infinity;
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    run();
    ms = Math.min(ms, performance.now() - t);
  }
  return ms / 1000;
}

export function measureBooks(rounds: number): BooksFigures {
  const btc = readHftbacktestCapture('btcusdt_20240808.gz', 'btcusdt_20240809.gz');
  const sync = new DepthSync('BTCUSDT');
  const seq: (BookSnapshotEvent | BookDeltaEvent)[] = [];
  for (const f of btc) {
    let step: ReturnType<DepthSync['onDelta']> | null = null;
    if (f.text.startsWith('{"lastUpdateId"')) step = sync.onSnapshot(parseDepthSnapshot(f.text, 'BTCUSDT', 0));
    else {
      const m = mapBinanceFrame(f.text, 0);
      if (m.kind === 'book_delta') step = sync.onDelta(m);
    }
    if (step?.type === 'apply') seq.push(...step.events);
  }
  const snapshot = seq[0];
  if (snapshot?.kind !== 'book_snapshot') throw new Error('books bench: the BTCUSDT capture did not start its sequence with the REST snapshot');
  const deltas = seq.slice(1).filter((e): e is BookDeltaEvent => e.kind === 'book_delta');
  const levels = deltas.reduce((n, d) => n + d.bids.length + d.asks.length, 0);
  const book = new OrderBook({ exchange: 'binance', symbol: 'BTCUSDT' });
  const applyS = best(rounds, () => {
    book.applySnapshot(snapshot.bids, snapshot.asks);
    for (const d of deltas) book.applyLevels(d.bids, d.asks);
  });

  const symbols = ['btcusdt', 'ethusdt'];
  const frames = symbols.flatMap((s) => readHftbacktestCapture(`${s}_20240808.gz`, `${s}_20240809.gz`)).filter((f) => !f.text.startsWith('{"lastUpdateId"'));
  const snapshots = new Map(symbols.map((s) => {
    const body = readHftbacktestCapture(`${s}_20240808.gz`).find((f) => f.text.startsWith('{"lastUpdateId"'))?.text;
    if (body === undefined) throw new Error(`books bench: no REST snapshot in ${s}_20240808`);
    return [s.toUpperCase(), body];
  }));
  const merged = [...frames].sort((a, b) => a.receivedAt - b.receivedAt);
  const liveS = best(rounds, () => {
    const lb = new LiveBooks({ policy: new BinanceFeedPolicy(), log: () => undefined });
    lb.onConnected();
    let first = true;
    for (const f of merged) {
      sink = lb.onFrame(f);
      if (first) {
        first = false;
        for (const [s, body] of snapshots) lb.onSnapshot(s, body, 0);
      }
    }
  });
  void sink;
  return {
    diffs: deltas.length,
    levelsPerDiff: levels / deltas.length,
    diffsPerSecond: deltas.length / applyS,
    bookDepth: { bids: book.depth.bids, asks: book.depth.asks },
    frames: merged.length,
    framesPerSecond: merged.length / liveS,
  };
}
