import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateColumns, type CandleColumns } from '../../core/candle.js';
import { DUCKDB_AGGREGATE, UNITS_EXACT_BELOW } from './aggregate-sql.js';
import type { SqlExecutor } from './sql-session.js';
import { noteVolumesSql, VolumeBounds } from './volume-notes.js';

/** An executor that answers the upsert with `bound` and records the statements it was asked. */
function answering(bound: number): SqlExecutor & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    all: async (sql) => {
      asked.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
      return [[bound]];
    },
    run: async (sql) => {
      asked.push(sql.trim().split(/\s+/).slice(0, 3).join(' '));
      return 0;
    },
  };
}

function rows(volumeMax: number): CandleColumns {
  const c = allocateColumns(2);
  for (let i = 0; i < 2; i++) {
    c.openTime[i] = i * 60_000;
    c.volume[i] = c.quoteVolume[i] = c.takerBuyBase[i] = c.takerBuyQuote[i] = i === 1 ? volumeMax : 1;
  }
  c.length = 2;
  return c;
}

const UPSERT = ['INSERT INTO series_volume_max'];
const CORRECTIONS = [...UPSERT, 'DELETE FROM volume_corrections', 'INSERT INTO volume_corrections'];

test('volume notes - a write into an empty range that a committed bound covers asks nothing; before the commit it is still asked', async () => {
  const bounds = new VolumeBounds();
  const db = answering(500);
  assert.equal(await noteVolumesSql(db, DUCKDB_AGGREGATE, bounds, 7, rows(500), false), 500);
  assert.deepEqual(db.asked, UPSERT, 'nothing committed yet');
  assert.equal(await noteVolumesSql(db, DUCKDB_AGGREGATE, bounds, 7, rows(400), false), 500);
  assert.deepEqual(db.asked, [...UPSERT, ...UPSERT], 'the first write has not committed');
  bounds.committed(7, 500);
  assert.equal(await noteVolumesSql(db, DUCKDB_AGGREGATE, bounds, 7, rows(500), false), null);
  assert.equal(await noteVolumesSql(db, DUCKDB_AGGREGATE, bounds, 8, rows(1), false), 500, 'another series has no bound');
  assert.deepEqual(db.asked, [...UPSERT, ...UPSERT, ...UPSERT]);
});

test('volume notes - a larger volume, a range that held rows, or rows of 2^24 are always noted', async () => {
  const bounds = new VolumeBounds();
  bounds.committed(7, UNITS_EXACT_BELOW + 10);
  for (const [volumeMax, held, what] of [[UNITS_EXACT_BELOW + 11, false, 'above the bound'], [5, true, 'a range that held rows'], [UNITS_EXACT_BELOW, false, 'a row needing a correction']] as const) {
    const db = answering(UNITS_EXACT_BELOW + 11);
    await noteVolumesSql(db, DUCKDB_AGGREGATE, bounds, 7, rows(volumeMax), held);
    assert.deepEqual(db.asked, CORRECTIONS, what);
  }
  const below = answering(100);
  await noteVolumesSql(below, DUCKDB_AGGREGATE, new VolumeBounds(), 7, rows(100), true);
  assert.deepEqual(below.asked, UPSERT, 'a series below 2^24 keeps no corrections');
});

test('volume notes - a committed bound never goes down', () => {
  const bounds = new VolumeBounds();
  bounds.committed(7, 900);
  bounds.committed(7, 100);
  assert.equal(bounds.covers(7, 900), true);
  assert.equal(bounds.covers(7, 901), false);
});
