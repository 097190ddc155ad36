import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateColumns, CANDLE_FIELDS, type CandleColumns } from '../core/candle.js';
import { computeIndicators, INDICATOR_CATALOG, parseIndicatorSpecs } from '../indicators/catalog.js';
import { btcusdtDay } from '../store/test-support/fixture-candles.js';
import { IndicatorStreams } from './indicator-streams.js';

/** The demo data: the 4,320 real BTCUSDT minutes of 2020-01-01 … 03. */
function demoMinutes(): CandleColumns {
  const days = [btcusdtDay(1), btcusdtDay(2), btcusdtDay(3)];
  const c = allocateColumns(4320);
  for (const d of days) {
    for (const f of CANDLE_FIELDS) c[f].set(d[f].subarray(0, d.length), c.length);
    c.length += d.length;
  }
  return c;
}

test('indicator streams - every catalog entry equals its batch form over the whole window, bit for bit', () => {
  const c = demoMinutes();
  const bars = { open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, openTime: c.openTime };
  for (const name of Object.keys(INDICATOR_CATALOG)) {
    const specs = parseIndicatorSpecs(name === 'sr' ? 'sr:3:0.002' : name);
    const batch = computeIndicators(specs, bars);
    const streams = new IndicatorStreams(specs);
    assert.deepEqual(streams.names, batch.columns.map(([n]) => n), name);
    for (let i = 0; i < c.length; i++) {
      const row = streams.update(c.open[i]!, c.high[i]!, c.low[i]!, c.close[i]!, c.volume[i]!, c.openTime[i]!);
      batch.columns.forEach(([col, v], j) => {
        if (!Object.is(row[j], v[i])) assert.fail(`${name} ${col} bar ${i}: stream ${row[j]}, batch ${v[i]}`);
      });
    }
    assert.deepEqual(streams.levels(), batch.levels, `${name} levels`);
  }
});

test('indicator streams - several specs side by side keep the batch column order; a clash is refused as in batch', () => {
  const specs = parseIndicatorSpecs('rsi:14,macd,bbands:20::3,td,sma:5');
  const names = new IndicatorStreams(specs).names;
  assert.deepEqual(names.slice(0, 4), ['rsi14', 'macd_macd', 'macd_signal', 'macd_histogram']);
  assert.equal(names[names.length - 1], 'sma5');
  assert.throws(() => new IndicatorStreams(parseIndicatorSpecs('macd,macd:5:35:5')), /both write column macd_macd/);
});
