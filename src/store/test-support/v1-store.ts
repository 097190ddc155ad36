/**
 * Test helper: a store as today's v1 code left it (migration 001's statements only, candles
 * keyed by exchange/symbol/interval text with the source as text), filled with real recorded
 * candles, and the check that a v2 store opened on it holds exactly the same data.
 */
import assert from 'node:assert/strict';
import { CANDLE_FIELDS, type CandleColumns, type CandleSource } from '../../core/candle.js';
import type { SeriesKey } from '../../core/instrument.js';
import { initialSchema } from '../migrations/001-initial-schema.js';
import { CANDLE_COLUMNS } from '../sql/candle-sql.js';
import type { SqlParam, SqlSession } from '../sql/sql-session.js';
import { insertValues } from '../sql/values-tuples.js';
import type { ArchiveManifestEntry, Store } from '../store.js';
import { filterRows, plain } from '../contract/contract-helpers.js';
import { btcusdtDay } from './fixture-candles.js';

export interface V1Series {
  series: SeriesKey;
  candles: CandleColumns;
  source: CandleSource;
}

/** Three series of real candles, one per source, one with quotes in its name. */
export function v1Content(): { series: V1Series[]; manifest: ArchiveManifestEntry } {
  return {
    series: [
      { series: { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, candles: btcusdtDay(1), source: 'archive' },
      { series: { exchange: 'binance', symbol: 'ETHUSDT', interval: '1m' }, candles: btcusdtDay(2), source: 'rest' },
      { series: { exchange: 'other', symbol: "O'B", interval: '1m' }, candles: btcusdtDay(3), source: 'stream' },
    ],
    manifest: { key: 'data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip', size: 63_000, sha256: 'ab'.repeat(32), lastModified: 1_578_009_600_000, rows: 1440, ingestedAt: 1_700_000_000_000 },
  };
}

/** Creates the v1 schema exactly as runMigrations did before migration 002, and fills it. */
export async function writeV1Store(db: SqlSession): Promise<void> {
  const content = v1Content();
  await db.transaction(async (tx) => {
    await tx.run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
    for (const sql of initialSchema.statements(db.dialect)) await tx.run(sql);
    await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [1, initialSchema.name, 1]);
    for (const { series, candles, source } of content.series) {
      const rows: SqlParam[][] = [];
      for (let i = 0; i < candles.length; i++) {
        rows.push([series.exchange, series.symbol, series.interval, ...CANDLE_FIELDS.map((f) => candles[f][i] as number), source]);
      }
      await insertValues(tx, `INSERT INTO candles (exchange, symbol, "interval", ${CANDLE_COLUMNS.join(', ')}, source)`, rows);
    }
    const m = content.manifest;
    await tx.run('INSERT INTO archive_manifest (key, size, sha256, last_modified, rows, ingested_at) VALUES ($1, $2, $3, $4, $5, $6)', [
      m.key, m.size, m.sha256, m.lastModified, m.rows, m.ingestedAt,
    ]);
    await tx.run("INSERT INTO instruments (exchange, symbol, base, quote, status, listed_at) VALUES ('binance', 'BTCUSDT', 'BTC', 'USDT', 'TRADING', 1502942400000)");
  });
}

/** Asserts that `store` (opened and migrated on a v1 store) holds every v1 row, value and source. */
export async function assertSameAsV1(store: Store): Promise<void> {
  const content = v1Content();
  for (const { series, candles, source } of content.series) {
    const back = await store.readCandles(series, 0, Number.MAX_SAFE_INTEGER);
    assert.deepEqual(plain(back), plain(candles), `${series.symbol}: every row and column`);
    const counts = { archive: 0, rest: 0, stream: 0 };
    counts[source] = candles.length;
    assert.deepEqual(await store.countBySource(series, 0, Number.MAX_SAFE_INTEGER), counts, `${series.symbol}: sources`);
    // The migrated rows keep the write rules: a re-write of the same rows changes nothing,
    // and a REST copy never replaces archive rows.
    assert.equal(await store.writeCandles(series, candles, source), 0);
  }
  const archived = content.series[0]!;
  const restCopy = filterRows(archived.candles, () => true);
  restCopy.close.set(restCopy.open.subarray(0, restCopy.length)); // disagrees, still a sound candle
  assert.equal(await store.writeCandles(archived.series, restCopy, 'rest'), 0, 'rest must not replace migrated archive rows');
  let differing = 0;
  for (let i = 0; i < restCopy.length; i++) if (restCopy.close[i] !== archived.candles.close[i]) differing++;
  assert.ok(differing > 1000);
  assert.equal(await store.writeCandles(archived.series, restCopy, 'archive'), differing, 'archive replaces exactly the migrated rows that differ');
  assert.deepEqual(await store.getManifest(content.manifest.key), content.manifest);
  assert.deepEqual(await store.listInstruments('binance'), [
    { exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: 1502942400000 },
  ]);
  assert.equal((await store.storageStats()).candleRows, 3 * 1440);
}
