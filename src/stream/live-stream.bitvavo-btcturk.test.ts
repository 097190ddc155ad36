/**
 * LiveStream's `#feedFor` for Bitvavo and BTCTurk: `bitvavo:BTC-EUR` and `btcturk:BTCUSDT` streamed
 * from local stand-ins sending recorded frames (shared SOURCES §11; only `nonce`/`CS` changed where
 * more frames are needed), the Bitvavo book seeded from its REST root, both books synced.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { readFrameLines } from '../connectors/ws/test-captures.js';
import { parseMarketRef } from '../core/market-events.js';
import { LiveStream } from './live-stream.js';

const bv = readFrameLines('bitvavo_ws_v2_server_frames_2026-09-23.jsonl');
const bt = readFrameLines('btcturk_ws_server_frames_2026-09-23.jsonl');
const getBook = bv[1]!.text;

test('live stream - bitvavo and btcturk markets get their feeds, REST roots and synced books', { timeout: 30_000 }, async () => {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  const wsPaths: string[] = [];
  wss.on('connection', (socket, req) => {
    wsPaths.push(req.url ?? '');
    socket.on('message', () => {
      if (req.url === '/bitvavo/v2/') {
        for (let k = 1; k <= 10; k++) socket.send(bv[2]!.text.replace(/"nonce":\d+/, `"nonce":${413297445 + k}`));
      } else {
        socket.send(bt[2]!.text);
        socket.send(`[432,{"CS":3999243,"PS":"BTCUSDT","AO":[],"BO":[{"CP":3,"P":"86684","A":"0.0230723"}],"channel":"obdiff","event":"BTCUSDT","type":432}]`);
      }
    });
  });
  const restPaths: string[] = [];
  const http = createServer((req, res) => {
    restPaths.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end(getBook.slice(getBook.indexOf('"response":') + 11, -1));
  });
  await Promise.all([new Promise((r) => wss.once('listening', r)), new Promise<void>((r) => http.listen(0, '127.0.0.1', r))]);
  const ws = `ws://127.0.0.1:${(wss.address() as AddressInfo).port}`;
  const lines: string[] = [];
  try {
    const stream = await LiveStream.start({
      markets: ['bitvavo:BTC-EUR', 'btcturk:BTCUSDT'].map(parseMarketRef),
      kinds: ['trade', 'book_snapshot', 'book_delta'],
      urls: {
        binanceWs: 'ws://127.0.0.1:9', binanceRest: 'http://127.0.0.1:9', geminiWs: 'ws://127.0.0.1:9',
        bitvavoWs: `${ws}/bitvavo/v2/`, bitvavoRest: `http://127.0.0.1:${(http.address() as AddressInfo).port}/v2`,
        btcturkWs: `${ws}/btcturk`, btcturkRest: 'http://127.0.0.1:9',
      },
      store: { writeCandles: () => Promise.resolve(0), upsertSignals: () => Promise.resolve(0) },
      lakeRoot: null,
      windowMs: 60_000,
      staleAfterMs: 30_000,
      log: (l) => lines.push(l),
    });
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && stream.status().events < 13) await new Promise((r) => setTimeout(r, 50));
    await stream.stop();
    await stream.done;
    const status = stream.status();
    const books = status.exchanges.flatMap((x) => x.books.map((b) => [x.exchange, b.symbol, b.synced, b.gaps, b.bids, b.asks]));
    assert.deepEqual(books.sort(), [['bitvavo', 'BTC-EUR', true, 0, 5, 3], ['btcturk', 'BTCUSDT', true, 0, 2, 3]], lines.join('\n'));
    assert.deepEqual(wsPaths.sort(), ['/bitvavo/v2/', '/btcturk']);
    assert.deepEqual(restPaths, ['/v2/BTC-EUR/book']);
    assert.equal(status.events, 13); // bitvavo snapshot + 10 deltas, btcturk 431 + one 432
  } finally {
    for (const c of wss.clients) c.terminate();
    await Promise.all([new Promise((r) => wss.close(r)), new Promise((r) => http.close(r))]);
  }
});
