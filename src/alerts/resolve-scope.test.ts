import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { resolveScope } from './resolve-scope.js';

test('resolve scope - top N is the N best-ranked mapped coins of the newest snapshot, manual additions aside; a list stays as it is', async () => {
  const store = await DuckDbStore.open(':memory:');
  try {
    await store.migrate();
    // Ranks, coins and mapping as the universe job stores them; the coins are CoinGecko's real top 5 of 2023-01-02 (fixtures/coingecko).
    const markets = JSON.parse(readFileSync(new URL('../../fixtures/coingecko/coingecko_coins_markets_usd_2023-01-02_top5.json', import.meta.url), 'utf8')) as Array<{ id: string; symbol: string; market_cap_rank: number }>;
    const entries = markets.map((m) => ({ rank: m.market_cap_rank, coingeckoId: m.id, coinSymbol: m.symbol, marketCap: null, volume: null, symbol: m.symbol === 'usdt' ? null : `${m.symbol.toUpperCase()}USDT`, manual: false }));
    entries.push({ rank: 999, coingeckoId: 'manual', coinSymbol: 'pepe', marketCap: null, volume: null, symbol: 'PEPEUSDT', manual: true });
    await store.saveUniverse({ date: '2023-01-02', exchange: 'binance', entries });
    const expected = entries.filter((e) => e.symbol !== null && !e.manual).sort((a, b) => a.rank - b.rank).map((e) => e.symbol);
    assert.deepEqual(await resolveScope(store, 'binance', { top: 3 }, '2023-01-02'), expected.slice(0, 3));
    assert.deepEqual(await resolveScope(store, 'binance', { top: 200 }, '2023-01-02'), expected);
    assert.deepEqual(await resolveScope(store, 'binance', { top: 3 }, '2023-01-09'), expected.slice(0, 3), 'the newest snapshot on or before the day');
    assert.deepEqual(await resolveScope(store, 'binance', { top: 3 }, '2023-01-01'), [], 'no snapshot yet');
    assert.deepEqual(await resolveScope(store, 'binance', { symbols: ['ETHUSDT'] }, '2023-01-02'), ['ETHUSDT']);
  } finally {
    await store.close();
  }
});
