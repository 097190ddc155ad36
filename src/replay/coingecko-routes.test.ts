import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startReplayServer } from './replay-server.js';
import { CoinGeckoClient } from '../connectors/coingecko/coingecko-client.js';

const server = await startReplayServer({ now: Date.UTC(2023, 6, 28, 21), speed: 0 });
after(() => server.close());

async function markets(query: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${server.urls.coingecko}/coins/markets?${query}`);
  return { status: res.status, body: await res.json() };
}

function ids(body: unknown): string[] {
  assert.ok(Array.isArray(body));
  return body.map((c: unknown) => (typeof c === 'object' && c !== null && 'id' in c ? String(c.id) : '?'));
}

test('coins/markets - pages the recorded top-250 honestly: 100 per page by default, [] past the end', async () => {
  const p1 = await markets('vs_currency=usd&order=market_cap_desc');
  assert.equal(p1.status, 200);
  assert.equal(ids(p1.body).length, 100);
  assert.deepEqual(ids(p1.body).slice(0, 3), ['bitcoin', 'ethereum', 'tether']);
  assert.equal(ids((await markets('vs_currency=usd&page=3')).body).length, 50);
  assert.deepEqual((await markets('vs_currency=usd&page=4')).body, []);
  const all = ids((await markets('vs_currency=usd&per_page=250&page=1')).body);
  assert.equal(all.length, 250);
  const paged = [1, 2, 3, 4, 5].map(async (p) => ids((await markets(`vs_currency=usd&per_page=50&page=${p}`)).body));
  assert.deepEqual((await Promise.all(paged)).flat(), all);
});

test('coins/markets - keeps every recorded field and its order', async () => {
  const { body } = await markets('vs_currency=usd&per_page=1');
  assert.ok(Array.isArray(body));
  const btc: unknown = body[0];
  assert.ok(typeof btc === 'object' && btc !== null);
  assert.deepEqual(Object.keys(btc).slice(0, 7), ['id', 'symbol', 'name', 'image', 'current_price', 'market_cap', 'market_cap_rank']);
  assert.equal('current_price' in btc ? btc.current_price : null, 29309);
});

test('coins/markets - chooses the recording by vs_currency and sorts by the documented orders', async () => {
  const eur = ids((await markets('vs_currency=EUR&per_page=250')).body);
  assert.equal(eur.length, 30);
  const byId = ids((await markets('vs_currency=usd&per_page=5&order=id_asc')).body);
  assert.deepEqual(byId, [...byId].sort());
  const top5 = await startReplayServer({ speed: 0, coingeckoFiles: { usd: 'coingecko_coins_markets_usd_2023-01-02_top5.json' } });
  try {
    const res = await fetch(`${top5.urls.coingecko}/coins/markets?vs_currency=usd&per_page=250`);
    assert.deepEqual(ids(await res.json()), ['bitcoin', 'ethereum', 'tether', 'usd-coin', 'binancecoin']);
  } finally {
    await top5.close();
  }
});

test('coins/markets - bad parameters get 400 with a flat {"error": …} body', async () => {
  assert.deepEqual(await markets('vs_currency=gbp'), { status: 400, body: { error: 'invalid vs_currency' } });
  assert.deepEqual(await markets('order=market_cap_desc'), { status: 400, body: { error: 'Missing parameter vs_currency' } });
  assert.deepEqual(await markets('vs_currency=usd&per_page=251'), { status: 400, body: { error: 'invalid per_page' } });
  assert.deepEqual(await markets('vs_currency=usd&per_page=0'), { status: 400, body: { error: 'invalid per_page' } });
  assert.deepEqual(await markets('vs_currency=usd&page=0'), { status: 400, body: { error: 'invalid page' } });
  assert.deepEqual(await markets('vs_currency=usd&order=price_desc'), { status: 400, body: { error: 'invalid order' } });
});

test('real CoinGeckoClient - reads the top 100 and the top 250 from the replay', async () => {
  const client = new CoinGeckoClient({ baseUrl: server.urls.coingecko, callsPerMinute: 60_000 });
  const top100 = await client.topByMarketCap(100);
  assert.equal(top100.length, 100);
  assert.equal(top100[0]?.id, 'bitcoin');
  const top250 = await client.topByMarketCap(250);
  assert.equal(top250.length, 250);
  assert.equal(new Set(top250.map((c) => c.id)).size, 250);
});
