import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startReplayServer } from '../replay-server.js';

// Short ping timings so the pong rule is testable (pongs count toward the 5 messages/s, so not
// shorter); everything else at Binance's documented values.
const server = await startReplayServer({ speed: 1, ws: { pingIntervalMs: 500, pongTimeoutMs: 300 } });
after(() => server.close());

function open(path: string, opts: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  const ws = new WebSocket(`${server.urls.binanceWs.replace(/\/ws$/, '')}${path}`, opts);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** The next `n` text messages. */
function next(ws: WebSocket, n = 1, filter: (m: string) => boolean = () => true): Promise<string[]> {
  return new Promise((resolve) => {
    const got: string[] = [];
    const on = (data: WebSocket.RawData): void => {
      const text = String(data);
      if (!filter(text)) return;
      got.push(text);
      if (got.length === n) {
        ws.off('message', on);
        resolve(got);
      }
    };
    ws.on('message', on);
  });
}

const closed = (ws: WebSocket): Promise<number> => new Promise((resolve) => ws.once('close', (code) => resolve(code)));

test('binance ws - SUBSCRIBE, LIST_SUBSCRIPTIONS and UNSUBSCRIBE answer as documented, raw payloads follow', async () => {
  const ws = await open('/ws');
  ws.send(JSON.stringify({ method: 'SUBSCRIBE', params: ['btcusdt@trade', 'ethusdt@trade'], id: 1 }));
  assert.deepEqual(JSON.parse((await next(ws))[0] ?? ''), { result: null, id: 1 });
  ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: 'abc' }));
  assert.deepEqual(JSON.parse((await next(ws, 1, (m) => m.includes('"id"')))[0] ?? ''), { result: ['btcusdt@trade', 'ethusdt@trade'], id: 'abc' });
  const [trade] = await next(ws, 1, (m) => m.includes('"e":"trade"'));
  assert.match(trade ?? '', /^\{"e":"trade","E":\d+,"s":"(BTC|ETH)USDT","t":\d+,"p":"[0-9.]+"/);
  ws.send(JSON.stringify({ method: 'UNSUBSCRIBE', params: ['btcusdt@trade'], id: 3 }));
  assert.deepEqual(JSON.parse((await next(ws, 1, (m) => m.includes('"id"')))[0] ?? ''), { result: null, id: 3 });
  const later = await next(ws, 5, (m) => m.includes('"e":"trade"'));
  assert.ok(later.every((m) => m.includes('"s":"ETHUSDT"')));
  ws.close();
});

test('binance ws - combined streams wrap payloads as {"stream","data"}; SET_PROPERTY combined false unwraps them', async () => {
  const ws = await open('/stream?streams=btcusdt@depth@100ms/btcusdt@bookTicker');
  const [first] = await next(ws);
  assert.match(first ?? '', /^\{"stream":"btcusdt@(depth@100ms|bookTicker)","data":\{/);
  ws.send(JSON.stringify({ method: 'GET_PROPERTY', params: ['combined'], id: 7 }));
  assert.deepEqual(JSON.parse((await next(ws, 1, (m) => m.includes('"id":7')))[0] ?? ''), { result: true, id: 7 });
  ws.send(JSON.stringify({ method: 'SET_PROPERTY', params: ['combined', false], id: 8 }));
  await next(ws, 1, (m) => m.includes('"id":8'));
  const [raw] = await next(ws, 1, (m) => !m.includes('"id":'));
  assert.match(raw ?? '', /^\{"(e|u)":/);
  ws.close();
});

test('binance ws - bad requests get the documented error messages', async () => {
  // Two connections of three requests each: six in a second on one would be over the limit.
  const sockets = [await open('/ws'), await open('/ws')];
  let asked = 0;
  const ask = async (text: string): Promise<unknown> => {
    const ws = sockets[asked++ % 2] as WebSocket;
    ws.send(text);
    return JSON.parse((await next(ws))[0] ?? '');
  };
  assert.deepEqual(await ask('{"method":"SUBSCRIB","params":[],"id":1}'), {
    code: 2,
    msg: 'Invalid request: unknown variant "SUBSCRIB", expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY` at line 1 column 20',
  });
  assert.deepEqual(await ask('{"params":[],"id":1}'), { code: 2, msg: 'Invalid request: missing field `method` at line 1 column 20' });
  assert.deepEqual(await ask('{"method":"LIST_SUBSCRIPTIONS","id":[1]}'), { code: 2, msg: 'Invalid request: request ID must be an unsigned integer' });
  assert.deepEqual(await ask('{"method":"GET_PROPERTY","params":["color"],"id":4}'), { code: 0, msg: 'Unknown property', id: 4 });
  assert.deepEqual(await ask('{"method":"SET_PROPERTY","params":["combined","yes"],"id":5}'), { code: 1, msg: 'Invalid value type: expected Boolean' });
  assert.deepEqual(await ask('{"method":'), { code: 3, msg: 'Invalid JSON: expected value at line 1 column 10' });
  for (const ws of sockets) ws.close();
});

test('binance ws - a client that does not answer pings is disconnected after the pong timeout; one that does stays', async () => {
  const silent = await open('/ws/btcusdt@trade', { autoPong: false });
  const polite = await open('/ws/btcusdt@trade');
  const started = performance.now();
  await closed(silent);
  const waited = performance.now() - started;
  // First ping at 500 ms, closed 300 ms later: about 800 ms.
  assert.ok(waited >= 700 && waited < 3000, `closed after ${waited} ms`);
  assert.equal(polite.readyState, WebSocket.OPEN);
  assert.ok((server.ws?.stats().dropped['no-pong'] ?? 0) >= 1);
  polite.close();
});

test('binance ws - more than 5 incoming messages in a second closes the connection, 5 do not', async () => {
  // Documented ping timing here, so no pong falls into the counted second.
  const plain = await startReplayServer({ speed: 1 });
  try {
    const url = `${plain.urls.binanceWs}`;
    const ws = new WebSocket(url);
    await new Promise((r) => ws.once('open', r));
    const done = closed(ws);
    for (let i = 1; i <= 6; i++) ws.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: i }));
    await done;
    assert.equal(plain.ws?.stats().dropped['rate-limit'], 1);
    const five = new WebSocket(url);
    await new Promise((r) => five.once('open', r));
    for (let i = 1; i <= 5; i++) five.send(JSON.stringify({ method: 'LIST_SUBSCRIPTIONS', id: i }));
    assert.equal((await next(five, 5)).length, 5);
    await new Promise((r) => setTimeout(r, 1500));
    assert.equal(five.readyState, WebSocket.OPEN);
    assert.equal(plain.ws?.stats().dropped['rate-limit'], 1);
    five.close();
  } finally {
    await plain.close();
  }
});

interface Diff {
  U: number;
  u: number;
}

async function faults(body: unknown): Promise<{ status: number; json: { connections?: number; error?: string } }> {
  const res = await fetch(`${server.url}/_ws/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as { connections?: number; error?: string } };
}

test('binance ws faults - drop-depth makes a sequence gap of exactly one diff; malformed sends one cut frame; disconnect closes', async () => {
  const ws = await open('/ws/btcusdt@depth@100ms');
  const got: Diff[] = [];
  const collect = (m: WebSocket.RawData): void => void got.push(JSON.parse(String(m)) as Diff);
  ws.on('message', collect);
  await next(ws, 2);
  assert.equal((await faults({ exchange: 'binance', kind: 'drop-depth' })).json.connections, 1);
  await next(ws, 3);
  ws.off('message', collect);
  const gaps = got.slice(1).map((d, i) => d.U - (got[i]?.u ?? 0) - 1).filter((g) => g !== 0);
  // Exactly one diff missing: one gap of that diff's width (≥ 1 update id), contiguous otherwise.
  assert.equal(gaps.length, 1, `gaps ${JSON.stringify(gaps)}`);
  assert.ok((gaps[0] ?? 0) >= 1);

  await faults({ exchange: 'binance', kind: 'malformed' });
  const [cut] = await next(ws);
  assert.throws(() => JSON.parse(cut ?? ''), SyntaxError);
  const [whole] = await next(ws);
  assert.doesNotThrow(() => JSON.parse(whole ?? ''));

  const done = closed(ws);
  await faults({ exchange: 'binance', kind: 'disconnect' });
  await done;
  assert.ok((server.ws?.stats().faults.length ?? 0) >= 3);
});

test('binance ws faults - a stall holds a stream back for N simulated seconds, then delivers it in order', async () => {
  const ws = await open('/ws/btcusdt@depth@100ms');
  const got: { at: number; diff: Diff }[] = [];
  ws.on('message', (m) => got.push({ at: performance.now(), diff: JSON.parse(String(m)) as Diff }));
  await next(ws, 3);
  await faults({ exchange: 'binance', kind: 'stall', stream: 'btcusdt@depth@100ms', seconds: 1 });
  const stalledAt = got.length;
  await next(ws, 4);
  // A silence of about a second, then the held diffs: nothing lost, U = previous u + 1 throughout.
  const gaps = got.slice(1).map((g, i) => g.at - (got[i]?.at ?? 0));
  assert.ok(Math.max(...gaps) >= 700, `longest silence ${Math.max(...gaps)} ms`);
  assert.ok(got.length > stalledAt);
  for (let i = 1; i < got.length; i++) assert.equal(got[i]?.diff.U, (got[i - 1]?.diff.u ?? 0) + 1, `diff ${i}`);
  ws.close();
});

test('binance ws faults - a bad fault request is refused with the reason', async () => {
  const r = await faults({ exchange: 'binance', kind: 'stall' });
  assert.equal(r.status, 400);
  assert.match(r.json.error ?? '', /stall needs "seconds"/);
  assert.equal((await faults({ exchange: 'kraken', kind: 'disconnect' })).status, 400);
});

test('binance REST depth - weight follows the limit (5/25/50/250) and unknown symbols are -1121', async () => {
  const weights: number[] = [];
  for (const limit of [100, 500, 1000, 5000]) {
    const before = server.stats().binance.weight;
    const res = await fetch(`${server.urls.binance}/api/v3/depth?symbol=ETHUSDT&limit=${limit}`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { lastUpdateId: number; bids: unknown[] };
    assert.ok(body.bids.length <= limit && body.bids.length > 0);
    weights.push(server.stats().binance.weight - before);
  }
  assert.deepEqual(weights, [5, 25, 50, 250]);
  const bad = await fetch(`${server.urls.binance}/api/v3/depth?symbol=LTCBTC`);
  assert.equal(bad.status, 400);
  assert.deepEqual(await bad.json(), { code: -1121, msg: 'Invalid symbol.' });
});
