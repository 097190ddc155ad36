import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rollingVwap, RollingVwapStream } from './rolling-vwap.js';
import { runIndicatorContract } from './indicator.contract.js';
import { realDatasets } from './test-support/real-bars.js';
import { loadReferenceCsv } from './test-support/reference-csv.js';

runIndicatorContract({
  name: 'rollingVwap',
  input: 'bars',
  batch: (b) => rollingVwap(b, 20),
  into: (b, out) => rollingVwap(b, 20, 'hlc3', out),
  stream: () => new RollingVwapStream(20),
  warmup: 19,
  needs: { volume: true },
  badParams: [() => rollingVwap({ high: new Float64Array(1), low: new Float64Array(1), close: new Float64Array(1) }, 0), () => new RollingVwapStream(5, 'x' as 'hlc3')],
});

runIndicatorContract({
  name: 'rollingVwap',
  input: 'bars',
  batch: (b) => rollingVwap(b, 7, 'ohlc4'),
  into: (b, out) => rollingVwap(b, 7, 'ohlc4', out),
  stream: () => new RollingVwapStream(7, 'ohlc4'),
  warmup: 6,
  needs: { volume: true, open: true },
  columns: ['close', 'high', 'low', 'volume', 'open'],
});

test('rollingVwap - equals a fresh Σ price·volume / Σ volume over each window on real candles', () => {
  for (const bars of realDatasets()) {
    for (const p of [1, 14, 50]) {
      const out = rollingVwap(bars, p);
      for (let i = p - 1; i < bars.close.length; i++) {
        let pv = 0;
        let v = 0;
        for (let j = i - p + 1; j <= i; j++) {
          pv += ((bars.high[j]! + bars.low[j]! + bars.close[j]!) / 3) * bars.volume[j]!;
          v += bars.volume[j]!;
        }
        assert.ok(Math.abs(out[i]! - pv / v) <= 1e-12 * (pv / v), `${bars.label} period ${p} bar ${i}: ${out[i]} vs ${pv / v}`);
      }
    }
  }
});

test('rollingVwap - a window without volume shows the bar’s price, even after volume has left it', () => {
  const bars = {
    high: Float64Array.from([11, 12, 13, 14, 15]),
    low: Float64Array.from([9, 10, 11, 12, 13]),
    close: Float64Array.from([10, 11, 12, 13, 14]),
    volume: Float64Array.from([0.25, 0.75, 0, 0, 0]),
  };
  const out = rollingVwap(bars, 2);
  assert.deepEqual(Array.from(out).slice(1), [10 * 0.25 + 11 * 0.75, 11, 13, 14]);
});

test('rollingVwap - matches LEAN Moving VWAP 50 (on (O+H+L+C)/4) on SPY daily bars', () => {
  const t = loadReferenceCsv('lean/lean_spy_with_vwap.txt');
  const ref = t.column('Moving VWAP 50');
  const ours = rollingVwap({ open: t.column('Open'), high: t.column('High'), low: t.column('Low'), close: t.column('Close'), volume: t.column('Volume') }, 50, 'ohlc4');
  assert.equal(ref.findIndex((v) => !Number.isNaN(v)), 49);
  for (let i = 49; i < t.rows; i++) {
    // LEAN's expected values have 4 decimals and are off by up to 5.6e-5 (not all rounded to nearest).
    assert.ok(Math.abs(ours[i]! - ref[i]!) < 1e-4, `bar ${i}: ours ${ours[i]}, LEAN ${ref[i]}`);
  }
});

test('rollingVwap - matches bukosabino ta VWAP(14) (cs-vwap.csv) once its window is full', () => {
  const t = loadReferenceCsv('bukosabino/cs-vwap.csv');
  const ref = t.column('vwap');
  const ours = rollingVwap({ high: t.column('High'), low: t.column('Low'), close: t.column('Close'), volume: t.column('Volume') }, 14);
  // The worksheet fills its first 13 rows with an expanding window; ours waits for 14 bars.
  for (let i = 0; i < 13; i++) assert.ok(Number.isNaN(ours[i]!) && !Number.isNaN(ref[i]!));
  for (let i = 13; i < t.rows; i++) assert.ok(Math.abs(ours[i]! - ref[i]!) <= 1e-12 * ref[i]!, `bar ${i}: ours ${ours[i]}, ta ${ref[i]}`);
});
