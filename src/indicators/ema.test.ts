import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ema, EmaStream } from './ema.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'ema',
  input: 'close',
  batch: (b) => ema(b.close, 20),
  into: (b, out) => ema(b.close, 20, out),
  stream: () => new EmaStream(20),
  warmup: 19,
  badParams: [() => ema(new Float64Array(3), 0), () => new EmaStream(100_001)],
});

test('ema - seeds with the SMA of the first period closes, then smooths with k = 2/(p+1)', () => {
  const out = ema(Float64Array.from([2, 4, 6, 8]), 3);
  assert.equal(out[2], 4);
  assert.equal(out[3], 4 + (8 - 4) * 0.5);
});
