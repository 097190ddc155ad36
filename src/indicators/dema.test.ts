import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dema, DemaStream } from './dema.js';
import { ema } from './ema.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'dema',
  input: 'close',
  batch: (b) => dema(b.close, 20),
  into: (b, out) => dema(b.close, 20, out),
  stream: () => new DemaStream(20),
  warmup: 38,
  badParams: [() => dema(new Float64Array(3), 1), () => new DemaStream(2.5)],
});

test('dema - equals 2·EMA − EMA(EMA) with both EMAs SMA-seeded', () => {
  const close = Float64Array.from({ length: 40 }, (_, i) => 100 + 10 * Math.sin(i / 4) + i / 3);
  const e1 = ema(close, 5);
  const e2 = ema(e1.subarray(4), 5);
  const out = dema(close, 5);
  assert.ok(Number.isNaN(out[7]));
  for (let i = 8; i < 40; i++) assert.ok(Math.abs(out[i]! - (2 * e1[i]! - e2[i - 4]!)) < 1e-12, `bar ${i}`);
});

test('dema - a constant series stays constant', () => {
  const out = dema(new Float64Array(20).fill(7), 4);
  assert.equal(out[6], 7);
  assert.equal(out[19], 7);
});
