import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sma, SmaStream } from './sma.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'sma',
  input: 'close',
  batch: (b) => sma(b.close, 20),
  into: (b, out) => sma(b.close, 20, out),
  stream: () => new SmaStream(20),
  warmup: 19,
  badParams: [() => sma(new Float64Array(3), 0), () => new SmaStream(1.5)],
});

test('sma - averages the last period closes', () => {
  const out = sma(Float64Array.from([1, 2, 3, 4, 5]), 3);
  assert.deepEqual(Array.from(out.subarray(2)), [2, 3, 4]);
  assert.ok(Number.isNaN(out[1]));
});

test('sma - every length and period lands the four-bar loop and its lead-in on the same bits as the stream', () => {
  // The batch loop takes (n − period + 1) mod 4 bars one at a time, then four per turn: every
  // remainder, and columns shorter than the period, must give the stream's numbers exactly.
  const closes = Float64Array.from({ length: 41 }, (_, i) => 100 + Math.sin(i * 1.7) * 9 + i / 7);
  for (let period = 1; period <= 9; period++) {
    for (let n = 0; n <= closes.length; n++) {
      const col = closes.subarray(0, n);
      const batch = sma(col, period);
      const s = new SmaStream(period);
      for (let i = 0; i < n; i++) assert.ok(Object.is(batch[i], s.update(col[i]!)), `period ${period}, n ${n}, bar ${i}`);
    }
  }
});

test('sma - a negative close in any slot of the four-bar loop is named', () => {
  for (let at = 0; at < 12; at++) {
    const col = Float64Array.from({ length: 12 }, (_, i) => (i === at ? -1 : 10 + i));
    assert.throws(() => sma(col, 3), new RegExp(`close.*\\b${at}\\b|\\b${at}\\b.*close`), `bar ${at}`);
  }
});
