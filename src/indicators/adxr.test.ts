import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adxr, AdxrStream } from './adxr.js';
import { runIndicatorContract } from './indicator.contract.js';
import { realDatasets } from './test-support/real-bars.js';
import { assertParity, talib } from './test-support/talib.js';
import { loadReferenceCsv } from './test-support/reference-csv.js';

runIndicatorContract({
  name: 'adxr',
  input: 'bars',
  batch: (b) => adxr(b, 14),
  into: (b, out) => adxr(b, 14, out),
  stream: () => new AdxrStream(14),
  warmup: 40,
  badParams: [() => adxr({ high: new Float64Array(1), low: new Float64Array(1), close: new Float64Array(1) }, 1), () => new AdxrStream(0)],
});

runIndicatorContract({
  name: 'adxr',
  input: 'bars',
  batch: (b) => adxr(b, 2),
  into: (b, out) => adxr(b, 2, out),
  stream: () => new AdxrStream(2),
  warmup: 4,
});

for (const bars of realDatasets()) {
  describe(`adxr TA-Lib parity on ${bars.label}`, () => {
    for (const p of [2, 5, 14, 30]) {
      test(`ADXR(${p}) equals TA_ADXR`, () => {
        assertParity(`ADXR(${p})`, adxr(bars, p), talib('ADXR', { high: bars.high, low: bars.low, close: bars.close }, { optInTimePeriod: p }).outReal!);
      });
    }
  });
}

test('adxr - converges to LEAN ADXR 14 on its SPY worksheet (4 decimals) once the ADX seed has decayed', () => {
  const t = loadReferenceCsv('lean/lean_spy_with_adx.txt');
  const ref = t.column('ADXR 14');
  const ours = adxr({ high: t.column('High'), low: t.column('Low'), close: t.column('Close') }, 14);
  assert.equal(ref.findIndex((v) => !Number.isNaN(v)), 40);
  assert.ok(Number.isNaN(ours[39]!) && !Number.isNaN(ours[40]!));
  for (let i = 350; i < t.rows; i++) assert.ok(Math.abs(ours[i]! - ref[i]!) <= 5.1e-5, `bar ${i}: ours ${ours[i]}, LEAN ${ref[i]}`);
});
