import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregateCandlesQuery, DUCKDB_AGGREGATE, INLINE_CORRECTIONS_MAX, UNITS_EXACT_BELOW } from './aggregate-sql.js';
import type { SqlExecutor } from './sql-session.js';

const HOUR = 3_600_000;
const LARGE = { id: 7, interval: '1m' as const, volumeMax: UNITS_EXACT_BELOW };

/** An executor that answers the corrections read with `rows` and records what it was asked. */
function corrections(rows: unknown[][]): SqlExecutor & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    all: async (sql) => {
      asked.push(sql);
      return rows;
    },
    run: async () => 0,
  };
}

test('aggregate sql - a few corrected buckets are written into the query as constants, each on its own bucket and column, zeros left out', async () => {
  const db = corrections([[0n, 1n, 0n, 0n, -2n], [HOUR, '5', 0, 7, 8]]);
  const q = await aggregateCandlesQuery(db, DUCKDB_AGGREGATE, LARGE, '1h', 0, 3 * HOUR);
  assert.equal(db.asked.length, 1);
  assert.match(db.asked[0] as string, new RegExp(`FROM volume_corrections .* LIMIT ${INLINE_CORRECTIONS_MAX + 1}`, 's'));
  assert.ok(q && !q.sql.includes('volume_corrections'));
  assert.ok(q.sql.includes(`g.u_volume + CASE g.b WHEN 0 THEN 1 WHEN ${HOUR} THEN 5 ELSE 0 END AS u_volume`));
  assert.ok(q.sql.includes('g.u_quote_volume AS u_quote_volume'));
  assert.ok(q.sql.includes(`g.u_taker_buy_base + CASE g.b WHEN ${HOUR} THEN 7 ELSE 0 END AS u_taker_buy_base`));
  assert.ok(q.sql.includes(`g.u_taker_buy_quote + CASE g.b WHEN 0 THEN -2 WHEN ${HOUR} THEN 8 ELSE 0 END AS u_taker_buy_quote`));
  assert.deepEqual(q.params, [7, 0, 3 * HOUR]);
});

test('aggregate sql - a window without corrected buckets sums the units alone', async () => {
  const q = await aggregateCandlesQuery(corrections([]), DUCKDB_AGGREGATE, LARGE, '1h', 0, HOUR);
  assert.ok(q && !q.sql.includes('CASE g.b') && !q.sql.includes('volume_corrections') && q.sql.includes('g.u_volume AS u_volume'));
});

test('aggregate sql - more corrected buckets than INLINE_CORRECTIONS_MAX are joined from volume_corrections', async () => {
  const rows = Array.from({ length: INLINE_CORRECTIONS_MAX + 1 }, (_, i) => [BigInt(i * HOUR), 1n, 1n, 1n, 1n]);
  const q = await aggregateCandlesQuery(corrections(rows), DUCKDB_AGGREGATE, LARGE, '1h', 0, 100 * HOUR);
  assert.ok(q && q.sql.includes('LEFT JOIN (SELECT') && q.sql.includes('FROM volume_corrections') && !q.sql.includes('CASE g.b'));
});

test('aggregate sql - a series below 2^24 reads no corrections, and a correction that is not an integer is refused', async () => {
  const db = corrections([]);
  await aggregateCandlesQuery(db, DUCKDB_AGGREGATE, { ...LARGE, volumeMax: UNITS_EXACT_BELOW - 1 }, '1h', 0, HOUR);
  assert.equal(db.asked.length, 0);
  await assert.rejects(aggregateCandlesQuery(corrections([[0n, '1; DROP TABLE candles', 0, 0, 0]]), DUCKDB_AGGREGATE, LARGE, '1h', 0, HOUR), /volume_corrections: expected an integer, got 1; DROP TABLE candles/);
});
