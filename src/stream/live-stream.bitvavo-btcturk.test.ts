/**
 * LiveStream's Bitvavo and BTCTurk feeds, unchanged but for their URLs, against the replay
 * server's websockets and REST books (built from the few recorded frames and the documentation's
 * trade example, src/replay/ws/bitvavo-capture.ts and btcturk-capture.ts), at 20× the capture's
 * pace: books synced from the REST snapshot (Bitvavo) and the join's 431 (BTCTurk), trades and
 * book events into bars and liquidity windows whose sums are checked against the recorded frames,
 * a dropped book frame on each exchange seen as a gap and resynced for that market only, a
 * malformed frame skipped and a dropped connection reopened; the lake partitioned by the exchanges'
 * own symbols, and a replay over it giving the live run's windows.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryBus } from '../bus/memory/memory-bus.js';
import { parseMarketRef } from '../core/market-events.js';
import { startReplayServer } from '../replay/index.js';
import type { StreamBar } from './bar-builder.js';
import type { LiquidityWindow } from '../store/signal-records.js';
import { LiveStream, type LiveStreamStatus } from './live-stream.js';
import { replayLake } from './replay-lake.js';
import type { StreamPayload } from './stream-payload.js';

// The recorded BTC-EUR `book` event (shared SOURCES §11.1 line 3) adds two bids; the replay's loop reset removes them each second.
const ADDED_BID_NOTIONAL = 75516 * 0.00058294 + 74966 * 0.001;
// The documentation's trade example: sell 0.00096361 at 9311.2.
const TRADE_QTY = 0.00096361;

function book(s: LiveStreamStatus, exchange: string, symbol: string): { synced: boolean; gaps: number; resyncs: number; bids: number; asks: number } | undefined {
  return s.exchanges.find((x) => x.exchange === exchange)?.books.find((b) => b.symbol === symbol);
}

async function until(what: string, ok: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('live stream - bitvavo and btcturk from the replay server: synced books, trades into bars and windows, a lost frame resynced', { timeout: 120_000 }, async () => {
  const replay = await startReplayServer({ speed: 20, ws: { preload: true } });
  const lakeRoot = join(mkdtempSync(join(tmpdir(), 'tf-bitvavo-btcturk-')), 'lake');
  const bus = new MemoryBus<StreamPayload>();
  const bars: StreamBar[] = [];
  const windows: LiquidityWindow[] = [];
  const exchangeTimes: number[] = [];
  const watch = (async () => {
    for await (const m of bus.subscribe('>')) {
      const d = m.data;
      if (d.kind === 'bar' && d.bar.exchange === 'bitvavo') bars.push(d.bar);
      if (d.kind === 'liquidity' && d.window.symbol === 'BTC-EUR') windows.push(d.window);
      if (d.kind === 'book_delta' && d.symbol === 'BTC-EUR' && d.exchangeTime !== null) exchangeTimes.push(d.exchangeTime);
    }
  })();
  const lines: string[] = [];
  const stream = await LiveStream.start({
    markets: ['bitvavo:BTC-EUR', 'bitvavo:XRP-EUR', 'btcturk:BTCUSDT', 'btcturk:ETHUSDT'].map(parseMarketRef),
    kinds: ['trade', 'book_snapshot', 'book_delta'],
    urls: {
      binanceWs: 'ws://127.0.0.1:9', binanceRest: 'http://127.0.0.1:9', geminiWs: 'ws://127.0.0.1:9',
      bitvavoWs: replay.urls.bitvavoWs, bitvavoRest: replay.urls.bitvavo, btcturkWs: replay.urls.btcturkWs, btcturkRest: replay.urls.btcturk,
    },
    store: { writeCandles: () => Promise.resolve(0), upsertSignals: () => Promise.resolve(0) },
    lakeRoot,
    lake: { maxBufferAgeMs: 1_000 },
    windowMs: 60_000,
    staleAfterMs: 30_000,
    log: (l) => lines.push(l),
    bus,
  });
  try {
    const status = (): LiveStreamStatus => stream.status();
    // A whole 60 s window of BTC-EUR (the second one: the first starts mid-minute) at 20× is 3 s.
    await until('a whole BTC-EUR window', () => windows.some((w) => w.trades === 60));
    const books = (): unknown[] => ['bitvavo BTC-EUR', 'bitvavo XRP-EUR', 'btcturk BTCUSDT', 'btcturk ETHUSDT'].map((m) => {
      const [x, s] = m.split(' ') as [string, string];
      const b = book(status(), x, s);
      return [m, b?.synced, b?.gaps, b?.asks];
    });
    // Asks: BTC-EUR the recorded 3; XRP-EUR the one its event sets; BTCUSDT the recorded 431's 3; ETHUSDT the 3 its two diffs leave.
    assert.deepEqual(books(), [['bitvavo BTC-EUR', true, 0, 3], ['bitvavo XRP-EUR', true, 0, 1], ['btcturk BTCUSDT', true, 0, 3], ['btcturk ETHUSDT', true, 0, 3]], lines.join('\n'));
    assert.equal(book(status(), 'btcturk', 'ETHUSDT')?.bids, 2, 'bids 2765 and 2531.9 are left after CS 4008255 and 4097621');

    // Each loop second: the recorded event (3 bids), the derived reset (2 bids at size 0), one trade.
    const w = windows.find((x) => x.trades === 60) as LiquidityWindow;
    assert.equal(w.deltaEvents, 120);
    assert.equal(w.bidLevels, 300);
    assert.equal(w.askLevels, 0);
    assert.ok(Math.abs(w.bidDeltaNotional - 60 * ADDED_BID_NOTIONAL) < 1e-6, `${w.bidDeltaNotional}`);
    assert.ok(Math.abs(w.takerSellQuantity - 60 * TRADE_QTY) < 1e-12);
    assert.equal(w.takerBuyQuantity, 0);
    // The nanosecond timestamps come through exact to the ms: the recorded event is due 100 ms into each loop second,
    // 9 ms after XRP-EUR's; the capture's seconds start at the recorded getBook answer's .313 + 91 ms.
    assert.ok(exchangeTimes.length > 10 && exchangeTimes.every((t) => t % 1000 === 404 || t % 1000 === 413), exchangeTimes.slice(0, 6).join(','));

    await until('a whole BTC-EUR bar', () => bars.some((b) => b.symbol === 'BTC-EUR' && b.candle.trades === 60));
    const bar = bars.find((b) => b.symbol === 'BTC-EUR' && b.candle.trades === 60) as StreamBar;
    assert.deepEqual([bar.candle.open, bar.candle.high, bar.candle.low, bar.candle.close], [9311.2, 9311.2, 9311.2, 9311.2]);
    assert.ok(Math.abs(bar.candle.volume - 60 * TRADE_QTY) < 1e-12);

    // One lost book frame per exchange: a nonce / CS gap on that market, resynced from REST; the other markets untouched.
    for (const [exchange, market] of [['bitvavo', 'BTC-EUR'], ['btcturk', 'ETHUSDT']] as const) {
      const res = await fetch(`${replay.url}/_ws/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ exchange, kind: 'drop-depth', stream: market }) });
      assert.equal(res.status, 200);
    }
    await until('both gaps resynced', () => [book(status(), 'bitvavo', 'BTC-EUR'), book(status(), 'btcturk', 'ETHUSDT')].every((b) => b?.gaps === 1 && b.resyncs >= 1 && b.synced));
    assert.deepEqual([book(status(), 'bitvavo', 'XRP-EUR')?.gaps, book(status(), 'btcturk', 'BTCUSDT')?.gaps], [0, 0]);
    assert.match(lines.join('\n'), /bitvavo BTC-EUR book nonce gap: expected (\d+), got \d+/);
    assert.match(lines.join('\n'), /btcturk ETHUSDT obdiff CS gap/);

    // A frame cut in half is counted and skipped; a dropped connection is reopened, resubscribed and its books resynced.
    const inject = (body: object): Promise<Response> => fetch(`${replay.url}/_ws/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    for (const exchange of ['bitvavo', 'btcturk']) await inject({ exchange, kind: 'malformed' });
    await until('the malformed frames', () => status().exchanges.every((x) => x.malformedFrames === 1));
    for (const exchange of ['bitvavo', 'btcturk']) await inject({ exchange, kind: 'disconnect' });
    await until('both reconnected and synced', () => status().exchanges.every((x) => x.connections === 2 && x.books.every((b) => b.synced)));
  } finally {
    await stream.stop();
    await bus.close();
    await watch;
    await replay.close();
  }

  // The lake keeps the exchange's own symbols as partitions (`symbol=BTC-EUR`), and a replay over it gives the same windows.
  try {
    assert.ok(readdirSync(join(lakeRoot, 'kind=trade', 'exchange=bitvavo', 'symbol=BTC-EUR')).length > 0);
    assert.ok(existsSync(join(lakeRoot, 'kind=book_delta', 'exchange=btcturk', 'symbol=ETHUSDT')));
    const replayed: LiquidityWindow[] = [];
    await replayLake({
      lakeRoot, from: 0, to: Date.now() + 60_000, markets: [parseMarketRef('bitvavo:BTC-EUR')], windowMs: 60_000,
      store: { writeCandles: () => Promise.resolve(0), upsertSignals: (rows) => Promise.resolve(replayed.push(...rows)) },
    });
    assert.ok(windows.length >= 2);
    for (const w of windows) assert.deepEqual(replayed.find((r) => r.windowStart === w.windowStart), w);
  } finally {
    rmSync(join(lakeRoot, '..'), { recursive: true, force: true });
  }
});
