import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { KlineCatalog } from './kline-catalog.js';
import { selectKlines } from './kline-query.js';

const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));
const catalog = new KlineCatalog(FIXTURES);
const D1 = Date.UTC(2020, 0, 1);
const FAR = Date.UTC(2030, 0, 1);

test('kline catalog - serves the 4,320 BTCUSDT 1m archive candles of 2020-01-01..03 as 12-element rows', () => {
  const t = catalog.table('BTCUSDT', '1m');
  assert.equal(t.rows.length, 4320);
  assert.equal(t.openTime[0], D1);
  assert.equal(t.openTime[4319], D1 + 4319 * 60_000);
  const first: unknown = JSON.parse(t.rows[0] as string);
  assert.ok(Array.isArray(first));
  assert.equal(first.length, 12);
  assert.equal(first[0], D1);
  assert.equal(first[1], '7195.24000000');
  assert.equal(first[6], D1 + 59_999);
  assert.equal(first[11], '0');
});

test('kline catalog - a 1d candle rolled up from 1m equals the recorded REST 1d row (ETHUSDT 2022-08-14)', () => {
  // The 1d REST file covers the day, so it wins; rebuild the 4h candles from 1m and compare the day's totals.
  const day = Date.UTC(2022, 7, 14);
  const d = catalog.table('ETHUSDT', '1d');
  const i = d.openTime.indexOf(day);
  const rec = JSON.parse(d.rows[i] as string) as unknown[];
  assert.deepEqual(rec.slice(1, 6), ['1983.55000000', '2030.00000000', '1906.00000000', '1935.31000000', '569583.48520000']);
  const h4 = catalog.table('ETHUSDT', '4h');
  const from = h4.openTime.indexOf(day);
  const six = h4.rows.slice(from, from + 6).map((r) => JSON.parse(r) as unknown[]);
  assert.equal(six.length, 6);
  assert.equal(six[0]?.[1], '1983.55000000');
  assert.equal(six[5]?.[4], '1935.31000000');
  const volume = six.reduce((s, r) => s + BigInt(String(r[5]).replace('.', '')), 0n);
  assert.equal(volume, 56958348520000n);
});

test('kline catalog - intervals without any recorded or derivable data are empty, not invented', () => {
  assert.equal(catalog.table('BTCUSDT', '1s').rows.length, 0);
  assert.equal(catalog.table('BTCUSDT', '1w').rows.length, 0);
  assert.equal(catalog.table('NKNUSDT', '1m').rows.length, 0);
});

test('klines selection - startTime gives the oldest rows from it, capped by limit and endTime', () => {
  const t = catalog.table('BTCUSDT', '1m').openTime;
  assert.deepEqual(selectKlines(t, { startTime: D1 + 30_000, limit: 1000, now: FAR }), { from: 1, to: 1001 });
  assert.deepEqual(selectKlines(t, { startTime: D1, endTime: D1 + 9 * 60_000, limit: 1000, now: FAR }), { from: 0, to: 10 });
  assert.deepEqual(selectKlines(t, { startTime: D1 + 5000 * 60_000, limit: 1000, now: FAR }), { from: 0, to: 0 });
});

test('klines selection - without startTime gives the most recent rows up to endTime or now', () => {
  const t = catalog.table('BTCUSDT', '1m').openTime;
  assert.deepEqual(selectKlines(t, { limit: 500, now: FAR }), { from: 3820, to: 4320 });
  assert.deepEqual(selectKlines(t, { endTime: D1 + 99 * 60_000, limit: 10, now: FAR }), { from: 90, to: 100 });
  // At 00:10:30 on day 1 the 00:10 candle has opened (unclosed) and is visible; 00:11 is not.
  assert.deepEqual(selectKlines(t, { limit: 1000, now: D1 + 10 * 60_000 + 30_000 }), { from: 0, to: 11 });
  assert.deepEqual(selectKlines(t, { limit: 1000, now: D1 - 1 }), { from: 0, to: 0 });
});

test('kline catalog - serves the 14 continuous recorded months of 1h of the 10 static-klines coins, with the real 2023-03-24 halt', () => {
  // fixtures/SOURCES.md: 2023-01-01 00:00 .. 2024-02-29 23:00 UTC, 10,199 rows per symbol; the
  // 12:00 candle of 2023-03-24 is the halt (0 trades) and 13:00 does not exist.
  const halt = Date.UTC(2023, 2, 24, 12);
  for (const symbol of ['ADAUSDT', 'AVAXUSDT', 'BNBUSDT', 'BTCUSDT', 'DOGEUSDT', 'DOTUSDT', 'ETHUSDT', 'LINKUSDT', 'SOLUSDT', 'XRPUSDT']) {
    const t = catalog.table(symbol, '1h');
    // BTCUSDT also has 1h from its 2020 1m and 2026 1h archive files, outside this range.
    const range = selectKlines(t.openTime, { startTime: Date.UTC(2023, 0, 1), endTime: Date.UTC(2024, 2, 1) - 1, limit: 20_000, now: FAR });
    assert.equal(range.to - range.from, 10_199, symbol);
    assert.equal(t.openTime[range.from], Date.UTC(2023, 0, 1), symbol);
    assert.equal(t.openTime[range.to - 1], Date.UTC(2024, 1, 29, 23), symbol);
    const i = t.openTime.indexOf(halt);
    assert.ok(i > 0, symbol);
    assert.equal(t.openTime[i + 1], halt + 2 * 3_600_000, `${symbol}: the 13:00 candle of the halt is missing`);
    const row = JSON.parse(t.rows[i] as string) as unknown[];
    assert.equal(row[8], 0, `${symbol}: no trades in the halt candle`);
  }
  // A request in the middle of the range is answered from the recorded months (2023-05 here).
  const btc = catalog.table('BTCUSDT', '1h');
  const may = selectKlines(btc.openTime, { startTime: Date.UTC(2023, 4, 1), limit: 1000, now: FAR });
  assert.equal(may.to - may.from, 1000);
  assert.equal(btc.openTime[may.from], Date.UTC(2023, 4, 1));
});
