import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atr, natr, AtrStream, NatrStream } from './atr.js';
import { runIndicatorContract } from './indicator.contract.js';

runIndicatorContract({
  name: 'atr',
  input: 'bars',
  batch: (b) => atr(b, 14),
  into: (b, out) => atr(b, 14, out),
  stream: () => new AtrStream(14),
  warmup: 14,
  badParams: [() => atr({ high: new Float64Array(1), low: new Float64Array(1), close: new Float64Array(1) }, 0)],
});

runIndicatorContract({
  name: 'natr',
  input: 'bars',
  batch: (b) => natr(b, 14),
  into: (b, out) => natr(b, 14, out),
  stream: () => new NatrStream(14),
  warmup: 14,
  badParams: [() => new NatrStream(-3)],
});

test('atr - true range uses the previous close across a gap', () => {
  const bars = { high: Float64Array.from([10, 10, 20]), low: Float64Array.from([9, 9, 19]), close: Float64Array.from([10, 10, 20]) };
  const out = atr(bars, 1);
  assert.equal(out[1], 1);
  assert.equal(out[2], 10);
});
