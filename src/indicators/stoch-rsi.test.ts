import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stochRsi, StochRsiStream } from './stoch-rsi.js';
import { rsi } from './rsi.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'stochrsi',
  input: 'close',
  batch: (b) => stochRsi(b.close, 14, 5, 3),
  into: (b, out) => stochRsi(b.close, 14, 5, 3, out),
  stream: () => new StochRsiStream(14, 5, 3),
  warmup: 20,
  badParams: [() => stochRsi(new Float64Array(3), 1), () => new StochRsiStream(14, 0, 3)],
});

runIndicatorContract({
  name: 'stochrsi',
  input: 'close',
  batch: (b) => stochRsi(b.close, 14, 14, 1),
  into: (b, out) => stochRsi(b.close, 14, 14, 1, out),
  stream: () => new StochRsiStream(14, 14, 1),
  warmup: 27,
});

test('stochrsi - %K places the RSI in its own recent range', () => {
  const close = Float64Array.from({ length: 40 }, (_, i) => 100 + 8 * Math.sin(i / 2.5) + i / 5);
  const r = rsi(close, 6);
  const { k } = stochRsi(close, 6, 4, 1);
  for (let i = 9; i < 40; i++) {
    const w = Array.from(r.subarray(i - 3, i + 1));
    const lo = Math.min(...w);
    const hi = Math.max(...w);
    assert.ok(Math.abs(k[i]! - (100 * (r[i]! - lo)) / (hi - lo)) < 1e-9, `bar ${i}`);
  }
  assert.ok(Number.isNaN(k[8]));
});
