import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { SimClock } from '../sim-clock.js';
import { startReplayServer } from '../replay-server.js';
import { ReplayWs } from './replay-ws.js';
import { LoopCursor } from './looped-capture.js';

// fixtures/ws/cryptofeed_GEMINI.ws.1.0_v2_marketdata_2021-06-24.jsonl (SOURCES §2): one `l2`
// subscribe for 10 symbols, 678 received messages over about 31 s.
const WS_DIR = fileURLToPath(new URL('../../../fixtures/ws/', import.meta.url));
const cap = new ReplayWs(new SimClock(0, 0), 0, WS_DIR).geminiData();

interface Msg {
  type: string;
  symbol?: string;
  changes?: [string, string, string][];
  trades?: { event_id: number; timestamp: number }[];
  event_id?: number;
  timestamp?: number;
}

/** A book built the simple way: price text → quantity text per side. */
function applyChanges(book: Map<string, string>, changes: [string, string, string][] = []): void {
  for (const [side, p, q] of changes) {
    const key = `${side} ${Number(p)}`;
    if (Number(q) === 0) book.delete(key);
    else book.set(key, q);
  }
}

test('gemini capture - 678 messages, 10 symbols, loop 0 as recorded', () => {
  assert.equal(cap.messages.length, 678);
  assert.equal(cap.symbolNames().length, 10);
  assert.equal(cap.render(0, 0)?.derived, null);
});

test('gemini capture - the loop seam frame turns the end-of-recording book back into the recorded whole book', () => {
  for (const symbol of ['BTCGBP', 'ETHEUR']) {
    const recorded = new Map<string, string>();
    let initial: Map<string, string> | undefined;
    for (const m of cap.messages) {
      const msg = JSON.parse(m.text) as Msg;
      if (msg.type !== 'l2_updates' || msg.symbol !== symbol) continue;
      applyChanges(recorded, msg.changes);
      initial ??= new Map(recorded);
    }
    const i = cap.messages.findIndex((m) => m.text.startsWith(`{"type":"l2_updates","symbol":"${symbol}","changes"`));
    const seam = cap.render(1, i);
    assert.equal(seam?.derived, 'loop-reset');
    const seamMsg = JSON.parse(seam?.text ?? '{}') as Msg;
    assert.equal(seamMsg.trades, undefined, 'a diff, not a whole book');
    applyChanges(recorded, seamMsg.changes);
    assert.deepEqual(recorded, initial);
  }
});

test('gemini capture - trades in loop k keep increasing event ids and move by k periods', () => {
  const frames = new LoopCursor(cap, cap.startAt - 1, Number.POSITIVE_INFINITY).take(cap.startAt + 3 * cap.periodMs);
  const trades = frames.filter((f) => f.stream === 'trade' && f.symbol === 'FILUSD').map((f) => ({ loop: f.loop, t: JSON.parse(f.text) as Msg }));
  assert.ok(new Set(trades.map((t) => t.loop)).size >= 3);
  for (let i = 1; i < trades.length; i++) assert.ok((trades[i]?.t.event_id ?? 0) > (trades[i - 1]?.t.event_id ?? 0));
  const first = trades.find((t) => t.loop === 0);
  const inLoop2 = trades.find((t) => t.loop === 2);
  assert.equal((inLoop2?.t.timestamp ?? 0) - (first?.t.timestamp ?? 0), 2 * cap.periodMs);
});

const server = await startReplayServer({ speed: 1 });
after(() => server.close());

async function connect(): Promise<{ ws: WebSocket; got: Msg[] }> {
  const ws = new WebSocket(`${server.urls.geminiWs}/v2/marketdata`);
  const got: Msg[] = [];
  ws.on('message', (m) => got.push(JSON.parse(String(m)) as Msg));
  await new Promise((r) => ws.once('open', r));
  return { ws, got };
}

const until = async (cond: () => boolean, ms = 10_000): Promise<void> => {
  const end = performance.now() + ms;
  while (!cond()) {
    if (performance.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

test('gemini ws - subscribing mid-recording gives a derived whole book (with trades) equal to the recorded book so far', async () => {
  // Ten seconds into the recording: past every symbol's recorded whole book.
  server.clock.setNow(server.clock.now() + 10_000);
  const { ws, got } = await connect();
  ws.send(JSON.stringify({ type: 'subscribe', subscriptions: [{ name: 'l2', symbols: ['ETHEUR'] }] }));
  await until(() => got.length > 0);
  const first = got[0] as Msg;
  assert.equal(first.type, 'l2_updates');
  assert.ok((first.trades?.length ?? 0) > 0 && (first.trades?.length ?? 0) <= 50);
  const book = new Map<string, string>();
  applyChanges(book, first.changes);
  // It equals the recorded ETHEUR book after some prefix of the recording (the one at that time).
  const recorded = new Map<string, string>();
  let matched = false;
  for (const m of cap.messages) {
    const msg = JSON.parse(m.text) as Msg;
    if (msg.type !== 'l2_updates' || msg.symbol !== 'ETHEUR') continue;
    applyChanges(recorded, msg.changes);
    if (recorded.size === book.size && [...book].every(([k, v]) => recorded.get(k) === v)) matched = true;
  }
  assert.ok(matched, 'the derived whole book is a recorded state of the ETHEUR book');
  const derived = server.ws?.stats().derived.filter((d) => d.exchange === 'gemini' && d.kind === 'subscribe-book') ?? [];
  assert.equal(derived.length, 1);
  // Later diffs for ETHEUR apply on top; only ETHEUR and heartbeats arrive.
  await until(() => got.length > 3);
  assert.ok(got.every((m) => m.type === 'heartbeat' || m.symbol === 'ETHEUR'));
  ws.close();
});

test('gemini ws - unsubscribe stops a symbol; drop-depth loses one diff; disconnect closes', async () => {
  const { ws, got } = await connect();
  ws.send(JSON.stringify({ type: 'subscribe', subscriptions: [{ name: 'l2', symbols: ['BTCGBP', 'ETHEUR'] }] }));
  await until(() => got.filter((m) => m.type === 'l2_updates').length >= 2);
  ws.send(JSON.stringify({ type: 'unsubscribe', subscriptions: [{ name: 'l2', symbols: ['BTCGBP'] }] }));
  await new Promise((r) => setTimeout(r, 200));
  const mark = got.length;
  await until(() => got.length > mark + 2, 20_000);
  assert.ok(got.slice(mark).every((m) => m.symbol !== 'BTCGBP'));
  const res = await fetch(`${server.url}/_ws/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"exchange":"gemini","kind":"drop-depth","stream":"ETHEUR"}' });
  assert.equal(((await res.json()) as { connections: number }).connections, 1);
  const closed = new Promise((r) => ws.once('close', r));
  await fetch(`${server.url}/_ws/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"exchange":"gemini","kind":"disconnect"}' });
  await closed;
});

test('gemini REST - /v1/symbols and /v1/symbols/details/<symbol> serve the recorded bodies; others are 404', async () => {
  const symbols = (await (await fetch(`${server.urls.gemini}/v1/symbols`)).json()) as string[];
  assert.equal(symbols.length, 71);
  assert.ok(symbols.includes('btcgbp'));
  const details = await fetch(`${server.urls.gemini}/v1/symbols/details/BTCUSD`);
  assert.equal(await details.text(), '{"symbol":"BTCUSD","base_currency":"BTC","quote_currency":"USD","tick_size":1E-8,"quote_increment":0.01,"min_order_size":"0.00001","status":"open"}');
  assert.equal((await fetch(`${server.urls.gemini}/v1/symbols/details/nosuch`)).status, 404);
});
