import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRateGovernor, defaultRateGovernor, type ResponseLike } from './rate-governor.js';
import { parseExchangeInfo } from './exchange-info.js';
import { FakeClock, flush } from './test-support/fake-clock.js';

function response(status: number, headers: Record<string, string>): ResponseLike {
  const h = new Headers(headers);
  return { status, headers: h };
}

const MINUTE = 60_000;
const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

test('rate governor - waits for the next minute once the budget (90 % of the limit) is spent', async () => {
  const clock = new FakeClock(T0 + 10_000);
  const g = createRateGovernor({ weightPerMinute: 100, now: clock.now, sleep: clock.sleep });
  assert.equal(g.budget, 90);
  for (let i = 0; i < 45; i++) (await g.acquire(2)).cancel();
  let granted = false;
  const pending = g.acquire(2).then(() => (granted = true));
  await flush();
  assert.equal(granted, false);
  await clock.advance(49_999); // 11:59.999 of the window: still the same minute
  assert.equal(granted, false);
  await clock.advance(1); // the window rolls at T0 + 60 s
  await pending;
  assert.equal(granted, true);
  const s = g.stats();
  assert.equal(s.requests, 46);
  assert.equal(s.weight, 92);
  assert.equal(s.usedInWindow, 2);
  assert.equal(s.waitedMs, 50_000);
  assert.equal(clock.t, T0 + MINUTE);
});

test('rate governor - re-syncs its count from X-MBX-USED-WEIGHT-1M, which sees other clients on the IP', async () => {
  const clock = new FakeClock(T0);
  const g = createRateGovernor({ weightPerMinute: 6000, now: clock.now, sleep: clock.sleep });
  const p = await g.acquire(2);
  p.settle(response(200, { 'X-MBX-USED-WEIGHT-1M': '5398' }));
  assert.equal(g.stats().usedInWindow, 5398);
  (await g.acquire(2)).cancel(); // 5400 = budget exactly
  let granted = false;
  const pending = g.acquire(2).then(() => (granted = true));
  await flush();
  assert.equal(granted, false, 'a request past 5400 must wait for the next window');
  await clock.advance(MINUTE);
  await pending;
  assert.equal(granted, true);
});

test('rate governor - the header lowers an over-estimate but keeps requests still in flight', async () => {
  const clock = new FakeClock(T0);
  const g = createRateGovernor({ weightPerMinute: 6000, now: clock.now, sleep: clock.sleep });
  const a = await g.acquire(20);
  const b = await g.acquire(2);
  const c = await g.acquire(2);
  assert.equal(g.stats().usedInWindow, 24);
  // The server's window started a little later than ours, so it has seen less than we counted.
  a.settle(response(200, { 'x-mbx-used-weight-1m': '10' }));
  assert.equal(g.stats().usedInWindow, 14, 'b and c are still in flight: 10 + 2 + 2');
  b.settle(response(200, { 'x-mbx-used-weight-1m': '12' }));
  assert.equal(g.stats().usedInWindow, 14, 'c is still in flight: 12 + 2');
  c.settle(response(200, { 'x-mbx-used-weight-1m': '14' }));
  assert.equal(g.stats().usedInWindow, 14);
});

test('rate governor - a header from a response that crossed into a new window is ignored', async () => {
  const clock = new FakeClock(T0 + MINUTE - 1);
  const g = createRateGovernor({ now: clock.now, sleep: clock.sleep });
  const p = await g.acquire(2);
  await clock.advance(2);
  p.settle(response(200, { 'x-mbx-used-weight-1m': '4000' }));
  assert.equal(g.stats().usedInWindow, 0);
});

test('rate governor - a 429 with Retry-After blocks every concurrent caller until it has passed', async () => {
  const clock = new FakeClock(T0);
  const g = createRateGovernor({ now: clock.now, sleep: clock.sleep });
  const first = await g.acquire(2);
  first.settle(response(429, { 'Retry-After': '3' }));
  const done: number[] = [];
  const callers = [1, 2, 3].map((id) => g.acquire(2).then((permit) => (permit.cancel(), done.push(id))));
  await flush();
  assert.equal(clock.sleepers, 3);
  await clock.advance(2_999);
  assert.deepEqual(done, []);
  await clock.advance(1);
  await Promise.all(callers);
  assert.deepEqual(done.sort(), [1, 2, 3]);
  assert.equal(g.stats().rateLimited429, 1);
});

test('rate governor - a 418 ban pauses for its Retry-After and is counted apart from 429s', async () => {
  const clock = new FakeClock(T0);
  const g = createRateGovernor({ now: clock.now, sleep: clock.sleep });
  (await g.acquire(2)).settle(response(418, { 'retry-after': '120' }));
  let granted = false;
  const pending = g.acquire(2).then(() => (granted = true));
  await clock.advance(119_000);
  assert.equal(granted, false);
  await clock.advance(1_000);
  await pending;
  const s = g.stats();
  assert.equal(s.banned418, 1);
  assert.equal(s.rateLimited429, 0);
  assert.equal(s.pausedUntil, T0 + 120_000);
});

test('rate governor - takes its limit from exchangeInfo.rateLimits (1,200/min in the 2021 response)', () => {
  const info = parseExchangeInfo(JSON.parse(readFileSync(new URL('../../../fixtures/binance-rest/binance_exchangeInfo_2021-10-12_full.json', import.meta.url), 'utf8')));
  const g = createRateGovernor();
  assert.equal(g.stats().limit, 6000, 'default until exchangeInfo is known');
  assert.equal(g.budget, 5400);
  g.configure(info.rateLimits);
  assert.equal(g.stats().limit, 1200);
  assert.equal(g.budget, 1080);
});

test('rate governor - refuses a weight that could never fit instead of waiting forever', async () => {
  const g = createRateGovernor({ weightPerMinute: 10 });
  await assert.rejects(g.acquire(50), /can never fit a budget of 9/);
});

test('rate governor - the process-wide default is one shared instance', async () => {
  const again = await import('./rate-governor.js');
  assert.equal(again.defaultRateGovernor, defaultRateGovernor);
});
