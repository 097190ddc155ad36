import { test } from 'node:test';
import assert from 'node:assert/strict';
import { roc, RocStream } from './roc.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'roc',
  input: 'close',
  batch: (b) => roc(b.close, 10),
  into: (b, out) => roc(b.close, 10, out),
  stream: () => new RocStream(10),
  warmup: 10,
  badParams: [() => roc(new Float64Array(3), 0)],
});

test('roc - percent change over period bars, 0 from a zero close', () => {
  const out = roc(Float64Array.from([0, 100, 110]), 1);
  assert.equal(out[1], 0);
  assert.ok(Math.abs(out[2]! - 10) < 1e-12);
});
