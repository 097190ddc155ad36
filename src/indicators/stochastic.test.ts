import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stochastic, StochasticStream } from './stochastic.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'stochastic',
  input: 'bars',
  batch: (b) => stochastic(b, 14, 3, 3),
  into: (b, out) => stochastic(b, 14, 3, 3, out),
  stream: () => new StochasticStream(14, 3, 3),
  warmup: 17,
  badParams: [() => new StochasticStream(0, 3, 3), () => new StochasticStream(14, 3, 1.5)],
});

runIndicatorContract({
  name: 'stochastic',
  input: 'bars',
  batch: (b) => stochastic(b, 5, 1, 1),
  into: (b, out) => stochastic(b, 5, 1, 1, out),
  stream: () => new StochasticStream(5, 1, 1),
  warmup: 4,
});

test('stochastic - fast %K is where the close sits in the window range', () => {
  const bars = { high: Float64Array.from([10, 12, 11]), low: Float64Array.from([8, 9, 6]), close: Float64Array.from([9, 11, 9]) };
  const { k, d } = stochastic(bars, 3, 1, 1);
  assert.equal(k[2], 50);
  assert.equal(d[2], 50);
  assert.ok(Number.isNaN(k[1]));
});

test('stochastic - %D is the mean of the last dPeriod %K values and a flat window gives 0', () => {
  const c = Float64Array.from([5, 5, 5, 6, 4]);
  const bars = { high: c, low: c, close: c };
  const { k, d } = stochastic(bars, 2, 1, 2);
  assert.deepEqual(Array.from(k.subarray(2)), [0, 100, 0]);
  assert.deepEqual(Array.from(d.subarray(2)), [0, 50, 50]);
});
