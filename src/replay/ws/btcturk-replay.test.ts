import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { startReplayServer } from '../replay-server.js';

// fixtures/ws/btcturk_ws_server_frames_2026-09-23.jsonl (shared SOURCES §11.2): line 1 the version
// frame, 3 the BTCUSDT 431, 4 and 5 ETHUSDT 432 diffs (CS 4097621 and 4008255).
const recorded = readFileSync(new URL('../../../fixtures/ws/btcturk_ws_server_frames_2026-09-23.jsonl', import.meta.url), 'utf8').split('\n');

const server = await startReplayServer({ speed: 20 });
after(() => server.close());

/** Opens a socket collecting every frame from the first on. */
async function open(): Promise<{ ws: WebSocket; frames: string[] }> {
  const ws = new WebSocket(server.urls.btcturkWs);
  const frames: string[] = [];
  ws.on('message', (d) => frames.push(String(d)));
  await new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  return { ws, frames };
}

async function until(ok: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const join = (pair: string): string => JSON.stringify([151, { type: 151, channel: 'obdiff', event: pair, join: true }]);

test('btcturk ws - version frame first; a join is answered ok with the 431 book, a second one ok:false; an unknown pair stays silent', async () => {
  const { ws, frames } = await open();
  await until(() => frames.length === 1);
  assert.equal(frames[0], recorded[0]);
  ws.send(join('BTCUSDT'));
  await until(() => frames.length === 3);
  assert.deepEqual(frames.slice(1), [recorded[1], recorded[2]]);
  ws.send(join('BTCUSDT'));
  ws.send(join('btcusdt'));
  await until(() => frames.length === 5);
  assert.deepEqual(frames.slice(3), [recorded[5], '[100,{"type":100,"ok":true,"message":"join|obdiff:btcusdt"}]']);
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(frames.length, 5, 'BTCUSDT has no recorded diff and btcusdt is no pair: nothing more');
  ws.close();
});

test('btcturk ws - ETHUSDT: a derived 431 of the book its diffs build, then the recorded diffs with CS rising by 1', async () => {
  const { ws, frames } = await open();
  ws.send(join('ETHUSDT'));
  await until(() => frames.filter((f) => f.startsWith('[432,')).length >= 6);
  const book = JSON.parse(frames[2] ?? '') as [number, { CS: number; AO: { P: string }[]; BO: { P: string }[] }];
  assert.equal(book[0], 431);
  assert.deepEqual([book[1].AO.map((l) => l.P), book[1].BO.map((l) => l.P)], [['2769', '2770.3', '2770.7'], ['2765', '2531.9']]);
  const diffs = frames.filter((f) => f.startsWith('[432,'));
  const cs = diffs.map((f) => Number(/"CS":(\d+)/.exec(f)?.[1]));
  assert.deepEqual(cs, cs.map((_, i) => book[1].CS + 1 + i));
  // Apart from CS, each diff is one of the two recorded ones.
  for (const d of diffs) assert.ok([recorded[3], recorded[4]].map((r) => r?.replace(/"CS":\d+/, '')).includes(d.replace(/"CS":\d+/, '')), d);
  ws.close();
});

test('btcturk REST - GET /api/v2/orderbook: the book in the documented envelope (BTC_USDT or BTCUSDT), the recorded 400 for an unknown pair', async () => {
  const before = server.clock.now();
  const body = (await (await fetch(`${server.urls.btcturk}/api/v2/orderbook?pairSymbol=BTC_USDT&limit=2`)).json()) as { success: boolean; data: { timestamp: number; bids: string[][]; asks: string[][] } };
  const after = server.clock.now();
  assert.deepEqual([body.success, body.data.bids, body.data.asks], [true, [['86689', '0.00863785'], ['86688', '0.02307124']], [['86699', '0.00288357'], ['86718', '0.06358459']]]);
  // The replay clock runs faster than the wall's on a sped-up server: the stamp falls between the clock before and after the request.
  assert.ok(body.data.timestamp >= Math.floor(before) && body.data.timestamp <= Math.ceil(after), `stamped with the replay clock: ${body.data.timestamp} in [${before}, ${after}]`);
  const res = await fetch(`${server.urls.btcturk}/api/v2/orderbook?pairSymbol=NOPEUSDT`);
  assert.equal(res.status, 400);
  assert.equal(await res.text(), '{"success":false,"message":"Pair NOPEUSDT does not exists.","code":1037}');
});
