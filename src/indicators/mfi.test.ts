import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mfi, MfiStream } from './mfi.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'mfi',
  input: 'bars',
  batch: (b) => mfi(b, 14),
  into: (b, out) => mfi(b, 14, out),
  stream: () => new MfiStream(14),
  warmup: 14,
  needs: { volume: true },
  badParams: [() => mfi({ high: new Float64Array(1), low: new Float64Array(1), close: new Float64Array(1), volume: new Float64Array(1) }, 1)],
});

test('mfi - splits money flow by the direction of the typical price', () => {
  const c = Float64Array.from([10, 11, 10, 10]);
  const v = Float64Array.from([1, 2, 3, 5]);
  const out = mfi({ high: c, low: c, close: c, volume: v }, 3);
  // flows: +22 (up), −30 (down), 0 (unchanged) → 100·22/52
  assert.ok(Math.abs(out[3]! - (100 * 22) / 52) < 1e-12);
  assert.ok(Number.isNaN(out[2]));
});

test('mfi - reads 0 when the window has less than 1.0 of money flow, as TA-Lib', () => {
  const c = Float64Array.from([0.1, 0.2, 0.3]);
  const v = Float64Array.from([1, 1, 1]);
  assert.equal(mfi({ high: c, low: c, close: c, volume: v }, 2)[2], 0);
});

test('mfi - needs the volume column', () => {
  const c = Float64Array.from([1, 2, 3]);
  assert.throws(() => mfi({ high: c, low: c, close: c }, 2), /mfi: needs the volume column/);
});
