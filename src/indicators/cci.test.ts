import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cci, CciStream } from './cci.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'cci',
  input: 'bars',
  batch: (b) => cci(b, 20),
  into: (b, out) => cci(b, 20, out),
  stream: () => new CciStream(20),
  warmup: 19,
  badParams: [() => cci({ high: new Float64Array(1), low: new Float64Array(1), close: new Float64Array(1) }, 1), () => new CciStream(-1)],
});

test('cci - typical price one mean deviation above its mean reads 1/0.015', () => {
  // tp = 1, 2, 3: mean 2, mean absolute deviation 2/3, last − mean = 1 → 1/(0.015·2/3) = 100
  const c = Float64Array.from([1, 2, 3]);
  const out = cci({ high: c, low: c, close: c }, 3);
  assert.ok(Math.abs(out[2]! - 100) < 1e-12);
});

test('cci - a flat window reads 0, not NaN', () => {
  const c = new Float64Array(5).fill(3);
  assert.equal(cci({ high: c, low: c, close: c }, 3)[4], 0);
});
