import { test } from 'node:test';
import assert from 'node:assert/strict';
import { wma, WmaStream } from './wma.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'wma',
  input: 'close',
  batch: (b) => wma(b.close, 20),
  into: (b, out) => wma(b.close, 20, out),
  stream: () => new WmaStream(20),
  warmup: 19,
  badParams: [() => wma(new Float64Array(3), 0)],
});

test('wma - weights the newest close heaviest', () => {
  assert.equal(wma(Float64Array.from([1, 2, 3]), 3)[2], (1 + 4 + 9) / 6);
});
