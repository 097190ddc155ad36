import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BinanceRestClient } from './binance-rest-client.js';
import { createRateGovernor } from './rate-governor.js';
import { BadInputError, RateLimitError, UpstreamError } from '../../core/errors.js';
import { ServerClock } from '../http/server-clock.js';
import type { CandleColumns } from '../../core/candle.js';

const fixturePath = (p: string): URL => new URL(`../../../fixtures/binance-rest/${p}`, import.meta.url);
const rawRows = (p: string): unknown[][] => JSON.parse(readFileSync(fixturePath(p), 'utf8'));
const DAY = 86_400_000;

/** Recorded rows served the way /api/v3/klines selects them: openTime in [startTime, endTime], at most `limit`. */
function selectRows(rows: unknown[][], url: URL): unknown[][] {
  const start = Number(url.searchParams.get('startTime') ?? 0);
  const end = Number(url.searchParams.get('endTime') ?? Number.MAX_SAFE_INTEGER);
  const limit = Number(url.searchParams.get('limit') ?? 500);
  return rows.filter((r) => Number(r[0]) >= start && Number(r[0]) <= end).slice(0, limit);
}

type Handler = (url: URL, call: number, res: ServerResponse) => void;

interface TestServer {
  baseUrl: string;
  requests: URL[];
  close(): Promise<void>;
}

/** A tiny node:http server on port 0 answering with `handler`; counts weight in X-MBX-USED-WEIGHT-1M. */
async function serve(handler: Handler): Promise<TestServer> {
  const requests: URL[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    requests.push(url);
    handler(url, requests.length, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const s = { baseUrl: `http://127.0.0.1:${port}`, requests, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
  after(() => s.close().catch(() => undefined));
  return s;
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

/** A clock whose sleep() moves time forward instantly, recording each wait. */
function autoClock(start: number): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return { now: () => t, sleeps, sleep: async (ms) => { sleeps.push(ms); t += ms; } };
}

async function collect(it: AsyncIterable<CandleColumns>): Promise<CandleColumns[]> {
  const pages: CandleColumns[] = [];
  for await (const p of it) pages.push(p);
  return pages;
}

const btc1d = [...rawRows('klines/BTCUSDT/1d/2020-01-01.json'), ...rawRows('klines/BTCUSDT/1d/2022-01-01.json')];

test('binance rest - exchangeInfo parses the recorded body and sets the governor budget from its rateLimits', async () => {
  const body = readFileSync(fixturePath('binance_exchangeInfo_2021-10-12_full.json'), 'utf8');
  const server = await serve((url, _n, res) => json(res, url.pathname === '/api/v3/exchangeInfo' ? 200 : 404, body, { 'X-MBX-USED-WEIGHT-1M': '20' }));
  const governor = createRateGovernor();
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor });
  const info = await client.exchangeInfo();
  assert.equal(info.symbols.length, 1695);
  const s = governor.stats();
  assert.equal(s.limit, 1200);
  assert.equal(s.budget, 1080);
  assert.equal(s.requests, 1);
  assert.equal(s.weight, 20);
  assert.equal(s.usedInWindow, 20);
});

test('binance rest - klinesRange pages 1,461 daily candles in ceil(1461/1000) = 2 requests', async () => {
  let used = 0;
  const server = await serve((url, _n, res) => json(res, 200, selectRows(btc1d, url), { 'X-MBX-USED-WEIGHT-1M': String((used += 2)) }));
  const governor = createRateGovernor();
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor, now: () => Date.UTC(2026, 0, 1) });
  const from = Date.UTC(2020, 0, 1);
  const to = Date.UTC(2024, 0, 1);
  const pages = await collect(client.klinesRange('BTCUSDT', '1d', from, to));
  assert.deepEqual(pages.map((p) => p.length), [1000, 461]);
  assert.equal(server.requests.length, 2);
  const q = server.requests.map((u) => Object.fromEntries(u.searchParams));
  assert.deepEqual(q[0], { symbol: 'BTCUSDT', interval: '1d', startTime: String(from), endTime: String(to - 1), limit: '1000' });
  assert.equal(q[1]?.startTime, String(from + 1000 * DAY), 'second page starts one interval past the last open time');
  assert.equal(pages[0]?.open[0], 7195.24);
  assert.equal(pages[0]?.close[0], 7200.85);
  assert.equal(pages[1]?.openTime[460], Date.UTC(2023, 11, 31));
  assert.equal(governor.stats().weight, 4);
});

test('binance rest - klinesRange drops the still-open last candle, taking "now" from the Date header', async () => {
  const serverNow = new Date(Date.UTC(2023, 11, 31, 12)).toUTCString();
  const server = await serve((url, _n, res) => json(res, 200, selectRows(btc1d, url), { Date: serverNow }));
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor: createRateGovernor() });
  const pages = await collect(client.klinesRange('BTCUSDT', '1d', Date.UTC(2023, 11, 1), Date.UTC(2024, 0, 1)));
  assert.equal(pages.length, 1);
  assert.equal(pages[0]?.length, 30, 'Dec 1..30 are closed; Dec 31 is still forming at 12:00');
  assert.equal(pages[0]?.openTime[29], Date.UTC(2023, 11, 30));
  assert.equal(server.requests.length, 1);
});

test('binance rest - klinesRange drops the recorded open 23:12 minute of the nautilus response', async () => {
  const rows = rawRows('nautilus_http_spot_market_klines.json');
  const server = await serve((url, _n, res) => json(res, 200, selectRows(rows, url)));
  const lastClose = Number(rows[9]?.[6]);
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor: createRateGovernor(), now: () => lastClose - 30_000 });
  const pages = await collect(client.klinesRange('BTCUSDT', '1m', Date.UTC(2021, 9, 22, 23, 3), Date.UTC(2021, 9, 22, 23, 20)));
  assert.deepEqual(pages.map((p) => p.length), [9]);
  assert.equal(pages[0]?.openTime[8], Date.UTC(2021, 9, 22, 23, 11));
});

test('binance rest - a 429 pauses for Retry-After through the governor, then the call succeeds', async () => {
  const server = await serve((url, n, res) => {
    if (n === 1) json(res, 429, { code: -1003, msg: 'Too much request weight used' }, { 'Retry-After': '7', 'X-MBX-USED-WEIGHT-1M': '6002' });
    else json(res, 200, selectRows(btc1d, url), { 'X-MBX-USED-WEIGHT-1M': '2' });
  });
  // Binance sets Retry-After to the end of the minute window: 00:00:53 + 7 s.
  const clock = autoClock(Date.UTC(2024, 0, 1, 0, 0, 53));
  const governor = createRateGovernor({ now: clock.now, sleep: clock.sleep });
  const said: string[] = [];
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor, sleep: clock.sleep, onRateLimit: (line) => said.push(line) });
  const c = await client.klines({ symbol: 'BTCUSDT', interval: '1d', startTime: Date.UTC(2020, 0, 1), limit: 3 });
  assert.equal(c.length, 3);
  assert.deepEqual(clock.sleeps, [7_000]);
  // The pause is said, not only waited out.
  assert.equal(said.length, 1);
  assert.match(said[0] ?? '', /^HTTP 429 from .*\/api\/v3\/klines\?.*; retry after 7 s; every Binance request waits until then \(attempt 1 of 5\)$/);
  const s = governor.stats();
  assert.equal(s.rateLimited429, 1);
  assert.equal(s.requests, 2);
  assert.equal(server.requests.length, 2);
});

test('binance rest - repeated 418s end in a RateLimitError after the bounded attempts', async () => {
  const server = await serve((_u, _n, res) => json(res, 418, { code: -1003, msg: 'Way too much request weight used; IP banned' }, { 'Retry-After': '120' }));
  const clock = autoClock(Date.UTC(2024, 0, 1));
  const governor = createRateGovernor({ now: clock.now, sleep: clock.sleep });
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor, sleep: clock.sleep, maxAttempts: 3 });
  await assert.rejects(client.klines({ symbol: 'BTCUSDT', interval: '1m' }), (e: unknown) => e instanceof RateLimitError && e.code === 'IP_BANNED' && e.retryAfterMs === 120_000);
  assert.equal(server.requests.length, 3);
  assert.equal(governor.stats().banned418, 3);
  assert.deepEqual(clock.sleeps, [120_000, 120_000]);
});

test('binance rest - 5xx is retried with capped exponential back-off', async () => {
  const server = await serve((url, n, res) => (n <= 3 ? json(res, 503, 'Service Unavailable') : json(res, 200, selectRows(btc1d, url))));
  const clock = autoClock(Date.UTC(2024, 0, 1));
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor: createRateGovernor({ now: clock.now }), sleep: clock.sleep, backoffBaseMs: 100, backoffCapMs: 300 });
  const c = await client.klines({ symbol: 'BTCUSDT', interval: '1d', limit: 1 });
  assert.equal(c.length, 1);
  assert.deepEqual(clock.sleeps, [100, 200, 300]);
});

test('binance rest - 5xx on every attempt becomes an UpstreamError carrying the status', async () => {
  const server = await serve((_u, _n, res) => json(res, 502, 'Bad Gateway'));
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor: createRateGovernor(), sleep: async () => undefined, maxAttempts: 2 });
  await assert.rejects(client.exchangeInfo(), (e: unknown) => e instanceof UpstreamError && e.status === 502 && e.code === 'UPSTREAM');
  assert.equal(server.requests.length, 2);
});

test('binance rest - a 400 becomes a BadInputError quoting Binance code and msg, without retry', async () => {
  // Error payload shape from binance-spot-api-docs errors.md: {"code":-1121,"msg":"Invalid symbol."}
  const server = await serve((_u, _n, res) => json(res, 400, { code: -1121, msg: 'Invalid symbol.' }));
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor: createRateGovernor() });
  await assert.rejects(client.klines({ symbol: 'NOPEUSDT', interval: '1m' }), (e: unknown) => e instanceof BadInputError && /HTTP 400 Binance error -1121: Invalid symbol\./.test(e.message));
  assert.equal(server.requests.length, 1);
});

test('binance rest - a refused connection is a retryable network UpstreamError', async () => {
  const server = await serve((_u, _n, res) => json(res, 200, []));
  await server.close();
  const sleeps: number[] = [];
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor: createRateGovernor(), sleep: async (ms) => void sleeps.push(ms), maxAttempts: 3, backoffBaseMs: 10 });
  await assert.rejects(client.klines({ symbol: 'BTCUSDT', interval: '1m' }), (e: unknown) => e instanceof UpstreamError && e.code === 'NETWORK');
  assert.deepEqual(sleeps, [10, 20]);
});

test('binance rest - limit above 1000 is refused before any request', async () => {
  const client = new BinanceRestClient({ baseUrl: 'http://127.0.0.1:9', governor: createRateGovernor() });
  await assert.rejects(client.klines({ symbol: 'BTCUSDT', interval: '1m', limit: 1001 }), /limit 1001 is outside 1\.\.1000/);
});

test('binance rest - a base URL with a path prefix keeps it', async () => {
  const server = await serve((url, _n, res) => json(res, url.pathname === '/binance/api/v3/klines' ? 200 : 404, url.pathname === '/binance/api/v3/klines' ? selectRows(btc1d, url) : { code: -1, msg: 'not found' }));
  const client = new BinanceRestClient({ baseUrl: `${server.baseUrl}/binance/`, governor: createRateGovernor() });
  assert.equal((await client.klines({ symbol: 'BTCUSDT', interval: '1d', limit: 2 })).length, 2);
});

test('binance rest - four concurrent jobs sharing one governor stay under the exchange limit read from exchangeInfo: zero 429s', async () => {
  // The server enforces the recorded 1,200 weight/min per window of the shared fake clock, as Binance does per IP.
  const clock = autoClock(Date.UTC(2024, 0, 1, 0, 0, 30));
  const info = readFileSync(fixturePath('binance_exchangeInfo_2021-10-12_full.json'), 'utf8');
  let window = -1;
  let used = 0;
  let served429 = 0;
  const server = await serve((url, _n, res) => {
    const w = Math.floor(clock.now() / 60_000);
    if (w !== window) [window, used] = [w, 0];
    used += url.pathname.endsWith('exchangeInfo') ? 20 : 2;
    if (used > 1200) {
      served429++;
      json(res, 429, { code: -1003, msg: 'Too much request weight used' }, { 'Retry-After': String(60 - (Math.floor(clock.now() / 1000) % 60)), 'X-MBX-USED-WEIGHT-1M': String(used) });
      return;
    }
    json(res, 200, url.pathname.endsWith('exchangeInfo') ? info : selectRows(btc1d, url), { 'X-MBX-USED-WEIGHT-1M': String(used) });
  });
  const governor = createRateGovernor({ now: clock.now, sleep: clock.sleep });
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor, sleep: clock.sleep });
  await client.exchangeInfo();
  const job = async (offset: number): Promise<number> => {
    let rows = 0;
    for (let i = 0; i < 175; i++) rows += (await client.klines({ symbol: 'BTCUSDT', interval: '1d', startTime: Date.UTC(2020, 0, 1) + (offset * 175 + i) * DAY, limit: 1 })).length;
    return rows;
  };
  const rows = await Promise.all([0, 1, 2, 3].map(job));
  assert.deepEqual(rows, [175, 175, 175, 175]);
  assert.equal(served429, 0);
  const s = governor.stats();
  assert.equal(s.rateLimited429, 0);
  assert.equal(s.requests, 701);
  assert.equal(s.weight, 20 + 700 * 2);
  assert.ok(s.waits > 0, 'the 1,420 weight cannot fit one 1,080 budget: someone waited for the next minute');
});

test('binance rest - a klines body cut mid-way is requested again, not failed', async () => {
  const server = await serve((url, n, res) => {
    const body = JSON.stringify(selectRows(btc1d, url));
    if (n > 1) return json(res, 200, body);
    res.writeHead(200, { 'content-type': 'application/json;charset=UTF-8', 'content-length': String(body.length) });
    res.write(body.slice(0, body.length >> 1), () => setTimeout(() => res.socket?.destroy(), 20));
  });
  const sleeps: number[] = [];
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor: createRateGovernor(), sleep: async (ms) => void sleeps.push(ms), backoffBaseMs: 10 });
  const rows = await client.klines({ symbol: 'BTCUSDT', interval: '1d', startTime: Date.UTC(2020, 0, 1), limit: 3 });
  assert.deepEqual([...rows.openTime.subarray(0, rows.length)], [Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 2), Date.UTC(2020, 0, 3)]);
  assert.equal(server.requests.length, 2);
  assert.deepEqual(sleeps, [10]);
});

test('binance rest - with a server clock, a local clock 5 minutes ahead still drops the forming candle', async () => {
  // The server's present is 2023-12-31 23:58:30: the Dec 31 daily candle is still forming there.
  const serverNow = Date.UTC(2023, 11, 31, 23, 58, 30);
  const server = await serve((url, _n, res) => json(res, 200, selectRows(btc1d, url), { Date: new Date(serverNow).toUTCString() }));
  const serverClock = new ServerClock(() => serverNow + 5 * 60_000);
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor: createRateGovernor(), serverClock });
  const pages = await collect(client.klinesRange('BTCUSDT', '1d', Date.UTC(2023, 11, 25), Date.UTC(2024, 0, 2)));
  assert.deepEqual(pages.map((p) => p.length), [6], 'Dec 25..30 closed; Dec 31 (closing 23:59:59.999 server time) is not');
  assert.equal(serverClock.offsetMs, -5 * 60_000);
  assert.equal(serverClock.now(), serverNow);
});

test('binance rest - serverTime teaches the server clock to the millisecond', async () => {
  const server = await serve((_u, _n, res) => json(res, 200, { serverTime: 1_700_000_000_123 }));
  const local = 1_700_000_300_000;
  const serverClock = new ServerClock(() => local);
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor: createRateGovernor(), serverClock });
  assert.equal(await client.serverTime(), 1_700_000_000_123);
  assert.equal(serverClock.now(), 1_700_000_000_123);
  assert.equal(server.requests[0]?.pathname, '/api/v3/time');
});

test('binance rest - tradesFromId asks historicalTrades from the id with weight 25 and maps the recorded page', async () => {
  const body = readFileSync(fixturePath('nautilus_http_spot_market_historical_trades.json'), 'utf8');
  const server = await serve((url, _n, res) => json(res, url.pathname === '/api/v3/historicalTrades' ? 200 : 404, body, { 'X-MBX-USED-WEIGHT-1M': '25' }));
  const governor = createRateGovernor();
  const client = new BinanceRestClient({ baseUrl: server.baseUrl, governor });
  const events = await client.tradesFromId('historicalTrades', 'BTCUSDT', 1111471896);
  assert.equal(events.length, 10);
  assert.equal(events[9]?.tradeId, '1111471905');
  const asked = server.requests[0] as URL;
  assert.deepEqual([asked.searchParams.get('symbol'), asked.searchParams.get('fromId'), asked.searchParams.get('limit')], ['BTCUSDT', '1111471896', '1000']);
  assert.equal(governor.stats().weight, 25);
  // A page starting below the id asked for is not what was asked: refused, never fed.
  await assert.rejects(client.tradesFromId('historicalTrades', 'BTCUSDT', 1111471897), (e: unknown) => e instanceof UpstreamError && /asked from id 1111471897, got 1111471896/.test(e.message));
  await assert.rejects(client.tradesFromId('aggTrades', 'BTCUSDT', 1, 1001), BadInputError);
});
