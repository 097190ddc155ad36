import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { startReplayServer } from '../replay-server.js';
import { quoteQuantity } from './binance-trade-tape.js';

// The recorded BTCUSDT trades (fixtures/SOURCES.md §12.1: hftbacktest, ids 3735683259 to
// 3735703162 contiguous across both day files), read here with this test's own code.
const WS_DIR = fileURLToPath(new URL('../../../fixtures/ws/hftbacktest/spot/', import.meta.url));
interface Recorded { at: number; t: number; p: string; q: string; T: number; m: boolean }
const recorded: Recorded[] = [];
for (const f of ['btcusdt_20240808.gz', 'btcusdt_20240809.gz']) {
  for (const line of gunzipSync(readFileSync(WS_DIR + f)).toString('utf8').split('\n')) {
    if (!line.includes('"btcusdt@trade"')) continue;
    const space = line.indexOf(' ');
    const d = (JSON.parse(line.slice(space + 1)) as { data: Omit<Recorded, 'at'> }).data;
    recorded.push({ at: Number(BigInt(line.slice(0, space)) / 1_000_000n), t: d.t, p: d.p, q: d.q, T: d.T, m: d.m });
  }
}
const FIRST_ID = 3735683259;
const LAST_ID = 3735703162;

const START = Date.UTC(2026, 0, 1);
const server = await startReplayServer({ now: START, speed: 0 });
after(() => server.close());
// The capture's first message (an ETHUSDT or BTCUSDT one) is due at START.
const captureStart = Math.min(firstLineAt('btcusdt_20240808.gz'), firstLineAt('ethusdt_20240808.gz'));
function firstLineAt(file: string): number {
  const line = gunzipSync(readFileSync(WS_DIR + file)).toString('utf8').split('\n', 1)[0] ?? '';
  return Number(BigInt(line.slice(0, line.indexOf(' '))) / 1_000_000n);
}
const nowFor = (captureTime: number): number => START + (captureTime - captureStart);

interface Row { id: number; price: string; qty: string; quoteQty: string; time: number; isBuyerMaker: boolean; isBestMatch: boolean }

async function get(path: string): Promise<{ status: number; weight: string | null; body: unknown }> {
  const res = await fetch(`${server.urls.binance}${path}`);
  return { status: res.status, weight: res.headers.get('x-mbx-used-weight-1m'), body: await res.json() };
}
async function rows(path: string): Promise<Row[]> {
  const r = await get(path);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.ok(Array.isArray(r.body));
  return r.body as Row[];
}

test('historicalTrades - pages by fromId through the recorded trades, ids and fields as recorded, none after the replay clock', async () => {
  assert.equal(recorded.length, LAST_ID - FIRST_ID + 1);
  const cut = recorded[2500] as Recorded;
  server.clock.setNow(nowFor(cut.at));
  const seen: Row[] = [];
  let from = FIRST_ID;
  for (;;) {
    const page = await rows(`/api/v3/historicalTrades?symbol=BTCUSDT&fromId=${from}&limit=1000`);
    seen.push(...page);
    if (page.length < 1000) break;
    from = (page.at(-1) as Row).id + 1;
  }
  const expected = recorded.filter((r) => r.at <= cut.at);
  assert.ok(expected.length >= 2501);
  assert.deepEqual(seen.map((r) => r.id), expected.map((r) => r.t));
  const r0 = recorded[0] as Recorded;
  assert.deepEqual(seen[0], { id: r0.t, price: r0.p, qty: r0.q, quoteQty: quoteQuantity(r0.p, r0.q), time: r0.T, isBuyerMaker: r0.m, isBestMatch: true });
});

test('historicalTrades - without fromId the most recent limit trades, oldest first', async () => {
  const cut = recorded[700] as Recorded;
  server.clock.setNow(nowFor(cut.at));
  const page = await rows('/api/v3/historicalTrades?symbol=BTCUSDT&limit=5');
  const expected = recorded.filter((r) => r.at <= cut.at).slice(-5);
  assert.deepEqual(page.map((r) => r.id), expected.map((r) => r.t));
});

test('historicalTrades - ids continue across the loop seam, times shifted by the loop period', async () => {
  // Far into loop 1: every recorded trade has been sent, and loop 1 has begun.
  server.clock.setNow(nowFor((recorded.at(-1) as Recorded).at) + 120_000);
  const page = await rows(`/api/v3/historicalTrades?symbol=BTCUSDT&fromId=${LAST_ID - 1}&limit=4`);
  assert.deepEqual(page.map((r) => r.id), [LAST_ID - 1, LAST_ID, LAST_ID + 1, LAST_ID + 2]);
  // Loop 1 replays from the capture's loop start (just after the REST snapshot): its first trade
  // is a recorded one, with its time moved by one period (> the recording's length).
  const seamRow = page[2] as Row;
  const source = recorded.find((r) => r.p === seamRow.price && r.q === seamRow.qty && r.T < seamRow.time && (seamRow.time - r.T) > 5 * 60_000);
  assert.ok(source, 'the first loop-1 trade is a recorded trade shifted in time');
  assert.ok((page[2] as Row).time > (page[1] as Row).time);
});

test('historicalTrades - bad parameters answer with Binance error codes; weight 25', async () => {
  const limit0 = await get('/api/v3/historicalTrades?symbol=BTCUSDT&limit=0');
  assert.equal(limit0.status, 400);
  assert.deepEqual(limit0.body, { code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
  assert.deepEqual((await get('/api/v3/historicalTrades?symbol=BTCUSDT&limit=1001')).body, { code: -1130, msg: "Data sent for parameter 'limit' is not valid." });
  assert.equal(((await get('/api/v3/historicalTrades?symbol=BTCUSDT&fromId=-1')).body as { code: number }).code, -1100);
  assert.deepEqual((await get('/api/v3/historicalTrades?symbol=NOPEUSDT')).body, { code: -1121, msg: 'Invalid symbol.' });
  assert.equal(((await get('/api/v3/historicalTrades')).body as { code: number }).code, -1102);
  // A listed symbol without recorded trades has had none.
  assert.deepEqual((await get('/api/v3/historicalTrades?symbol=LTCBTC')).body, []);
  server.clock.setNow(server.clock.now() + 120_000);
  const ok = await get('/api/v3/historicalTrades?symbol=BTCUSDT&limit=1');
  assert.equal(ok.weight, '25');
});

test('quoteQuantity - exact product, at least 8 decimals', () => {
  assert.equal(quoteQuantity('63433.99000000', '0.03292000'), '2088.24695080');
  assert.equal(quoteQuantity('4.00000100', '12.00000000'), '48.00001200');
  assert.equal(quoteQuantity('0.00000001', '0.00000001'), '0.0000000000000001');
});
