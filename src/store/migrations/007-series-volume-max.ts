/**
 * Migration 7: what the aggregation needs to sum volumes exactly as integers (aggregate-sql.ts).
 * `series_volume_max.volume_max` is the largest value any stored row of a series ever had in its
 * four volume columns; it only grows, so it is an upper bound. A table of its own, not a column
 * of `series`: DuckDB (1.5) cannot replay a WAL holding an ALTER TABLE of a table whose id
 * defaults to nextval() (see 003). Below 2^24 every row's 1e-8 units come
 * out of one multiply; a series that reached it keeps, in `volume_corrections`, the difference
 * each of its large rows' text makes; from 9e10 (units beyond 64 bits) a series is summed row by
 * row as decimals. Both are filled here from the stored rows and kept by every candle write.
 */
import { DUCKDB_AGGREGATE, POSTGRES_AGGREGATE, volumeCorrectionRowsSql } from '../sql/aggregate-sql.js';
import type { Dialect, Migration } from './migration.js';

function statements(dialect: Dialect): string[] {
  const duck = dialect === 'duckdb';
  const double = duck ? 'DOUBLE' : 'DOUBLE PRECISION';
  const units = duck ? 'HUGEINT' : 'NUMERIC';
  return [
    `CREATE TABLE series_volume_max (series_id INTEGER PRIMARY KEY, volume_max ${double} NOT NULL)`,
    `INSERT INTO series_volume_max
SELECT series_id, max(greatest(volume, quote_volume, taker_buy_base, taker_buy_quote)) FROM candles GROUP BY series_id`,
    // Like candles, unkeyed on DuckDB (rows are replaced by range); a btree key on PostgreSQL.
    `CREATE TABLE volume_corrections (
  series_id INTEGER NOT NULL,
  open_time BIGINT NOT NULL,
  volume ${units} NOT NULL,
  quote_volume ${units} NOT NULL,
  taker_buy_base ${units} NOT NULL,
  taker_buy_quote ${units} NOT NULL${duck ? '' : ',\n  PRIMARY KEY (series_id, open_time)'}
)`,
    `INSERT INTO volume_corrections ${volumeCorrectionRowsSql(duck ? DUCKDB_AGGREGATE : POSTGRES_AGGREGATE, 'TRUE')}`,
  ];
}

export const seriesVolumeMax: Migration = { version: 7, name: 'series_volume_max and volume_corrections, for exact integer volume sums', statements };
