import { test } from 'node:test';
import assert from 'node:assert/strict';
import { macd, MacdStream } from './macd.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'macd',
  input: 'close',
  batch: (b) => macd(b.close, 12, 26, 9),
  into: (b, out) => macd(b.close, 12, 26, 9, out),
  stream: () => new MacdStream(12, 26, 9),
  warmup: 33,
  badParams: [() => macd(new Float64Array(3), 1, 26, 9), () => new MacdStream(12, 26, 0)],
});

test('macd - swaps fast and slow given in reverse, like TA-Lib', () => {
  const close = Float64Array.from({ length: 60 }, (_, i) => 100 + Math.sin(i / 3) * 5 + i / 10);
  assert.deepEqual(macd(close, 26, 12, 9), macd(close, 12, 26, 9));
});
