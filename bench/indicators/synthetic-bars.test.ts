import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeBars, FIRST_OPEN_TIME, generateBars } from './synthetic-bars.js';

test('synthetic bars - every bar is valid OHLCV: low ≤ open, close ≤ high, volume > 0, all finite', () => {
  const b = generateBars(50_000, 7);
  for (let i = 0; i < 50_000; i++) {
    const o = b.open[i]!, h = b.high[i]!, l = b.low[i]!, c = b.close[i]!, v = b.volume[i]!;
    assert.ok(Number.isFinite(o + h + l + c + v), `bar ${i} not finite`);
    assert.ok(l <= Math.min(o, c) && h >= Math.max(o, c) && l > 0, `bar ${i}: o=${o} h=${h} l=${l} c=${c}`);
    assert.ok(v > 0, `bar ${i} volume ${v}`);
  }
});

test('synthetic bars - each bar opens near the previous close, with gaps both ways', () => {
  const b = generateBars(10_000, 3);
  let up = 0;
  let down = 0;
  for (let i = 1; i < 10_000; i++) {
    const gap = b.open[i]! / b.close[i - 1]! - 1;
    assert.ok(Math.abs(gap) < 0.005, `bar ${i} gap ${gap}`);
    if (gap > 0) up++;
    else if (gap < 0) down++;
  }
  assert.ok(up > 3_000 && down > 3_000, `gaps up ${up}, down ${down}`);
});

test('synthetic bars - one-minute open times from a UTC midnight, so each UTC day holds 1,440 bars', () => {
  const b = generateBars(3_000, 5);
  assert.equal(new Date(FIRST_OPEN_TIME).toISOString(), '2024-01-01T00:00:00.000Z');
  assert.equal(b.openTime[0], FIRST_OPEN_TIME);
  for (let i = 1; i < 3_000; i++) assert.equal(b.openTime[i]! - b.openTime[i - 1]!, 60_000);
  // Bar 1,440 opens the second UTC day.
  assert.equal(new Date(b.openTime[1_440]!).toISOString(), '2024-01-02T00:00:00.000Z');
});

test('synthetic bars - the same seed gives bitwise the same bars, another seed different ones', () => {
  const a = generateBars(2_000, 42);
  assert.deepEqual(generateBars(2_000, 42).close, a.close);
  assert.notDeepEqual(generateBars(2_000, 43).close, a.close);
});

test('synthetic bars - rejects a non-positive or fractional count', () => {
  assert.throws(() => generateBars(0), RangeError);
  assert.throws(() => generateBars(1.5), RangeError);
});

test('encodeBars - int64 count, then open, high, low, close, volume columns as little-endian doubles', () => {
  const b = generateBars(3, 1);
  const buf = encodeBars(b);
  assert.equal(buf.length, 8 + 5 * 3 * 8);
  assert.equal(buf.readBigInt64LE(0), 3n);
  assert.equal(buf.readDoubleLE(8 + 8 * 2), b.open[2]);
  assert.equal(buf.readDoubleLE(8 + 3 * 8 + 8), b.high[1]);
  assert.equal(buf.readDoubleLE(8 + 2 * 3 * 8), b.low[0]);
  assert.equal(buf.readDoubleLE(8 + 3 * 3 * 8 + 16), b.close[2]);
  assert.equal(buf.readDoubleLE(8 + 4 * 3 * 8), b.volume[0]);
});
