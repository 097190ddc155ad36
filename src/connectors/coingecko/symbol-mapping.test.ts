import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { mapCoinsToBinance } from './symbol-mapping.js';
import { parseCoinsMarkets } from './coins-markets.js';
import { parseExchangeInfo } from '../binance/exchange-info.js';

const read = (p: string): unknown => JSON.parse(readFileSync(new URL(`../../../fixtures/${p}`, import.meta.url), 'utf8'));
const top250 = parseCoinsMarkets(read('coingecko/dashbrd_coins_markets_usd_2023-07-28_top250.json'));
const symbols = parseExchangeInfo(read('binance-rest/binance_exchangeInfo_2021-10-12_full.json')).symbols;

test('symbol mapping - 2023-07-28 top 250 against 2021 exchangeInfo: 125 mapped, 125 unmapped', () => {
  const m = mapCoinsToBinance(top250, symbols);
  assert.equal(m.mapped.length, 125);
  assert.equal(m.unmapped.length, 125);
  assert.equal(m.entries.length, 250);
  const bySymbol = new Map(m.mapped.map((x) => [x.coin.id, x.symbol]));
  assert.equal(bySymbol.get('bitcoin'), 'BTCUSDT');
  assert.equal(bySymbol.get('ethereum'), 'ETHUSDT');
  assert.equal(bySymbol.get('usd-coin'), 'USDCUSDT', 'a stablecoin maps when the pair is not itself');
  assert.equal(bySymbol.get('wrapped-bitcoin'), 'WBTCBTC', 'falls through to BTC when no USD quote trades');
  assert.equal(bySymbol.get('frax-share'), 'FXSBUSD');
  assert.deepEqual(m.mapped.slice(0, 5).map((x) => x.symbol), ['BTCUSDT', 'ETHUSDT', 'XRPUSDT', 'BNBUSDT', 'USDCUSDT']);
});

test('symbol mapping - tether is never paired with itself and ends unmapped (USDT trades only against fiat quotes)', () => {
  const m = mapCoinsToBinance(top250, symbols);
  const tether = m.unmapped.find((u) => u.coin.id === 'tether');
  assert.equal(tether?.reason, 'no-preferred-quote');
  assert.match(tether?.detail ?? '', /USDT trades against .*TRY/);
  assert.ok(!m.mapped.some((x) => x.symbol === 'USDTUSDT'));
  assert.equal(m.entries.find((e) => e.coingeckoId === 'tether')?.symbol, null);
});

test('symbol mapping - a base whose pairs are all in BREAK is "not-trading"; an unknown base is "not-listed"', () => {
  const m = mapCoinsToBinance(top250, symbols);
  const dai = m.unmapped.find((u) => u.coin.id === 'dai');
  assert.equal(dai?.reason, 'not-trading');
  assert.match(dai?.detail ?? '', /DAIUSDT BREAK/);
  assert.equal(m.unmapped.find((u) => u.coin.id === 'arbitrum')?.reason, 'not-listed');
});

test('symbol mapping - the quote preference is configurable', () => {
  const m = mapCoinsToBinance(top250.slice(0, 2), symbols, { quotePreference: ['BUSD', 'USDT'] });
  assert.deepEqual(m.mapped.map((x) => x.symbol), ['BTCBUSD', 'ETHBUSD']);
});

test('symbol mapping - a base override maps a coin whose CoinGecko ticker differs from Binance', () => {
  const iota = top250.filter((c) => c.id === 'iota');
  assert.equal(iota[0]?.symbol, 'miota');
  assert.equal(mapCoinsToBinance(iota, symbols).unmapped[0]?.reason, 'not-listed');
  assert.equal(mapCoinsToBinance(iota, symbols, { baseOverrides: { iota: 'IOTA' } }).mapped[0]?.symbol, 'IOTAUSDT');
});

test('symbol mapping - a second coin with the same ticker does not take the pair of the higher-ranked one', () => {
  const btc = top250[0];
  assert.ok(btc);
  const impostor = { ...btc, id: 'some-other-btc', marketCapRank: 900 };
  const m = mapCoinsToBinance([btc, impostor], symbols);
  assert.deepEqual(m.mapped.map((x) => x.coin.id), ['bitcoin']);
  assert.deepEqual(m.unmapped.map((u) => [u.coin.id, u.reason]), [['some-other-btc', 'symbol-taken']]);
});

test('symbol mapping - only TRADING spot symbols count', () => {
  const m = mapCoinsToBinance(top250.slice(0, 1), [
    { symbol: 'BTCUSDT', status: 'BREAK', baseAsset: 'BTC', quoteAsset: 'USDT' },
    { symbol: 'BTCUSDC', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDC', spot: false },
    { symbol: 'BTCBUSD', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'BUSD' },
  ]);
  assert.equal(m.mapped[0]?.symbol, 'BTCBUSD');
});
