import { test } from 'node:test';
import assert from 'node:assert/strict';
import { willr, WillrStream } from './willr.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'willr',
  input: 'bars',
  batch: (b) => willr(b, 14),
  into: (b, out) => willr(b, 14, out),
  stream: () => new WillrStream(14),
  warmup: 13,
  badParams: [() => new WillrStream(1)],
});

test('willr - close at the window high is 0, at the low -100', () => {
  const bars = { high: Float64Array.from([10, 12]), low: Float64Array.from([8, 9]), close: Float64Array.from([9, 12]) };
  assert.equal(willr(bars, 2)[1], -0);
  bars.close[1] = 8;
  assert.equal(willr(bars, 2)[1], -100);
});
