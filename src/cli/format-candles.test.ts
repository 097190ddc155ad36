import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnsFromCandles } from '../core/candle.js';
import { formatCandles } from './format-candles.js';

// The first row of the archive file BTCUSDT-1m-2020-01-01 (fixtures/binance-vision/…).
const row = {
  openTime: 1577836800000, open: 7195.24, high: 7196.25, low: 7183.14, close: 7186.68, volume: 51.642812,
  closeTime: 1577836859999, quoteVolume: 371233.23, trades: 493, takerBuyBase: 19.59823, takerBuyQuote: 140888.47,
};

test('candles csv - archive column order, epoch ms, shortest exact decimals', () => {
  const out = formatCandles(columnsFromCandles([row]), 'csv').trim().split('\n');
  assert.equal(out[0], 'open_time,open,high,low,close,volume,close_time,quote_volume,trades,taker_buy_base,taker_buy_quote');
  assert.equal(out[1], '1577836800000,7195.24,7196.25,7183.14,7186.68,51.642812,1577836859999,371233.23,493,19.59823,140888.47');
});

test('candles json - one object per candle with camelCase fields', () => {
  const parsed: unknown = JSON.parse(formatCandles(columnsFromCandles([row, { ...row, openTime: row.openTime + 60000 }]), 'json'));
  assert.ok(Array.isArray(parsed));
  assert.equal(parsed.length, 2);
  assert.deepEqual(parsed[0], row);
});

test('candles table - UTC minute and a count line', () => {
  const out = formatCandles(columnsFromCandles([row]), 'table');
  assert.match(out, /2020-01-01 00:00 +7195\.24/);
  assert.match(out, /1 candles\n$/);
});

test('candles table - each price column with one number of decimals, digits as stored', () => {
  // BTCUSDT 1h 2020-01-02 00:00 and 02:00 (demo data): high 7212.5 and 7191 print as 7212.5 and 7191.0.
  const rows = [
    { ...row, open: 7200.77, high: 7212.5, low: 7185.46, close: 7211.02, volume: 391.352377, trades: 5470 },
    { ...row, openTime: row.openTime + 3_600_000, open: 7190.99, high: 7191, low: 7155.35, close: 7169.02, volume: 1387.377886, trades: 14716 },
  ];
  const lines = formatCandles(columnsFromCandles(rows), 'table').split('\n');
  assert.match(lines[1]!, /^2020-01-01 00:00 +7200\.77 +7212\.5 +7185\.46 +7211\.02 +391\.352377 +5470$/);
  assert.match(lines[2]!, /^2020-01-01 01:00 +7190\.99 +7191\.0 +7155\.35 +7169\.02 +1387\.377886 +14716$/);
});
