import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startReplayServer } from './replay-server.js';
import { BinanceRestClient } from '../connectors/binance/binance-rest-client.js';
import { createRateGovernor } from '../connectors/binance/rate-governor.js';

const D1 = Date.UTC(2020, 0, 1);
const MIN = 60_000;
const server = await startReplayServer({ now: Date.UTC(2020, 0, 5), speed: 0 });
after(() => server.close());

async function get(path: string): Promise<{ status: number; weight: string | null; retryAfter: string | null; body: unknown }> {
  const res = await fetch(`${server.urls.binance}${path}`);
  return { status: res.status, weight: res.headers.get('x-mbx-used-weight-1m'), retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

function openTimes(body: unknown): number[] {
  assert.ok(Array.isArray(body));
  return body.map((r: unknown) => (Array.isArray(r) && typeof r[0] === 'number' ? r[0] : Number.NaN));
}

test('klines - without limit returns the most recent 500 candles, oldest first', async () => {
  server.clock.setNow(Date.UTC(2020, 0, 5));
  const { status, body } = await get('/api/v3/klines?symbol=BTCUSDT&interval=1m');
  assert.equal(status, 200);
  const t = openTimes(body);
  assert.equal(t.length, 500);
  assert.equal(t[499], D1 + 4319 * MIN);
  assert.equal(t[0], D1 + 3820 * MIN);
});

test('klines - startTime/endTime/limit page through the 4,320 recorded minutes without gaps or overlap', async () => {
  server.clock.setNow(Date.UTC(2020, 0, 5));
  const seen: number[] = [];
  let start = D1;
  for (;;) {
    const { body } = await get(`/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${start}&endTime=${Date.UTC(2020, 0, 4) - 1}&limit=1000`);
    const t = openTimes(body);
    seen.push(...t);
    if (t.length < 1000) break;
    start = (t[t.length - 1] as number) + MIN;
  }
  assert.equal(seen.length, 4320);
  assert.ok(seen.every((t, i) => t === D1 + i * MIN));
  const { body } = await get(`/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${D1 + 10 * MIN}&endTime=${D1 + 14 * MIN}`);
  assert.deepEqual(openTimes(body), [10, 11, 12, 13, 14].map((m) => D1 + m * MIN));
});

test('klines - rejects bad parameters with Binance error codes', async () => {
  assert.deepEqual((await get('/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1001')).body, { code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
  assert.equal((await get('/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1001')).status, 400);
  assert.deepEqual((await get('/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=0')).body, { code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
  assert.deepEqual((await get('/api/v3/klines?symbol=BTCUSDT&interval=1H')).body, { code: -1120, msg: 'Invalid interval.' });
  assert.deepEqual((await get('/api/v3/klines?symbol=NOPEUSDT&interval=1m')).body, { code: -1121, msg: 'Invalid symbol.' });
  const missing = await get('/api/v3/klines?interval=1m');
  assert.equal(missing.status, 400);
  assert.deepEqual(missing.body, { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." });
  const illegal = await get('/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=yesterday');
  assert.equal((illegal.body as { code: number }).code, -1100);
});

test('klines - only candles opened by the simulated now exist; the newest may still be open', async () => {
  server.clock.setNow(D1 + 12 * 3_600_000 + 30_000); // 2020-01-01 12:00:30
  const { body } = await get('/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=2');
  assert.ok(Array.isArray(body));
  assert.deepEqual(openTimes(body), [D1 + 719 * MIN, D1 + 720 * MIN]);
  assert.equal((body[1] as unknown[])[6], D1 + 721 * MIN - 1); // close time after now: not closed yet
  server.clock.advance(MIN);
  assert.deepEqual(openTimes((await get('/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1')).body), [D1 + 721 * MIN]);
  assert.deepEqual(openTimes((await get(`/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${D1 + 800 * MIN}`)).body), []);
});

test('weight - X-MBX-USED-WEIGHT-1M counts klines 2 and exchangeInfo 20 per simulated minute', async () => {
  server.clock.setNow(Date.UTC(2021, 5, 1, 0, 0, 5));
  assert.equal((await get('/api/v3/klines?symbol=BTCUSDT&interval=1d&limit=1')).weight, '2');
  assert.equal((await get('/api/v3/klines?symbol=BTCUSDT&interval=1d&limit=1')).weight, '4');
  const info = await get('/api/v3/exchangeInfo');
  assert.equal(info.weight, '24');
  const doc = info.body as { serverTime: number; rateLimits: { rateLimitType: string; limit: number }[] };
  assert.equal(doc.serverTime, Date.UTC(2021, 5, 1, 0, 0, 5));
  assert.equal(doc.rateLimits.find((r) => r.rateLimitType === 'REQUEST_WEIGHT')?.limit, 6000);
  // A 400 still costs weight, and the header is on it too.
  assert.equal((await get('/api/v3/klines?symbol=BTCUSDT&interval=1x')).weight, '26');
  server.clock.advance(60_000);
  assert.equal((await get('/api/v3/klines?symbol=BTCUSDT&interval=1d&limit=1')).weight, '2');
});

test('rate limit - 429 with Retry-After to the window end, then 418 with a longer Retry-After when the client keeps sending', async () => {
  const s = await startReplayServer({ now: Date.UTC(2020, 0, 5, 0, 0, 20), speed: 0, weightLimit: 10 });
  try {
    const statuses: number[] = [];
    let last: Response | undefined;
    for (let i = 0; i < 7; i++) {
      last = await fetch(`${s.urls.binance}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1`);
      statuses.push(last.status);
      if (last.status === 429) assert.equal(last.headers.get('retry-after'), '40');
    }
    assert.deepEqual(statuses, [200, 200, 200, 200, 200, 429, 418]);
    assert.equal(last?.headers.get('retry-after'), '120');
    assert.deepEqual(await last?.json(), { code: -1003, msg: `Way too much request weight used; IP banned until ${Date.UTC(2020, 0, 5, 0, 2, 20)}. Please use WebSocket Streams for live updates to avoid bans.` });
    s.clock.advance(121_000);
    assert.equal((await fetch(`${s.urls.binance}/api/v3/klines?symbol=BTCUSDT&interval=1m&limit=1`)).status, 200);
    const st = s.stats();
    assert.equal(st.binance.rateLimited429, 1);
    assert.equal(st.binance.banned418, 1);
    assert.equal(st.binance.requests, 8);
  } finally {
    await s.close();
  }
});

test('real BinanceRestClient - reads the 3 recorded days through klinesRange in the minimum 5 requests, dropping the open candle', async () => {
  server.clock.setNow(Date.UTC(2020, 0, 3, 23, 59, 30)); // the 23:59 candle is still open
  const before = server.stats().binance;
  const client = new BinanceRestClient({ baseUrl: server.urls.binance, governor: createRateGovernor() });
  let rows = 0;
  let last = 0;
  for await (const page of client.klinesRange('BTCUSDT', '1m', D1, Date.UTC(2020, 0, 4))) {
    rows += page.length;
    last = page.openTime[page.length - 1] as number;
  }
  assert.equal(rows, 4319);
  assert.equal(last, D1 + 4318 * MIN);
  const after = server.stats().binance;
  assert.equal(after.requests - before.requests, 5);
  assert.equal(after.rateLimited429, before.rateLimited429);
  const info = await client.exchangeInfo();
  assert.equal(info.serverTime, server.clock.now());
});
