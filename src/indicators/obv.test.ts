import { test } from 'node:test';
import assert from 'node:assert/strict';
import { obv, ObvStream } from './obv.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'obv',
  input: 'bars',
  batch: (b) => obv(b),
  into: (b, out) => obv(b, out),
  stream: () => new ObvStream(),
  warmup: 0,
  columns: ['close', 'volume'],
});

test('obv - adds volume on up closes, subtracts on down, keeps on unchanged', () => {
  const z = new Float64Array(4);
  const out = obv({ high: z, low: z, close: Float64Array.from([1, 2, 2, 1]), volume: Float64Array.from([5, 3, 7, 4]) });
  assert.deepEqual(Array.from(out), [5, 8, 8, 4]);
});
