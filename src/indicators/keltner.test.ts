import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keltner, KeltnerStream } from './keltner.js';
import { ema } from './ema.js';
import { atr } from './atr.js';
import { runIndicatorContract } from './indicator.contract.js';
import { loadReferenceCsv } from './test-support/reference-csv.js';

runIndicatorContract({
  name: 'keltner',
  input: 'bars',
  batch: (b) => keltner(b),
  into: (b, out) => keltner(b, 20, 10, 2, out),
  stream: () => new KeltnerStream(),
  warmup: { upper: 19, middle: 19, lower: 19 },
  badParams: [
    () => keltner({ high: new Float64Array(1), low: new Float64Array(1), close: new Float64Array(1) }, 0),
    () => new KeltnerStream(20, 0),
    () => new KeltnerStream(20, 10, -1),
  ],
});

runIndicatorContract({
  name: 'keltner',
  input: 'bars',
  batch: (b) => keltner(b, 5, 30, 1.5),
  into: (b, out) => keltner(b, 5, 30, 1.5, out),
  stream: () => new KeltnerStream(5, 30, 1.5),
  warmup: { upper: 30, middle: 4, lower: 30 },
});

test('keltner - bands are the EMA middle ± multiplier × ATR', () => {
  const t = loadReferenceCsv('bukosabino/cs-kc.csv');
  const bars = { high: t.column('High'), low: t.column('Low'), close: t.column('Close') };
  const k = keltner(bars, 20, 10, 2);
  const mid = ema(bars.close, 20);
  const range = atr(bars, 10);
  for (let i = 19; i < t.rows; i++) {
    assert.equal(k.middle[i], mid[i]);
    assert.equal(k.upper[i], mid[i]! + 2 * range[i]!);
    assert.equal(k.lower[i], mid[i]! - 2 * range[i]!);
  }
});

test('keltner - differs from the StockCharts worksheet (cs-kc.csv) only by the EMA and ATR seeds', () => {
  const t = loadReferenceCsv('bukosabino/cs-kc.csv');
  const bars = { high: t.column('High'), low: t.column('Low'), close: t.column('Close') };
  const ours = keltner(bars, 20, 10, 2);
  const refMid = t.column('middle_band');
  const refAtr = t.column('atr');
  const refUp = t.column('upper_band');
  const refLow = t.column('lower_band');
  // The worksheet's bands are its middle ± 2 × its ATR (its ATR column is 0, not empty, before bar 9).
  for (let i = 9; i < t.rows; i++) {
    assert.ok(Math.abs(refUp[i]! - (refMid[i]! + 2 * refAtr[i]!)) < 1e-9, `worksheet upper at ${i}`);
    assert.ok(Math.abs(refLow[i]! - (refMid[i]! - 2 * refAtr[i]!)) < 1e-9, `worksheet lower at ${i}`);
  }
  // Same EMA and Wilder recurrences on the same bars, different seeds: our minus their value
  // shrinks by exactly (1 − 2/21) a bar for the middle and (1 − 1/10) for the ATR.
  const kEma = 1 - 2 / 21;
  for (let i = 20; i < t.rows; i++) {
    const d = ours.middle[i]! - refMid[i]!;
    const d0 = ours.middle[i - 1]! - refMid[i - 1]!;
    assert.ok(Math.abs(d - kEma * d0) < 1e-12, `middle at ${i}: difference ${d} after ${d0}`);
  }
  const oursAtr = (i: number): number => (ours.upper[i]! - ours.lower[i]!) / 4;
  for (let i = 20; i < t.rows; i++) {
    const d = oursAtr(i) - refAtr[i]!;
    const d0 = oursAtr(i - 1) - refAtr[i - 1]!;
    assert.ok(Math.abs(d - 0.9 * d0) < 1e-12, `ATR at ${i}: difference ${d} after ${d0}`);
  }
  // The seeds themselves: our EMA(20) starts as the mean of the first 20 closes, theirs at close[0].
  assert.equal(refMid[0], bars.close[0]);
  assert.ok(Math.abs(ours.middle[19]! - bars.close.subarray(0, 20).reduce((a, b) => a + b, 0) / 20) < 1e-12);
});
