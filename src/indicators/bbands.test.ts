import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bbands, BbandsStream } from './bbands.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'bbands',
  input: 'close',
  batch: (b) => bbands(b.close, 20, 2, 2),
  into: (b, out) => bbands(b.close, 20, 2, 2, out),
  stream: () => new BbandsStream(20, 2, 2),
  warmup: 19,
  badParams: [() => bbands(new Float64Array(3), 1), () => new BbandsStream(20, NaN)],
});

test('bbands - bands sit dev population standard deviations from the SMA', () => {
  const { upper, middle, lower } = bbands(Float64Array.from([2, 4, 4, 4, 5, 5, 7, 9]), 8, 2, 1);
  assert.equal(middle[7], 5);
  assert.equal(upper[7], 9);
  assert.equal(lower[7], 3);
});

test('bbands - a flat window has zero width', () => {
  const { upper, lower } = bbands(new Float64Array(5).fill(3), 5);
  assert.equal(upper[4], 3);
  assert.equal(lower[4], 3);
});
