import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archiveIntervalName, binanceRestCapabilities, historicalTradesBaseUrl, isBinanceRestInterval } from './capabilities.js';

test('binance capabilities - REST says 1M for a month where the archive says 1mo; minutes stay 1m', () => {
  assert.equal(archiveIntervalName('1M'), '1mo');
  assert.equal(archiveIntervalName('1m'), '1m');
  assert.ok(isBinanceRestInterval('1M'));
  assert.ok(!isBinanceRestInterval('1mo'), 'the archive spelling is not a REST interval');
});

test('binance capabilities - declares 1000 rows per klines and trades request and weights klines 2 / exchangeInfo 20 / time 1 / historicalTrades 25 / aggTrades 4', () => {
  assert.equal(binanceRestCapabilities.maxKlinesPerRequest, 1000);
  assert.equal(binanceRestCapabilities.maxTradesPerRequest, 1000);
  assert.deepEqual(binanceRestCapabilities.weights, { klines: 2, exchangeInfo: 20, time: 1, historicalTrades: 25, aggTrades: 4 });
  assert.equal(binanceRestCapabilities.defaultWeightPerMinute, 6000);
  assert.ok(binanceRestCapabilities.rangeIntervals.every((i) => isBinanceRestInterval(i)), 'every stored interval is a valid REST name');
});

test('binance capabilities - historicalTrades goes to api.binance.com when the market-data-only root is configured, else to the root given', () => {
  assert.equal(historicalTradesBaseUrl('https://data-api.binance.vision'), 'https://api.binance.com');
  assert.equal(historicalTradesBaseUrl('https://data-api.binance.vision/'), 'https://api.binance.com');
  assert.equal(historicalTradesBaseUrl('http://127.0.0.1:4567/binance'), 'http://127.0.0.1:4567/binance');
  assert.equal(historicalTradesBaseUrl('https://api1.binance.com'), 'https://api1.binance.com');
});
