import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServerClock } from './server-clock.js';

test('server clock - a local clock 5 minutes ahead is corrected by the offset of a Date header', () => {
  let local = Date.UTC(2020, 0, 3, 12, 5, 30, 400);
  const clock = new ServerClock(() => local);
  assert.equal(clock.now(), local, 'no sample yet: the local clock');
  // The server said 12:00:30 (truncated to the second) in a response we received at local 12:05:30.400.
  clock.observe(Date.UTC(2020, 0, 3, 12, 0, 30), local);
  assert.equal(clock.offsetMs, -300_400);
  assert.equal(clock.now(), Date.UTC(2020, 0, 3, 12, 0, 30));
  local += 10_000;
  assert.equal(clock.now(), Date.UTC(2020, 0, 3, 12, 0, 40), 'runs on with the local clock');
  assert.equal(clock.local(), local, 'the receive-time clock stays uncorrected');
  assert.equal(clock.samples, 1);
});

test('server clock - the latest sample wins; an unreadable one is ignored', () => {
  let local = 1_000_000;
  const clock = new ServerClock(() => local);
  clock.observe(2_000_000, local);
  local = 1_500_000; // the local clock was stepped forward by 500 s
  clock.observe(2_000_100, local);
  assert.equal(clock.now(), 2_000_100);
  clock.observe(Number.NaN, local);
  assert.equal(clock.now(), 2_000_100);
  assert.equal(clock.samples, 2);
});
