import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { readFrameLines } from '../connectors/ws/test-captures.js';
import { runWsFeed } from '../connectors/ws/ws-feed.js';
import { BitvavoFeedPolicy } from '../connectors/bitvavo/bitvavo-feed-policy.js';
import { bitvavoWsFeedOptions, createBitvavoSnapshotFetcher } from '../connectors/bitvavo/bitvavo-ws-feed.js';
import { BtcturkFeedPolicy } from '../connectors/btcturk/btcturk-feed-policy.js';
import { btcturkWsFeedOptions } from '../connectors/btcturk/btcturk-ws-feed.js';
import { LiveBooks } from './live-books.js';
import type { MarketEvent } from '../core/market-events.js';

// Tiny stand-ins for the exchanges over a local websocket, sending recorded frames (shared SOURCES
// §11) and, where the recording has too few, the recorded frames with only `nonce`/`CS` changed.
const bv = readFrameLines('bitvavo_ws_v2_server_frames_2026-09-23.jsonl');
const bt = readFrameLines('btcturk_ws_server_frames_2026-09-23.jsonl');
const SNAP_NONCE = 413297445;
const getBook = bv[1]!.text;
const restBook = getBook.slice(getBook.indexOf('"response":') + 11, -1);

test('live feed - Bitvavo over a local websocket: one subscribe, REST book per market, updates applied in nonce order', async () => {
  const received: string[] = [];
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (socket) => {
    socket.on('message', (m) => {
      received.push(String(m));
      socket.send(bv[0]!.text);
      for (let k = 1; k <= 40; k++) socket.send(bv[2]!.text.replace(/"nonce":\d+/, `"nonce":${SNAP_NONCE + k}`));
    });
  });
  const paths: string[] = [];
  const http = createServer((req, res) => {
    paths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(restBook);
  });
  await Promise.all([new Promise((r) => wss.once('listening', r)), new Promise<void>((r) => http.listen(0, '127.0.0.1', r))]);
  const controller = new AbortController();
  try {
    const feed = runWsFeed(bitvavoWsFeedOptions({ url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/v2/`, markets: ['BTC-EUR'], signal: controller.signal }));
    const books = new LiveBooks({
      policy: new BitvavoFeedPolicy(),
      fetchSnapshot: createBitvavoSnapshotFetcher({ restRoot: `http://127.0.0.1:${(http.address() as AddressInfo).port}/v2` }),
      log: () => undefined,
    });
    const events: MarketEvent[] = [];
    for await (const e of books.run(feed)) {
      events.push(e);
      if (e.kind === 'book_delta' && e.lastSequence === SNAP_NONCE + 40) controller.abort();
    }
    assert.deepEqual(received, ['{"action":"subscribe","channels":[{"name":"book","markets":["BTC-EUR"]},{"name":"trades","markets":["BTC-EUR"]}]}']);
    assert.deepEqual(paths, ['/v2/BTC-EUR/book']);
    assert.equal(events[0]!.kind === 'book_snapshot' && events[0]!.sequence, SNAP_NONCE);
    assert.equal(events.length, 41);
    assert.deepEqual(books.status().books.map((b) => [b.symbol, b.synced, b.gaps, b.resyncs, b.crossed, b.bids, b.asks]), [['BTC-EUR', true, 0, 0, 0, 5, 3]]);
  } finally {
    controller.abort();
    for (const c of wss.clients) c.terminate();
    await Promise.all([new Promise((r) => wss.close(r)), new Promise((r) => http.close(r))]);
  }
});

test('live feed - BTCTurk over a local websocket: one join per pair, the book comes with the join, no REST needed', async () => {
  const received: string[] = [];
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  wss.on('connection', (socket) => {
    socket.send(bt[0]!.text); // the version frame comes first on every socket
    socket.on('message', (m) => {
      received.push(String(m));
      socket.send(bt[1]!.text);
      socket.send(bt[2]!.text);
      for (let k = 1; k <= 20; k++) {
        socket.send(`[432,{"CS":${3999242 + k},"PS":"BTCUSDT","AO":[{"CP":0,"P":"86699","A":"${k / 1000}"}],"BO":[],"channel":"obdiff","event":"BTCUSDT","type":432}]`);
      }
    });
  });
  await new Promise((r) => wss.once('listening', r));
  const controller = new AbortController();
  try {
    const feed = runWsFeed(btcturkWsFeedOptions({ url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`, pairs: ['BTCUSDT'], signal: controller.signal }));
    const books = new LiveBooks({ policy: new BtcturkFeedPolicy(), fetchSnapshot: () => Promise.reject(new Error('no REST expected')), log: () => undefined });
    let n = 0;
    for await (const _ of books.run(feed)) if (++n === 21) controller.abort();
    assert.deepEqual(received, ['[151,{"type":151,"channel":"obdiff","event":"BTCUSDT","join":true}]']);
    assert.deepEqual(books.status().books.map((b) => [b.symbol, b.synced, b.gaps, b.snapshotFailures, b.bids, b.asks]), [['BTCUSDT', true, 0, 0, 3, 3]]);
    assert.deepEqual(books.book('BTCUSDT')!.top('ask', 1), [[86699, 0.02]]);
  } finally {
    controller.abort();
    for (const c of wss.clients) c.terminate();
    await new Promise((r) => wss.close(r));
  }
});
