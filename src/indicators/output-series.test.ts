import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outputSeries } from './output-series.js';

test('outputSeries - has n values, the first warmup of them NaN', () => {
  const s = outputSeries(5, 2);
  assert.equal(s.length, 5);
  assert.ok(Number.isNaN(s[0]) && Number.isNaN(s[1]));
});

test('outputSeries - clamps the warm-up to the length and owns its whole buffer', () => {
  const s = outputSeries(3, 10);
  assert.deepEqual(Array.from(s, (v) => Number.isNaN(v)), [true, true, true]);
  assert.equal(s.byteOffset, 0);
  assert.equal(s.buffer.byteLength, 24);
  assert.equal(outputSeries(0, 5).length, 0);
});

test('outputSeries - two series never share memory', () => {
  const a = outputSeries(4, 0);
  const b = outputSeries(4, 0);
  a.fill(1);
  b.fill(2);
  assert.deepEqual(Array.from(a), [1, 1, 1, 1]);
});
