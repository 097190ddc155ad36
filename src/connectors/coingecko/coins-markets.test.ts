import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseCoinsMarkets } from './coins-markets.js';
import { BadInputError } from '../../core/errors.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../fixtures/coingecko/${name}`, import.meta.url), 'utf8'));

test('coingecko markets - the 2023-01-02 top 5 parses with roi null except ethereum', () => {
  const coins = parseCoinsMarkets(fixture('coingecko_coins_markets_usd_2023-01-02_top5.json'));
  assert.deepEqual(coins.map((c) => c.id), ['bitcoin', 'ethereum', 'tether', 'usd-coin', 'binancecoin']);
  assert.deepEqual(coins.map((c) => c.marketCapRank), [1, 2, 3, 4, 5]);
  const btc = coins[0];
  assert.equal(btc?.symbol, 'btc');
  assert.equal(btc?.marketCap, 322053364166);
  assert.equal(btc?.currentPrice, 16730.75);
  assert.equal(btc?.maxSupply, 21000000);
  assert.equal(btc?.lastUpdated, Date.parse('2023-01-02T17:08:13.102Z'));
  assert.deepEqual(coins.filter((c) => c.roi !== null).map((c) => c.id), ['ethereum']);
  assert.equal(coins[1]?.roi?.currency, 'btc');
  assert.deepEqual(coins.filter((c) => c.maxSupply === null).map((c) => c.id), ['ethereum', 'tether', 'usd-coin']);
});

test('coingecko markets - the 2023-07-28 top 250 parses; ranks run 1..251 without 250', () => {
  const coins = parseCoinsMarkets(fixture('dashbrd_coins_markets_usd_2023-07-28_top250.json'));
  assert.equal(coins.length, 250);
  const ranks = coins.map((c) => c.marketCapRank);
  assert.ok(!ranks.includes(250));
  assert.equal(Math.max(...ranks.map((r) => r ?? 0)), 251);
  assert.equal(coins.filter((c) => c.roi !== null).length, 51);
  assert.equal(coins.filter((c) => c.maxSupply === null).length, 102);
  assert.equal(coins.filter((c) => c.fullyDilutedValuation === null).length, 10);
  assert.equal(coins.filter((c) => c.high24h === null).length, 1);
  assert.deepEqual(coins.slice(0, 3).map((c) => [c.id, c.symbol]), [['bitcoin', 'btc'], ['ethereum', 'eth'], ['tether', 'usdt']]);
});

test('coingecko markets - the 2025-03-04 EUR top 30 parses (prices in EUR, tether below 1)', () => {
  const coins = parseCoinsMarkets(fixture('monkey_coins_markets_eur_2025-03-04_top30.json'));
  assert.equal(coins.length, 30);
  assert.equal(coins[0]?.currentPrice, 79847);
  const tether = coins.find((c) => c.id === 'tether');
  assert.ok(tether?.currentPrice !== null && tether?.currentPrice !== undefined && tether.currentPrice < 1);
  assert.equal(coins.filter((c) => c.roi !== null).length, 2);
});

test('coingecko markets - a string market cap is rejected naming the index and field', () => {
  const body = fixture('coingecko_coins_markets_usd_2023-01-02_top5.json');
  assert.ok(Array.isArray(body));
  const coin: unknown = body[2];
  assert.ok(typeof coin === 'object' && coin !== null);
  Reflect.set(coin, 'market_cap', '66000000000');
  assert.throws(() => parseCoinsMarkets(body), (e: unknown) => e instanceof BadInputError && /at 2\.market_cap/.test(e.message));
});

test('coingecko markets - an object instead of an array is rejected', () => {
  assert.throws(() => parseCoinsMarkets({}), /malformed response at \(root\)/);
});
