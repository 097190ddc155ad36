import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs } from './backoff.js';

test('retry-after - back-off doubles from the base and stops at the cap', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => backoffMs(n, 500, 10_000)), [500, 1000, 2000, 4000, 8000, 10_000]);
});
