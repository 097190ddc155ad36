import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sma, SmaStream } from './sma.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'sma',
  input: 'close',
  batch: (b) => sma(b.close, 20),
  into: (b, out) => sma(b.close, 20, out),
  stream: () => new SmaStream(20),
  warmup: 19,
  badParams: [() => sma(new Float64Array(3), 0), () => new SmaStream(1.5)],
});

test('sma - averages the last period closes', () => {
  const out = sma(Float64Array.from([1, 2, 3, 4, 5]), 3);
  assert.deepEqual(Array.from(out.subarray(2)), [2, 3, 4]);
  assert.ok(Number.isNaN(out[1]));
});
