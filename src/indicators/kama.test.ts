import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kama, KamaStream } from './kama.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'kama',
  input: 'close',
  batch: (b) => kama(b.close, 10),
  into: (b, out) => kama(b.close, 10, out),
  stream: () => new KamaStream(10),
  warmup: 10,
  badParams: [() => kama(new Float64Array(3), 1), () => new KamaStream(100_001)],
});

test('kama - a straight trend uses the fast constant (efficiency ratio 1)', () => {
  const close = Float64Array.from([1, 2, 3, 4]);
  const out = kama(close, 2);
  // seed close[1] = 2; sc = (2/3)² → 2 + (3 − 2)·4/9
  assert.ok(Math.abs(out[2]! - (2 + 4 / 9)) < 1e-15);
});

test('kama - pure noise (no net change) uses the slow constant', () => {
  const close = Float64Array.from([10, 12, 10, 12, 10]);
  const out = kama(close, 2);
  const slow = (2 / 31) ** 2;
  assert.ok(Math.abs(out[2]! - (12 + (10 - 12) * slow)) < 1e-15);
});
