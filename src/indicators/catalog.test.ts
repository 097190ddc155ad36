import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeIndicator, parseIndicatorSpecs } from './catalog.js';
import { rsi } from './rsi.js';
import { btcusdt1m } from './test-support/real-bars.js';

test('catalog - parses names with parameters and fills defaults', () => {
  assert.deepEqual(parseIndicatorSpecs('rsi:14, macd , td,bbands:20::3'), [
    { name: 'rsi', params: [14] },
    { name: 'macd', params: [12, 26, 9] },
    { name: 'td', params: [] },
    { name: 'bbands', params: [20, 2, 3] },
  ]);
});

test('catalog - rejects unknown names, extra and out-of-range parameters, naming them', () => {
  assert.throws(() => parseIndicatorSpecs('rsx'), /rsx: unknown indicator/);
  assert.throws(() => parseIndicatorSpecs('rsi:14:3'), /rsi: takes 1 parameter/);
  assert.throws(() => parseIndicatorSpecs('rsi:1'), /rsi: period must be a whole number from 2/);
  assert.throws(() => parseIndicatorSpecs('sma:2.5'), /sma: period must be a whole number/);
  assert.throws(() => parseIndicatorSpecs(''), /no indicator named/);
});

test('catalog - computes the named indicator with its parameters and names the columns', () => {
  const bars = btcusdt1m();
  const out = computeIndicator({ name: 'rsi', params: [21] }, { ...bars, open: bars.open as Float64Array, volume: bars.volume as Float64Array, openTime: bars.openTime as Float64Array });
  assert.equal(out.columns[0]?.[0], 'rsi21');
  assert.deepEqual(out.columns[0]?.[1], rsi(bars.close, 21));
  const macd = computeIndicator({ name: 'macd', params: [12, 26, 9] }, { ...bars, open: bars.open as Float64Array, volume: bars.volume as Float64Array, openTime: bars.openTime as Float64Array });
  assert.deepEqual(macd.columns.map(([n]) => n), ['macd_macd', 'macd_signal', 'macd_histogram']);
});
