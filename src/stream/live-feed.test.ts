import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { readHftbacktestCapture } from '../connectors/ws/test-captures.js';
import { runWsFeed } from '../connectors/ws/ws-feed.js';
import { BinanceFeedPolicy } from '../connectors/binance/ws/binance-feed-policy.js';
import { binanceWsFeedOptions, createBinanceSnapshotFetcher } from '../connectors/binance/ws/binance-ws-feed.js';
import { GeminiFeedPolicy } from '../connectors/gemini/gemini-feed-policy.js';
import { geminiWsFeedOptions } from '../connectors/gemini/gemini-ws-feed.js';
import { readCryptofeedFrames } from '../connectors/ws/test-captures.js';
import { LiveBooks } from './live-books.js';
import { OrderBook } from './order-book.js';
import type { MarketEvent } from '../core/market-events.js';

// A tiny stand-in for the exchange, serving recorded frames (fixtures/SOURCES.md): it shares no
// code with the feed, it only sends the capture's text as it was received.
const btc = readHftbacktestCapture('btcusdt_20240808.gz');
const snapshotBody = btc.find((f) => f.text.startsWith('{"lastUpdateId"'))!.text;
const streamed = btc.filter((f) => !f.text.startsWith('{"lastUpdateId"'));
const lastTradeAt = streamed.findLastIndex((f, i) => i < 3000 && f.text.includes('@trade"'));
const served = streamed.slice(0, lastTradeAt + 1);
const tradesServed = served.filter((f) => f.text.includes('@trade"')).length;

test('live feed - Binance over a local websocket: REST snapshot per connection, a server disconnect resyncs, books stay in sequence', async () => {
  const paths: string[] = [];
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  let connections = 0;
  wss.on('connection', (socket, req) => {
    paths.push(req.url ?? '');
    const n = ++connections;
    let i = 0;
    const pump = (): void => {
      for (const end = Math.min(i + 300, served.length); i < end; i++) socket.send(served[i]!.text);
      if (i < served.length) setTimeout(pump, 1);
      else if (n === 1) socket.close(1001, 'going away'); // the first connection ends like a server restart
    };
    pump();
  });
  const snapshotQueries: string[] = [];
  const http = createServer((req, res) => {
    snapshotQueries.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(snapshotBody);
  });
  await Promise.all([new Promise((r) => wss.once('listening', r)), new Promise<void>((r) => http.listen(0, '127.0.0.1', r))]);
  const controller = new AbortController();
  try {
    const feed = runWsFeed(
      binanceWsFeedOptions({
        wsBaseUrl: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`,
        symbols: ['BTCUSDT'],
        kinds: ['trade', 'depth@100ms', 'bookTicker'],
        backoff: { baseMs: 20, capMs: 20 },
        signal: controller.signal,
      }),
    );
    const books = new LiveBooks({
      policy: new BinanceFeedPolicy(),
      fetchSnapshot: createBinanceSnapshotFetcher({ restBaseUrl: `http://127.0.0.1:${(http.address() as AddressInfo).port}` }),
      log: () => undefined,
    });
    const events: MarketEvent[] = [];
    for await (const e of books.run(feed)) {
      events.push(e);
      if (events.filter((x) => x.kind === 'trade').length === 2 * tradesServed) controller.abort();
    }
    assert.deepEqual(paths, ['/stream?streams=btcusdt@trade/btcusdt@depth@100ms/btcusdt@bookTicker', '/stream?streams=btcusdt@trade/btcusdt@depth@100ms/btcusdt@bookTicker']);
    assert.deepEqual(snapshotQueries, ['/api/v3/depth?symbol=BTCUSDT&limit=1000', '/api/v3/depth?symbol=BTCUSDT&limit=1000']);
    const status = books.status();
    assert.equal(status.connections, 2);
    assert.equal(status.malformedFrames, 0);
    assert.deepEqual(
      status.books.map((b) => [b.symbol, b.synced, b.gaps, b.resyncs, b.crossed]),
      [['BTCUSDT', true, 0, 1, 0]],
    );
    // The same recorded diffs were applied on both connections, each starting at the 3rd one.
    const deltas = events.filter((e) => e.kind === 'book_delta');
    assert.equal(deltas.length % 2, 0);
    assert.equal(deltas[0]!.kind === 'book_delta' && deltas[0]!.firstSequence, 50093239208);
    assert.equal(deltas[deltas.length / 2]!.kind === 'book_delta' && deltas[deltas.length / 2]!.firstSequence, 50093239208);
  } finally {
    controller.abort();
    for (const c of wss.clients) c.terminate();
    await Promise.all([new Promise((r) => wss.close(r)), new Promise((r) => http.close(r))]);
  }
});

test('live feed - Gemini over a local websocket: the subscribe is sent, the first l2_updates builds each book', async () => {
  const frames = readCryptofeedFrames('cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl');
  const received: string[] = [];
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (socket) => {
    socket.on('message', (m) => {
      received.push(String(m));
      for (const f of frames) socket.send(f.text);
    });
  });
  await new Promise((r) => wss.once('listening', r));
  const controller = new AbortController();
  try {
    const symbols = ['BTCGBP', 'LINKETH', 'FILUSD', 'ZECLTC', 'BATBTC', 'ETHEUR', 'LTCETH', 'GRTUSD', 'ANKRUSD', 'ALCXUSD'];
    const feed = runWsFeed(geminiWsFeedOptions({ url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/v2/marketdata`, symbols, signal: controller.signal }));
    const books = new LiveBooks({ policy: new GeminiFeedPolicy(), log: () => undefined });
    let n = 0;
    for await (const _ of books.run(feed)) {
      if (++n === 10 + 516 + 645) controller.abort();
    }
    assert.deepEqual(received, [`{"type":"subscribe","subscriptions":[{"name":"l2","symbols":${JSON.stringify(symbols)}}]}`]);
    const status = books.status();
    assert.equal(status.books.length, 10);
    assert.ok(status.books.every((b) => b.synced && b.crossed === 0 && b.bids > 0 && b.asks > 0));
    // The live book equals one built directly from the mapped capture.
    const direct = new OrderBook({ exchange: 'gemini', symbol: 'BTCGBP' });
    const policy = new GeminiFeedPolicy();
    for (const f of frames) {
      for (const e of policy.onFrame(f).events) {
        if (e.symbol !== 'BTCGBP') continue;
        if (e.kind === 'book_snapshot') direct.applySnapshot(e.bids, e.asks);
        else if (e.kind === 'book_delta') direct.applyLevels(e.bids, e.asks);
      }
    }
    assert.deepEqual(books.book('BTCGBP')?.top('bid', 1000), direct.top('bid', 1000));
    assert.deepEqual(books.book('BTCGBP')?.top('ask', 1000), direct.top('ask', 1000));
    assert.ok(direct.top('bid', 1000).length > 10);
  } finally {
    controller.abort();
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  }
});

test('live books - Gemini (no sequence numbers): a malformed frame of a book unsyncs that book until the next connection sends it whole', () => {
  const frames = readCryptofeedFrames('cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl');
  const logs: string[] = [];
  const books = new LiveBooks({ policy: new GeminiFeedPolicy(), log: (l) => logs.push(l) });
  books.onConnected();
  const btcFrames = frames.filter((f) => f.text.includes('"symbol":"BTCGBP"') && f.text.includes('"l2_updates"'));
  assert.ok(btcFrames.length > 3, 'the capture has BTCGBP book frames');
  const firstBtc = frames.indexOf(btcFrames[0]!);
  for (const f of frames.slice(0, firstBtc + 1)) books.onFrame(f);
  const synced = (): boolean | undefined => books.status().books.find((b) => b.symbol === 'BTCGBP')?.synced;
  assert.equal(synced(), true);
  const cut = btcFrames[1]!;
  books.onFrame({ ...cut, text: cut.text.slice(0, Math.floor(cut.text.length / 2)) });
  const btc = books.status().books.find((b) => b.symbol === 'BTCGBP')!;
  assert.deepEqual([btc.synced, btc.gaps, btc.malformed], [false, 1, 1]);
  assert.ok(logs.some((l) => l === 'gemini BTCGBP: a malformed frame may have held a book update; the book is unsynced until the next connection'), logs.join('\n'));
  const before = books.book('BTCGBP')?.top('bid', 5);
  books.onFrame(btcFrames[2]!);
  assert.deepEqual(books.book('BTCGBP')?.top('bid', 5), before, 'updates of an unsynced book are not applied');
  // The next connection's first l2_updates is the whole book again.
  books.onConnected();
  books.onFrame(btcFrames[0]!);
  assert.equal(synced(), true);
});
