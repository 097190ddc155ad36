import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { startReplayServer } from '../replay-server.js';
import { SimClock } from '../sim-clock.js';
import { LoopCursor } from './looped-capture.js';
import { ReplayWs } from './replay-ws.js';

// fixtures/ws/bitvavo_ws_v2_server_frames_2026-09-23.jsonl (shared SOURCES §11.1): line 2 the
// getBook answer (BTC-EUR, nonce 413297445), lines 3 and 4 book events (BTC-EUR, XRP-EUR).
const WS_DIR = new URL('../../../fixtures/ws/', import.meta.url);
const recorded = readFileSync(new URL('bitvavo_ws_v2_server_frames_2026-09-23.jsonl', WS_DIR), 'utf8').split('\n');
const recordedAnswer = (recorded[1] ?? '').slice((recorded[1] ?? '').indexOf('"response":') + 11, -1);
const cap = new ReplayWs(new SimClock(0, 0), 0, WS_DIR.pathname).bitvavoData();

interface BookMsg {
  event: string;
  market: string;
  nonce: number;
  bids: [string, string][];
  asks: [string, string][];
}

/** A book kept the simple way: price number → size text, "0" removes. */
function apply(book: Map<string, string>, m: { bids: [string, string][]; asks: [string, string][] }): void {
  for (const [side, levels] of [['b', m.bids], ['a', m.asks]] as const) {
    for (const [p, q] of levels) {
      if (Number(q) === 0) book.delete(`${side}${Number(p)}`);
      else book.set(`${side}${Number(p)}`, String(Number(q)));
    }
  }
}

test('bitvavo capture - three loops: nonces rise by 1 per market with no hole, the REST book is the recorded answer plus every event sent', () => {
  const frames = new LoopCursor(cap, cap.startAt - 1, Number.POSITIVE_INFINITY).take(cap.startAt + 3 * cap.periodMs - 1);
  const books = frames.filter((f) => f.stream === 'book').map((f) => ({ f, m: JSON.parse(f.text) as BookMsg }));
  for (const [market, first] of [['BTC-EUR', 413297446], ['XRP-EUR', 333271094]] as const) {
    const nonces = books.filter((b) => b.m.market === market).map((b) => b.m.nonce);
    assert.deepEqual(nonces, Array.from({ length: nonces.length }, (_, i) => first + i), market);
  }
  assert.deepEqual(books.filter((b) => b.m.market === 'BTC-EUR').map((b) => b.f.derived), ['rescheduled', 'loop-reset', 'loop-shift', 'loop-reset', 'loop-shift']);
  // Timestamps: 19 digits, the recorded sub-millisecond digits kept (…594483831 recorded for BTC-EUR).
  assert.match(books[1]?.f.text ?? '', /"timestamp":1790127496413483831\}$/);

  const mine = new Map<string, string>();
  apply(mine, JSON.parse(recordedAnswer) as BookMsg);
  for (const b of books) if (b.m.market === 'BTC-EUR') apply(mine, b.m);
  const served = cap.bookAt('BTC-EUR', cap.startAt + 3 * cap.periodMs - 1);
  assert.equal(served?.derived, true);
  const body = JSON.parse(served?.body ?? '{}') as BookMsg;
  const theirs = new Map<string, string>();
  apply(theirs, body);
  assert.deepEqual(theirs, mine);
  assert.equal(body.nonce, books.filter((b) => b.m.market === 'BTC-EUR').at(-1)?.m.nonce);
  // Unpadded, as the recorded answer writes decimals ("75516", not the event's "75516.00").
  assert.ok(body.bids.some(([p, q]) => p === '75516' && q === '0.00058294'), served?.body);
});

test('bitvavo capture - trades: the documentation example, its id counting up by loop, its times set to when it is sent', () => {
  const trades = new LoopCursor(cap, cap.startAt - 1, Number.POSITIVE_INFINITY).take(cap.startAt + 2 * cap.periodMs).filter((f) => f.stream === 'trades');
  assert.deepEqual(trades.map((t) => JSON.parse(t.text.replace(/"timestampNs":(\d+)/, '"timestampNs":"$1"')) as unknown), [0, 1].map((k) => ({
    event: 'trade', id: `391f4d94-485f-4fb0-b11f-39da1cfcfc2${'de'[k]}`, amount: '0.00096361', price: '9311.2',
    timestamp: 1790127496813 + k * 1000, market: 'BTC-EUR', side: 'sell', timestampNs: `${1790127496813 + k * 1000}000000`,
  })));
});

const server = await startReplayServer({ speed: 0, now: '2026-12-01T00:00:00Z' });
after(() => server.close());

function open(): Promise<WebSocket> {
  const ws = new WebSocket(server.urls.bitvavoWs);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const next = (ws: WebSocket): Promise<string> => new Promise((resolve) => ws.once('message', (d) => resolve(String(d))));

test('bitvavo ws - subscribe is answered "subscribed" with every subscription on the socket; getBook and getTime as recorded', async () => {
  const ws = await open();
  ws.send(JSON.stringify({ action: 'subscribe', channels: [{ name: 'book', markets: ['BTC-EUR'] }, { name: 'trades', markets: ['BTC-EUR'] }] }));
  assert.equal(await next(ws), '{"event":"subscribed","subscriptions":{"book":["BTC-EUR"],"trades":["BTC-EUR"]}}');
  ws.send(JSON.stringify({ action: 'subscribe', channels: [{ name: 'ticker', markets: ['BTC-EUR'] }] }));
  assert.equal(await next(ws), '{"event":"subscribed","subscriptions":{"book":["BTC-EUR"],"trades":["BTC-EUR"],"ticker":["BTC-EUR"]}}');
  // The clock is frozen before the first event: the answer is the recorded one, byte for byte.
  ws.send(JSON.stringify({ action: 'getBook', requestId: 7, market: 'BTC-EUR' }));
  assert.equal(await next(ws), `{"action":"getBook","requestId":7,"response":${recordedAnswer}}`);
  ws.send(JSON.stringify({ action: 'getTime' }));
  const time = /^\{"action":"getTime","response":\{"time":(\d{13}),"timeNs":(\d{19})\}\}$/.exec(await next(ws));
  assert.equal(time?.[2], `${time?.[1]}000000`);
  assert.equal(time?.[1], String(cap.startAt), 'the capture\'s own time, frozen at its start');
  ws.close();
});

test('bitvavo REST - GET /v2/{market}/book: the recorded answer at the start, depth cuts it, an unknown market is a 404', async () => {
  assert.equal(await (await fetch(`${server.urls.bitvavo}/BTC-EUR/book`)).text(), recordedAnswer);
  const two = JSON.parse(await (await fetch(`${server.urls.bitvavo}/BTC-EUR/book?depth=2`)).text().then((t) => t.replace(/"timestamp":(\d+)/, '"timestamp":"$1"'))) as BookMsg;
  assert.deepEqual([two.nonce, two.bids, two.asks], [413297445, [['75521', '0.05641959'], ['75518', '0.09937661']], [['75522', '0.0235618'], ['75523', '0.05786289']]]);
  assert.equal((await fetch(`${server.urls.bitvavo}/NOPE-EUR/book`)).status, 404);
});
