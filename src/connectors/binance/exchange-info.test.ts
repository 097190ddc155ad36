import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseExchangeInfo, requestWeightPerMinute, toInstrument } from './exchange-info.js';
import { BadInputError } from '../../core/errors.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../../fixtures/binance-rest/${name}`, import.meta.url), 'utf8'));

test('binance exchangeInfo - the full 2021 response lists 1,695 symbols and a 1,200/min weight limit', () => {
  const info = parseExchangeInfo(fixture('binance_exchangeInfo_2021-10-12_full.json'));
  assert.equal(info.symbols.length, 1695);
  assert.equal(info.symbols.filter((s) => s.status === 'TRADING').length, 1262);
  assert.equal(info.symbols.filter((s) => s.status === 'BREAK').length, 433);
  assert.equal(requestWeightPerMinute(info.rateLimits), 1200);
  assert.deepEqual(
    info.rateLimits.find((r) => r.rateLimitType === 'RAW_REQUESTS'),
    { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 6100 },
  );
  const btc = info.symbols.find((s) => s.symbol === 'BTCUSDT');
  assert.ok(btc);
  assert.equal(btc.baseAsset, 'BTC');
  assert.equal(btc.quoteAsset, 'USDT');
  assert.equal(btc.spot, true);
  assert.ok(btc.permissions.includes('SPOT'));
  assert.deepEqual(toInstrument(btc), {
    exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: null, tickSize: '0.01000000', stepSize: '0.00001000',
  });
  // Every symbol of the recorded response states both filters.
  assert.equal(info.symbols.filter((s) => s.tickSize === null || s.stepSize === null).length, 0);
  assert.equal(info.symbols.find((s) => s.symbol === 'ETHBTC')?.tickSize, '0.00000100');
});

test('binance exchangeInfo - the trimmed and nautilus responses parse with their server times', () => {
  const trimmed = parseExchangeInfo(fixture('binance_exchangeInfo_2021-10-12_trimmed.json'));
  assert.equal(trimmed.symbols.length, 10);
  const nautilus = parseExchangeInfo(fixture('nautilus_http_spot_market_exchange_info.json'));
  assert.equal(nautilus.serverTime, 1634942465856);
  assert.deepEqual(nautilus.symbols.map((s) => s.symbol), ['BTCUSDT', 'ETHUSDT']);
  assert.equal(requestWeightPerMinute(nautilus.rateLimits), 1200);
});

test('binance exchangeInfo - permissionSets (post-2024 shape) are flattened into permissions', () => {
  const info = parseExchangeInfo({
    serverTime: 1,
    rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 }],
    symbols: [{ symbol: 'BTCUSDT', status: 'TRADING', baseAsset: 'BTC', quoteAsset: 'USDT', permissions: [], permissionSets: [['SPOT', 'MARGIN'], ['TRD_GRP_004']] }],
  });
  assert.deepEqual(info.symbols[0]?.permissions, ['SPOT', 'MARGIN', 'TRD_GRP_004']);
  assert.equal(info.symbols[0]?.spot, true);
  assert.equal(requestWeightPerMinute(info.rateLimits), 6000);
});

test('binance exchangeInfo - a weight limit stated over another window is not taken as per-minute', () => {
  assert.equal(requestWeightPerMinute([{ rateLimitType: 'REQUEST_WEIGHT', interval: 'SECOND', intervalNum: 10, limit: 100 }]), null);
  assert.equal(requestWeightPerMinute([{ rateLimitType: 'REQUEST_WEIGHT', interval: 'SECOND', intervalNum: 60, limit: 900 }]), 900);
});

test('binance exchangeInfo - a symbol without baseAsset is rejected with its path', () => {
  const body = fixture('nautilus_http_spot_market_exchange_info.json');
  assert.ok(typeof body === 'object' && body !== null && 'symbols' in body && Array.isArray(body.symbols));
  const sym: unknown = body.symbols[1];
  assert.ok(typeof sym === 'object' && sym !== null);
  Reflect.deleteProperty(sym, 'baseAsset');
  assert.throws(() => parseExchangeInfo(body), (e: unknown) => e instanceof BadInputError && /symbols\.1\.baseAsset/.test(e.message));
});

test('binance exchangeInfo - a symbol without filters has no tick/step size; a malformed tickSize is refused naming symbol and filter', () => {
  const body = (filters: unknown): unknown => ({
    serverTime: 1,
    rateLimits: [],
    symbols: [{ symbol: 'NEWUSDT', status: 'TRADING', baseAsset: 'NEW', quoteAsset: 'USDT', ...(filters === undefined ? {} : { filters }) }],
  });
  const bare = parseExchangeInfo(body(undefined)).symbols[0];
  assert.ok(bare);
  assert.deepEqual([bare.tickSize, bare.stepSize], [null, null]);
  assert.equal('tickSize' in toInstrument(bare), false);
  assert.throws(() => parseExchangeInfo(body([{ filterType: 'PRICE_FILTER', tickSize: '0.00000000' }])), /NEWUSDT PRICE_FILTER\.tickSize "0\.00000000"/);
});
