import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { inspect } from 'node:util';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoinGeckoClient } from './coingecko-client.js';
import { BadInputError, ConfigError, RateLimitError, UpstreamError } from '../../core/errors.js';

const top250: unknown[] = JSON.parse(readFileSync(new URL('../../../fixtures/coingecko/dashbrd_coins_markets_usd_2023-07-28_top250.json', import.meta.url), 'utf8'));

interface Seen {
  url: URL;
  headers: IncomingMessage['headers'];
}
type Handler = (url: URL, call: number, res: ServerResponse) => void;

async function serve(handler: Handler): Promise<{ baseUrl: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    seen.push({ url, headers: req.headers });
    handler(url, seen.length, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  const { port } = server.address() as AddressInfo;
  return { baseUrl: `http://127.0.0.1:${port}/api/v3`, seen };
}

/** Serves the recorded top 250 sliced by per_page/page, as /coins/markets pages it. */
const markets: Handler = (url, _n, res) => {
  const perPage = Number(url.searchParams.get('per_page') ?? 100);
  const page = Number(url.searchParams.get('page') ?? 1);
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(top250.slice((page - 1) * perPage, page * perPage)));
};

function autoClock(start = Date.UTC(2023, 6, 28, 20)): { now: () => number; sleep: (ms: number) => Promise<void>; sleeps: number[] } {
  let t = start;
  const sleeps: number[] = [];
  return { now: () => t, sleeps, sleep: async (ms) => { sleeps.push(ms); t += ms; } };
}

test('coingecko client - top 250 is one request with per_page=250, page=1, order=market_cap_desc', async () => {
  const server = await serve(markets);
  const client = new CoinGeckoClient({ baseUrl: server.baseUrl, ...autoClock() });
  const coins = await client.topByMarketCap(250);
  assert.equal(coins.length, 250);
  assert.equal(coins[0]?.id, 'bitcoin');
  assert.equal(server.seen.length, 1);
  const q = server.seen[0]!.url;
  assert.equal(q.pathname, '/api/v3/coins/markets');
  assert.deepEqual(Object.fromEntries(q.searchParams), { vs_currency: 'usd', order: 'market_cap_desc', per_page: '250', page: '1', sparkline: 'false' });
});

test('coingecko client - top 400 takes two pages of 200 and stops when the second comes back short', async () => {
  const server = await serve(markets);
  const client = new CoinGeckoClient({ baseUrl: server.baseUrl, ...autoClock() });
  const coins = await client.topByMarketCap(400, 'eur');
  assert.equal(coins.length, 250, 'the recorded response has only 250 coins');
  assert.deepEqual(server.seen.map((s) => [s.url.searchParams.get('per_page'), s.url.searchParams.get('page'), s.url.searchParams.get('vs_currency')]), [['200', '1', 'eur'], ['200', '2', 'eur']]);
  assert.equal(new Set(coins.map((c) => c.id)).size, 250);
});

test('coingecko client - top 10 asks for exactly 10', async () => {
  const server = await serve(markets);
  const coins = await new CoinGeckoClient({ baseUrl: server.baseUrl, ...autoClock() }).topByMarketCap(10);
  assert.deepEqual(coins.map((c) => c.marketCapRank), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(server.seen[0]?.url.searchParams.get('per_page'), '10');
});

test('coingecko client - paces calls at the configured rate (30/min = one every 2 s)', async () => {
  const server = await serve(markets);
  const clock = autoClock();
  const client = new CoinGeckoClient({ baseUrl: server.baseUrl, ...clock });
  for (let page = 1; page <= 3; page++) await client.coinsMarkets({ vsCurrency: 'usd', page, perPage: 5 });
  assert.deepEqual(clock.sleeps, [2000, 2000]);
  const fast = autoClock();
  const client100 = new CoinGeckoClient({ baseUrl: server.baseUrl, callsPerMinute: 100, ...fast });
  for (let page = 1; page <= 3; page++) await client100.coinsMarkets({ vsCurrency: 'usd', page, perPage: 5 });
  assert.deepEqual(fast.sleeps, [600, 600]);
});

test('coingecko client - a 429 waits Retry-After seconds, then retries', async () => {
  const server = await serve((url, n, res) => (n === 1 ? (res.writeHead(429, { 'Retry-After': '13' }), res.end()) : markets(url, n, res)));
  const clock = autoClock();
  const client = new CoinGeckoClient({ baseUrl: server.baseUrl, ...clock });
  const coins = await client.coinsMarkets({ vsCurrency: 'usd', perPage: 3 });
  assert.equal(coins.length, 3);
  assert.deepEqual(clock.sleeps, [13_000]);
  assert.deepEqual(client.stats(), { requests: 2, rateLimited429: 1, waitedMs: 13_000 });
});

test('coingecko client - a 429 without Retry-After backs off exponentially up to the cap, then gives up', async () => {
  const server = await serve((_u, _n, res) => (res.writeHead(429), res.end()));
  const clock = autoClock();
  const client = new CoinGeckoClient({ baseUrl: server.baseUrl, ...clock, callsPerMinute: 600, maxAttempts: 5, backoffBaseMs: 1000, backoffCapMs: 5000 });
  await assert.rejects(client.coinsMarkets({ vsCurrency: 'usd' }), (e: unknown) => e instanceof RateLimitError && e.status === 429);
  assert.deepEqual(clock.sleeps, [1000, 2000, 4000, 5000]);
  assert.equal(server.seen.length, 5);
});

test('coingecko client - the demo key goes in x-cg-demo-api-key only, never in the URL or an error', async () => {
  const key = 'CG-demo-secret-123';
  const server = await serve((_u, _n, res) => (res.writeHead(503), res.end()));
  const client = new CoinGeckoClient({ baseUrl: server.baseUrl, apiKey: key, ...autoClock(), maxAttempts: 2 });
  const err = await client.topByMarketCap(5).then(() => null, (e: unknown) => e);
  assert.ok(err instanceof UpstreamError);
  assert.equal(err.status, 503);
  assert.ok(!err.message.includes(key));
  assert.equal(server.seen[0]?.headers['x-cg-demo-api-key'], key);
  assert.ok(!server.seen[0]?.url.href.includes(key));
  assert.ok(!inspect(client, { depth: 5 }).includes(key));
  assert.ok(!JSON.stringify(client).includes(key));
});

test('coingecko client - 401 is a ConfigError (bad key), other 4xx a BadInputError, neither retried', async () => {
  const server = await serve((url, _n, res) => {
    res.writeHead(url.searchParams.get('vs_currency') === 'usd' ? 401 : 400, { 'content-type': 'application/json' });
    res.end('{}');
  });
  const client = new CoinGeckoClient({ baseUrl: server.baseUrl, apiKey: 'k', ...autoClock() });
  await assert.rejects(client.coinsMarkets({ vsCurrency: 'usd' }), ConfigError);
  await assert.rejects(client.coinsMarkets({ vsCurrency: 'xyz' }), BadInputError);
  assert.equal(server.seen.length, 2);
});

test('coingecko client - per_page above 250 is refused before any request', async () => {
  const client = new CoinGeckoClient({ baseUrl: 'http://127.0.0.1:9' });
  await assert.rejects(client.coinsMarkets({ vsCurrency: 'usd', perPage: 251 }), /per_page 251 is outside 1\.\.250/);
  await assert.rejects(client.topByMarketCap(0), /positive integer/);
});
