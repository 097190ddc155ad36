import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRateGovernor } from '../rate-governor.js';
import { FakeClock, flush } from '../test-support/fake-clock.js';
import { createBinanceSnapshotFetcher } from './binance-ws-feed.js';

const T0 = Date.UTC(2024, 0, 1, 12, 0, 10);
const BOOK = '{"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]],"asks":[["4.00000200","12.00000000"]]}';

/** A fetch answering from `answers` in turn, recording the URLs asked for. */
function scriptedFetch(answers: (() => Response)[]): { fetch: typeof globalThis.fetch; urls: string[] } {
  const urls: string[] = [];
  const fetch = (async (input: string | URL | Request) => {
    urls.push(String(input));
    const next = answers.shift();
    if (next === undefined) throw new Error('no more answers scripted');
    return next();
  }) as typeof globalThis.fetch;
  return { fetch, urls };
}

test('binance snapshot fetcher - each depth snapshot (limit 1000) spends weight 50 from the governor and re-syncs it from X-MBX-USED-WEIGHT-1M', async () => {
  const clock = new FakeClock(T0);
  const governor = createRateGovernor({ weightPerMinute: 6000, now: clock.now, sleep: clock.sleep });
  const { fetch, urls } = scriptedFetch([
    () => new Response(BOOK, { status: 200, headers: { 'x-mbx-used-weight-1m': '50' } }),
    () => new Response(BOOK, { status: 200, headers: { 'x-mbx-used-weight-1m': '1300' } }),
  ]);
  const snapshot = createBinanceSnapshotFetcher({ restBaseUrl: 'http://replay.test/', fetch, governor });
  assert.equal(await snapshot('btcusdt', new AbortController().signal), BOOK);
  assert.deepEqual([governor.stats().requests, governor.stats().weight, governor.stats().usedInWindow], [1, 50, 50]);
  await snapshot('ETHUSDT', new AbortController().signal);
  // The second answer's header says other clients on the IP spent more: the governor follows it.
  assert.deepEqual([governor.stats().requests, governor.stats().weight, governor.stats().usedInWindow], [2, 100, 1300]);
  assert.deepEqual(urls, ['http://replay.test/api/v3/depth?symbol=BTCUSDT&limit=1000', 'http://replay.test/api/v3/depth?symbol=ETHUSDT&limit=1000']);
});

test('binance snapshot fetcher - limit 5000 costs weight 250, counted for a request that got no answer too (it may have reached Binance)', async () => {
  const clock = new FakeClock(T0);
  const governor = createRateGovernor({ weightPerMinute: 6000, now: clock.now, sleep: clock.sleep });
  const { fetch } = scriptedFetch([() => { throw new TypeError('fetch failed'); }, () => new Response(BOOK, { status: 200 })]);
  const snapshot = createBinanceSnapshotFetcher({ restBaseUrl: 'http://replay.test', limit: 5000, fetch, governor });
  await assert.rejects(snapshot('BTCUSDT', new AbortController().signal), /GET http:\/\/replay\.test\/api\/v3\/depth\?symbol=BTCUSDT&limit=5000: fetch failed/);
  assert.equal(governor.stats().usedInWindow, 250);
  await snapshot('BTCUSDT', new AbortController().signal);
  assert.deepEqual([governor.stats().requests, governor.stats().weight, governor.stats().usedInWindow], [2, 500, 500]);
});

test('binance snapshot fetcher - a 429 fails the snapshot and pauses the governor for Retry-After: the next snapshot waits it out', async () => {
  const clock = new FakeClock(T0);
  const governor = createRateGovernor({ weightPerMinute: 6000, now: clock.now, sleep: clock.sleep });
  const { fetch, urls } = scriptedFetch([
    () => new Response('{"code":-1003,"msg":"Too many requests"}', { status: 429, headers: { 'retry-after': '7' } }),
    () => new Response(BOOK, { status: 200 }),
  ]);
  const snapshot = createBinanceSnapshotFetcher({ restBaseUrl: 'http://replay.test', fetch, governor });
  await assert.rejects(snapshot('BTCUSDT', new AbortController().signal), /HTTP 429/);
  assert.equal(governor.stats().rateLimited429, 1);
  let done = false;
  const next = snapshot('BTCUSDT', new AbortController().signal).then((body) => { done = true; return body; });
  await flush();
  assert.equal(done, false, 'held by the pause');
  assert.equal(urls.length, 1, 'nothing sent during the pause');
  await clock.advance(6_999);
  assert.equal(done, false);
  await clock.advance(1);
  assert.equal(await next, BOOK);
  assert.equal(urls.length, 2);
});
