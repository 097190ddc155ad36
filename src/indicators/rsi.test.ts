import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rsi, RsiStream } from './rsi.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'rsi',
  input: 'close',
  batch: (b) => rsi(b.close, 14),
  into: (b, out) => rsi(b.close, 14, out),
  stream: () => new RsiStream(14),
  warmup: 14,
  badParams: [() => rsi(new Float64Array(3), 1), () => new RsiStream(0)],
});

test('rsi - flat input gives 0 like TA-Lib, not 50', () => {
  const out = rsi(new Float64Array(30).fill(5), 14);
  assert.equal(out[14], 0);
  assert.equal(out[29], 0);
});

test('rsi - only rising closes give 100', () => {
  const out = rsi(Float64Array.from({ length: 20 }, (_, i) => 10 + i), 14);
  assert.equal(out[19], 100);
});
