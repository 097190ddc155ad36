import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parabolicSar, ParabolicSarStream } from './parabolic-sar.js';
import { runIndicatorContract } from './indicator.contract.js';
import { realDatasets } from './test-support/real-bars.js';
import { assertParity, talib } from './test-support/talib.js';
import { loadReferenceCsv, loadTalibNetCases } from './test-support/reference-csv.js';

runIndicatorContract({
  name: 'parabolicSar',
  input: 'bars',
  batch: (b) => parabolicSar(b),
  into: (b, out) => parabolicSar(b, 0.02, 0.2, out),
  stream: () => new ParabolicSarStream(),
  warmup: 1,
  badParams: [
    () => parabolicSar({ high: new Float64Array(1), low: new Float64Array(1), close: new Float64Array(1) }, 0),
    () => new ParabolicSarStream(0.3, 0.2),
    () => new ParabolicSarStream(0.02, NaN),
  ],
});

for (const bars of realDatasets()) {
  describe(`parabolicSar TA-Lib parity on ${bars.label}`, () => {
    for (const [acc, max] of [[0.02, 0.2], [0.01, 0.1], [0.05, 0.5], [0.2, 0.2]] as const) {
      test(`SAR(${acc}, ${max}) equals TA_SAR`, () => {
        const ref = talib('SAR', { high: bars.high, low: bars.low }, { optInAcceleration: acc, optInMaximum: max }).outReal!;
        assertParity(`SAR(${acc}, ${max})`, parabolicSar(bars, acc, max), ref);
      });
    }
  });
}

test('parabolicSar - bar 1 whose low falls further than its high rises starts short at bar 0 high', () => {
  const out = parabolicSar({ high: Float64Array.from([10, 9.8, 9.5]), low: Float64Array.from([9, 8.5, 8.4]), close: Float64Array.from([9.5, 9, 9]) });
  assert.ok(Number.isNaN(out[0]));
  assert.equal(out[1], 10);
  // Extreme point is bar 1's low 8.5; bar 2 makes a new low, but the SAR it shows was computed at bar 1.
  assert.equal(out[2], 10 + 0.02 * (8.5 - 10));
});

test('parabolicSar - rising highs and lows start long at bar 0 low', () => {
  const out = parabolicSar({ high: Float64Array.from([10, 11, 12]), low: Float64Array.from([9, 9.5, 10]), close: Float64Array.from([9.5, 10, 11]) });
  assert.equal(out[1], 9);
  assert.equal(out[2], 9 + 0.02 * (11 - 9));
});

test('parabolicSar - a +DM1/−DM1 tie starts long, and the lower low of bar 1 reverses at once to its high', () => {
  const out = parabolicSar({ high: Float64Array.from([10, 11, 12]), low: Float64Array.from([9, 8, 9]), close: Float64Array.from([9.5, 10, 11]) });
  assert.equal(out[1], 11);
});

test('parabolicSar - matches TA-Lib.NETCore SarExt (|value|) on its SPY case with TA-Lib default factors', () => {
  const [c] = loadTalibNetCases('talib-netcore_spy.json', 'SarExt');
  assert.ok(c !== undefined);
  // SarExt options: start 0, offset 0, then long/short init, step and max: 0.02, 0.02, 0.2 both ways = SAR(0.02, 0.2).
  assert.deepEqual(c.options, [0, 0, 0.02, 0.02, 0.2, 0.02, 0.02, 0.2]);
  const [high, low] = c.inputs.map((a) => Float64Array.from(a));
  const ours = parabolicSar({ high: high!, low: low!, close: low! });
  const [from, to] = c.range;
  for (let i = from; i < to; i++) {
    // SarExt marks short positions with a negative sign; the values are rounded to 4 decimals.
    const ref = Math.abs(c.outputs[0]![i - from]!);
    assert.ok(Math.abs(ours[i]! - ref) <= 5.001e-5, `bar ${i}: ours ${ours[i]}, SarExt ${ref}`);
  }
});

test('parabolicSar - joins the StockCharts spreadsheet (bukosabino cs-psar.csv) after the first reversal', () => {
  const t = loadReferenceCsv('bukosabino/cs-psar.csv');
  const high = t.column('High');
  const low = t.column('Low');
  const up = t.column('psar_up');
  const down = t.column('psar_down');
  const ours = parabolicSar({ high, low, close: t.column('Close') });
  // The spreadsheet starts one bar later (it consumes two bars) and first reverses at bar 8
  // (psar_up_ind); from there on both follow Wilder's recurrence on the same extremes.
  const flips = Array.from(t.column('psar_up_ind')).flatMap((v, i) => (v === 1 ? [i] : []));
  const from = flips[0]!;
  assert.equal(from, 8);
  for (let i = from; i < t.rows; i++) {
    const ref = Number.isNaN(up[i]!) ? down[i]! : up[i]!;
    assert.ok(Math.abs(ours[i]! - ref) <= 1e-8 * ref, `bar ${i}: ours ${ours[i]}, StockCharts ${ref}`);
  }
});
