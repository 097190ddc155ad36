import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readHftbacktestCapture } from '../connectors/ws/test-captures.js';
import type { RawFrame } from '../connectors/ws/raw-frame.js';
import type { WsFeedItem } from '../connectors/ws/ws-feed.js';
import { BinanceFeedPolicy } from '../connectors/binance/ws/binance-feed-policy.js';
import { DepthSync } from '../connectors/binance/ws/depth-sync.js';
import { mapBinanceFrame } from '../connectors/binance/ws/stream-mappers.js';
import { parseDepthSnapshot } from '../connectors/binance/ws/depth-snapshot.js';
import { LiveBooks } from './live-books.js';
import { OrderBook } from './order-book.js';
import type { MarketEvent } from '../core/market-events.js';

// Real Binance spot streams for BTCUSDT and ETHUSDT (fixtures/SOURCES.md, shared SOURCES §12.1),
// merged by receive time as one connection would deliver them. The REST snapshots, recorded as
// bare lines in the capture, are served by the test's fetch function instead.
const symbols = ['BTCUSDT', 'ETHUSDT'] as const;
const perSymbol = symbols.map((s) => readHftbacktestCapture(`${s.toLowerCase()}_20240808.gz`, `${s.toLowerCase()}_20240809.gz`));
const recordedSnapshot = new Map<string, string>(symbols.map((s, i) => [s, perSymbol[i]!.find((f) => f.text.startsWith('{"lastUpdateId"'))!.text]));
const merged = perSymbol.flat().filter((f) => !f.text.startsWith('{"lastUpdateId"')).sort((a, b) => a.receivedAt - b.receivedAt);

/** A book built the plain way from one symbol's capture, stopping after the diff whose u is `untilU` (or at the end). */
function cleanBook(symbol: string, untilU = Infinity): { book: OrderBook; bookId: number | null } {
  const frames = perSymbol[symbols.indexOf(symbol as (typeof symbols)[number])]!;
  const sync = new DepthSync(symbol);
  const book = new OrderBook({ exchange: 'binance', symbol });
  for (const f of frames) {
    const step = f.text.startsWith('{"lastUpdateId"')
      ? sync.onSnapshot(parseDepthSnapshot(f.text, symbol, 0))
      : (() => {
          const m = mapBinanceFrame(f.text, 0);
          return m.kind === 'book_delta' ? sync.onDelta(m) : null;
        })();
    if (step?.type === 'apply') {
      for (const e of step.events) {
        if (e.kind === 'book_snapshot') book.applySnapshot(e.bids, e.asks);
        else book.applyLevels(e.bids, e.asks);
      }
    }
    if (sync.bookId !== null && sync.bookId >= untilU) break;
  }
  return { book, bookId: sync.bookId };
}

/** A snapshot body in the REST shape, derived from a book built from the recorded diffs (not invented). */
function snapshotBody(book: OrderBook, lastUpdateId: number): string {
  const side = (s: 'bid' | 'ask'): string[][] => book.top(s, 100_000).map(([p, q]) => [p.toFixed(8), q.toFixed(8)]);
  return JSON.stringify({ lastUpdateId, bids: side('bid'), asks: side('ask') });
}

async function* feedOf(frames: RawFrame[]): AsyncGenerator<WsFeedItem> {
  yield { type: 'connected', url: 'ws://replay/stream', connection: 1, at: 0 };
  for (const f of frames) yield { type: 'frame', ...f };
  yield { type: 'disconnected', reason: 'end of capture', at: 0 };
}

test('live books - a dropped BTCUSDT diff resyncs that book only; ETHUSDT never stops; a malformed frame is counted, logged and skipped', async () => {
  // Drop a BTCUSDT diff (the first longer than 400 chars from the 800th on) and put its first 300 chars in its place.
  let seen = 0;
  let droppedU = 0;
  const frames = merged.map((f) => {
    if (!f.text.startsWith('{"stream":"btcusdt@depth')) return f;
    if (++seen < 800 || droppedU !== 0 || f.text.length <= 400) return f;
    const m = mapBinanceFrame(f.text, 0);
    droppedU = m.kind === 'book_delta' ? m.lastSequence! : 0;
    return { receivedAt: f.receivedAt, text: f.text.slice(0, 300) };
  });
  assert.ok(droppedU > 0);
  const fetched: string[] = [];
  const logs: string[] = [];
  const books = new LiveBooks({
    policy: new BinanceFeedPolicy(),
    log: (line) => logs.push(line),
    fetchSnapshot: (symbol) => {
      fetched.push(symbol);
      if (fetched.filter((s) => s === symbol).length === 1) return Promise.resolve(recordedSnapshot.get(symbol)!);
      // The resync: the book as Binance would have served it right after the dropped diff.
      return Promise.resolve(snapshotBody(cleanBook(symbol, droppedU).book, droppedU));
    },
  });
  const events: MarketEvent[] = [];
  for await (const e of books.run(feedOf(frames))) events.push(e);

  assert.deepEqual(fetched, ['BTCUSDT', 'ETHUSDT', 'BTCUSDT']);
  const status = books.status();
  assert.equal(status.malformedFrames, 1);
  assert.equal(status.connections, 1);
  const [btc, eth] = status.books;
  assert.deepEqual({ ...btc, bids: 0, asks: 0 }, { symbol: 'BTCUSDT', synced: true, bids: 0, asks: 0, gaps: 1, resyncs: 1, crossed: 0, malformed: 1, snapshotFailures: 0 });
  assert.deepEqual({ ...eth, bids: 0, asks: 0 }, { symbol: 'ETHUSDT', synced: true, bids: 0, asks: 0, gaps: 0, resyncs: 0, crossed: 0, malformed: 0, snapshotFailures: 0 });

  const malformedLog = logs.find((l) => l.startsWith('binance: malformed frame skipped: binance stream frame: not JSON'));
  assert.ok(malformedLog?.endsWith('… (300 chars)'), malformedLog);
  assert.ok(malformedLog?.includes('raw: {"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate"'));
  const gapLog = logs.find((l) => l.startsWith('binance BTCUSDT depth gap: expected update '));
  assert.match(gapLog ?? '', new RegExp(`^binance BTCUSDT depth gap: expected update \\d+, got U=${droppedU + 1} u=\\d+; resyncing from a new snapshot$`));

  // Both books end equal to the ones built from the unbroken capture.
  for (const s of symbols) {
    const clean = cleanBook(s).book;
    const live = books.book(s)!;
    assert.deepEqual(live.top('bid', 500), clean.top('bid', 500), s);
    assert.deepEqual(live.top('ask', 500), clean.top('ask', 500), s);
  }
  // Trades flow through untouched: 19,904 BTCUSDT and 14,515 ETHUSDT (shared SOURCES §12.1).
  assert.equal(events.filter((e) => e.kind === 'trade' && e.symbol === 'BTCUSDT').length, 19_904);
  assert.equal(events.filter((e) => e.kind === 'trade' && e.symbol === 'ETHUSDT').length, 14_515);
});

test('live books - a failed snapshot fetch is retried with back-off and counted', async () => {
  let calls = 0;
  const logs: string[] = [];
  const books = new LiveBooks({
    policy: new BinanceFeedPolicy(),
    log: (l) => logs.push(l),
    snapshotRetry: { baseMs: 5, capMs: 5 },
    fetchSnapshot: async (symbol) => {
      if (++calls === 1) throw new Error('HTTP 503 from replay');
      return recordedSnapshot.get(symbol)!;
    },
  });
  const eth = merged.filter((f) => f.text.includes('ethusdt@'));
  async function* slowFeed(): AsyncGenerator<WsFeedItem> {
    yield { type: 'connected', url: 'x', connection: 1, at: 0 };
    for (const [i, f] of eth.entries()) {
      if (i % 200 === 0) await new Promise((r) => setTimeout(r, 2));
      yield { type: 'frame', ...f };
    }
  }
  for await (const _ of books.run(slowFeed())) void _;
  assert.equal(calls, 2);
  assert.deepEqual(logs, ['binance:ETHUSDT snapshot fetch failed (attempt 1): HTTP 503 from replay']);
  const [s] = books.status().books;
  assert.equal(s?.snapshotFailures, 1);
  assert.equal(s?.synced, true);
  assert.equal(s?.gaps, 0);
});
