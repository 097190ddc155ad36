import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tema, TemaStream } from './tema.js';
import { ema } from './ema.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'tema',
  input: 'close',
  batch: (b) => tema(b.close, 20),
  into: (b, out) => tema(b.close, 20, out),
  stream: () => new TemaStream(20),
  warmup: 57,
  badParams: [() => tema(new Float64Array(3), 0), () => new TemaStream(1)],
});

test('tema - equals 3·e1 − 3·e2 + e3 of chained SMA-seeded EMAs', () => {
  const close = Float64Array.from({ length: 50 }, (_, i) => 50 + 5 * Math.cos(i / 3) + i / 4);
  const e1 = ema(close, 4);
  const e2 = ema(e1.subarray(3), 4);
  const e3 = ema(e2.subarray(3), 4);
  const out = tema(close, 4);
  assert.ok(Number.isNaN(out[8]));
  for (let i = 9; i < 50; i++) assert.ok(Math.abs(out[i]! - (3 * e1[i]! - 3 * e2[i - 3]! + e3[i - 6]!)) < 1e-12, `bar ${i}`);
});

test('tema - follows a straight line without lag', () => {
  const out = tema(Float64Array.from({ length: 60 }, (_, i) => 10 + 2 * i), 5);
  assert.ok(Math.abs(out[59]! - 128) < 1e-9);
});
