import { test } from 'node:test';
import assert from 'node:assert/strict';
import { donchian, DonchianStream } from './donchian.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'donchian',
  input: 'bars',
  batch: (b) => donchian(b, 20),
  into: (b, out) => donchian(b, 20, out),
  stream: () => new DonchianStream(20),
  warmup: 19,
  badParams: [() => new DonchianStream(0)],
});

test('donchian - channel spans the highest high and lowest low of the window', () => {
  const d = donchian({ high: Float64Array.from([5, 9, 7]), low: Float64Array.from([4, 6, 2]), close: Float64Array.from([4, 8, 3]) }, 2);
  assert.deepEqual([d.upper[2], d.lower[2], d.middle[2]], [9, 2, 5.5]);
});
