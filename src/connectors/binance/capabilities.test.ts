import { test } from 'node:test';
import assert from 'node:assert/strict';
import { archiveIntervalName, binanceRestCapabilities, isBinanceRestInterval } from './capabilities.js';

test('binance capabilities - REST says 1M for a month where the archive says 1mo; minutes stay 1m', () => {
  assert.equal(archiveIntervalName('1M'), '1mo');
  assert.equal(archiveIntervalName('1m'), '1m');
  assert.ok(isBinanceRestInterval('1M'));
  assert.ok(!isBinanceRestInterval('1mo'), 'the archive spelling is not a REST interval');
});

test('binance capabilities - declares 1000 rows per klines request and weights klines 2 / exchangeInfo 20 / time 1', () => {
  assert.equal(binanceRestCapabilities.maxKlinesPerRequest, 1000);
  assert.deepEqual(binanceRestCapabilities.weights, { klines: 2, exchangeInfo: 20, time: 1 });
  assert.equal(binanceRestCapabilities.defaultWeightPerMinute, 6000);
  assert.ok(binanceRestCapabilities.rangeIntervals.every((i) => isBinanceRestInterval(i)), 'every stored interval is a valid REST name');
});
