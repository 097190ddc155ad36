import { test } from 'node:test';
import assert from 'node:assert/strict';
import { median, rowsPerSecond, timeMs } from './samples.js';

test('median - middle value of an odd count, whatever the order', () => {
  assert.equal(median([9, 1, 5]), 5);
});

test('median - mean of the middle two of an even count', () => {
  assert.equal(median([4, 1, 3, 10]), 3.5);
});

test('median - NaN when there are no samples', () => {
  assert.ok(Number.isNaN(median([])));
});

test('rowsPerSecond - rows over milliseconds, per second', () => {
  assert.equal(rowsPerSecond(4320, 80), 54_000);
});

test('timeMs - resolves only after the timed call has finished', async () => {
  let done = false;
  const ms = await timeMs(async () => {
    await new Promise((resolve) => setImmediate(resolve));
    done = true;
  });
  assert.equal(done, true);
  assert.ok(Number.isFinite(ms) && ms >= 0);
});
