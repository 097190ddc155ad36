import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WeightLimiter } from './weight-limiter.js';

const T0 = Date.UTC(2020, 0, 4, 0, 0, 0);

test('weight limiter - sums weight inside one 60 s window and resets at the next', () => {
  const l = new WeightLimiter(6000);
  assert.deepEqual(l.charge(T0 + 1000, 2), { status: 200, usedWeight: 2 });
  assert.deepEqual(l.charge(T0 + 59_999, 20), { status: 200, usedWeight: 22 });
  assert.deepEqual(l.charge(T0 + 60_000, 2), { status: 200, usedWeight: 2 });
  assert.equal(l.usedAt(T0 + 61_000), 2);
  assert.equal(l.usedAt(T0 + 120_000), 0);
});

test('weight limiter - answers 429 with seconds to the window end once the limit is passed', () => {
  const l = new WeightLimiter(10);
  for (let i = 0; i < 5; i++) assert.equal(l.charge(T0 + 15_000, 2).status, 200);
  assert.deepEqual(l.charge(T0 + 15_000, 2), { status: 429, usedWeight: 12, retryAfterSec: 45 });
  assert.equal(l.stats.rateLimited429, 1);
});

test('weight limiter - bans with 418 and a longer Retry-After a client that sends again after 429', () => {
  const l = new WeightLimiter(4);
  l.charge(T0, 2);
  l.charge(T0, 2);
  assert.equal(l.charge(T0 + 10_000, 2).status, 429);
  assert.deepEqual(l.charge(T0 + 11_000, 2), { status: 418, usedWeight: 6, retryAfterSec: 120 });
  // Still banned in the next window: Retry-After counts down the remaining ban.
  assert.deepEqual(l.charge(T0 + 71_000, 2), { status: 418, usedWeight: 0, retryAfterSec: 60 });
  // After the ban, requests pass again; a repeat offence doubles the ban.
  assert.equal(l.charge(T0 + 131_000, 2).status, 200);
  l.force429(1);
  assert.equal(l.charge(T0 + 132_000, 2).status, 429);
  assert.deepEqual(l.charge(T0 + 133_000, 2), { status: 418, usedWeight: 4, retryAfterSec: 240 });
  assert.equal(l.stats.banned418, 3);
});

test('weight limiter - a client that waits out Retry-After after a forced 429 is served', () => {
  const l = new WeightLimiter(6000, 1);
  const first = l.charge(T0 + 30_000, 2);
  assert.equal(first.status, 429);
  const retry = first.status === 429 ? first.retryAfterSec : 0;
  assert.equal(l.charge(T0 + 30_000 + retry * 1000, 2).status, 200);
  assert.equal(l.stats.banned418, 0);
});
