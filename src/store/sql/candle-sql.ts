/**
 * Candle queries shared by both SQL backends: reading, aggregating 1m candles into larger
 * buckets, and finding missing open times, all computed in the database.
 */
import { allocateColumns, CANDLE_FIELDS, SOURCE_RANK, type CandleColumns, type CandleSource } from '../../core/candle.js';
import { intervalMs, type Interval } from '../../core/intervals.js';
import type { SeriesKey } from '../../core/instrument.js';
import type { MissingRange, SeriesStats } from '../store.js';
import type { SqlExecutor, SqlParam } from './sql-session.js';
import { col, toNumber, toText } from './sql-values.js';

/** Column names in CANDLE_FIELDS order. */
export const CANDLE_COLUMNS = [
  'open_time', 'open', 'high', 'low', 'close', 'volume', 'close_time', 'quote_volume', 'trades', 'taker_buy_base', 'taker_buy_quote',
] as const;

const SERIES_WHERE = 'exchange = $1 AND symbol = $2 AND "interval" = $3';

/** SQL expression giving the rank of a `source` column (archive > rest > stream), from SOURCE_RANK. */
export function sourceRankSql(column: string): string {
  const arms = Object.entries(SOURCE_RANK).map(([s, r]) => `WHEN '${s}' THEN ${r}`).join(' ');
  return `(CASE ${column} ${arms} ELSE -1 END)`;
}

/** Smallest multiple of `len` that is ≥ t (times are non-negative epoch ms). */
export function alignUp(t: number, len: number): number {
  return Math.ceil(t / len) * len;
}

export function rowsToColumns(rows: readonly unknown[][]): CandleColumns {
  const out = allocateColumns(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as unknown[];
    for (let f = 0; f < CANDLE_FIELDS.length; f++) {
      const field = CANDLE_FIELDS[f] as (typeof CANDLE_FIELDS)[number];
      out[field][i] = toNumber(col(row, f), field);
    }
  }
  out.length = rows.length;
  return out;
}

/** A query whose 11 result columns are the candle fields in CANDLE_FIELDS order. */
export interface CandleQuery {
  sql: string;
  params: SqlParam[];
}

export function readCandlesQuery(s: SeriesKey, from: number, to: number): CandleQuery {
  return {
    sql: `SELECT ${CANDLE_COLUMNS.join(', ')} FROM candles WHERE ${SERIES_WHERE} AND open_time >= $4 AND open_time < $5 ORDER BY open_time`,
    params: [s.exchange, s.symbol, s.interval, from, to],
  };
}

/** How each engine picks the value of the first / last row of a group by open time. */
export interface FirstLastSql {
  first(column: string): string;
  last(column: string): string;
}

export const DUCKDB_FIRST_LAST: FirstLastSql = {
  first: (c) => `arg_min(${c}, open_time)`,
  last: (c) => `arg_max(${c}, open_time)`,
};

export const POSTGRES_FIRST_LAST: FirstLastSql = {
  first: (c) => `(array_agg(${c} ORDER BY open_time))[1]`,
  last: (c) => `(array_agg(${c} ORDER BY open_time DESC))[1]`,
};

/**
 * Sum of a volume column equal to the exchange's own kline: each double goes back to its decimal
 * text (shortest round-trip, so "51.642812" stays 51.642812), the decimals are summed exactly, and
 * the exact sum is parsed once into the nearest double — the same double a client gets by parsing
 * Binance's string for the higher-interval kline. A plain float sum drifts (16792.388165000022).
 */
function exactSum(column: string): string {
  return `CAST(CAST(sum(CAST(CAST(${column} AS VARCHAR) AS DECIMAL(38,10))) AS VARCHAR) AS FLOAT8)`;
}

/** The aggregation query, or null when the window holds no whole bucket start. */
export function aggregateCandlesQuery(
  fl: FirstLastSql,
  exchange: string,
  symbol: string,
  interval: Interval,
  from: number,
  to: number,
): CandleQuery | null {
  if (interval === '1m') return readCandlesQuery({ exchange, symbol, interval }, from, to);
  const len = intervalMs(interval);
  // A bucket b is in [from, to) exactly when its 1m rows lie in [alignUp(from), alignUp(to)).
  const lo = alignUp(from, len);
  const hi = alignUp(to, len);
  if (hi <= lo) return null;
  return {
    sql: `SELECT b, ${fl.first('open')}, max(high), min(low), ${fl.last('close')}, ${exactSum('volume')}, b + ${len - 1},
       ${exactSum('quote_volume')}, CAST(sum(trades) AS BIGINT), ${exactSum('taker_buy_base')}, ${exactSum('taker_buy_quote')}
     FROM (SELECT open_time - open_time % ${len} AS b, * FROM candles
           WHERE ${SERIES_WHERE} AND open_time >= $4 AND open_time < $5) AS m
     GROUP BY b ORDER BY b`,
    params: [exchange, symbol, '1m', lo, hi],
  };
}

export async function countBySourceSql(db: SqlExecutor, s: SeriesKey, from: number, to: number): Promise<Record<CandleSource, number>> {
  const out: Record<CandleSource, number> = { archive: 0, rest: 0, stream: 0 };
  const rows = await db.all(
    `SELECT source, count(*) FROM candles WHERE ${SERIES_WHERE} AND open_time >= $4 AND open_time < $5 GROUP BY source`,
    [s.exchange, s.symbol, s.interval, from, to],
  );
  for (const r of rows) {
    const source = toText(col(r, 0), 'source');
    if (source === 'archive' || source === 'rest' || source === 'stream') out[source] = toNumber(col(r, 1), 'count');
  }
  return out;
}

export async function seriesStatsSql(db: SqlExecutor, s: SeriesKey): Promise<SeriesStats | null> {
  const rows = await db.all(`SELECT min(open_time), max(open_time), count(*) FROM candles WHERE ${SERIES_WHERE}`, [
    s.exchange, s.symbol, s.interval,
  ]);
  const r = rows[0];
  if (!r || toNumber(col(r, 2), 'count') === 0) return null;
  return { first: toNumber(col(r, 0), 'first'), last: toNumber(col(r, 1), 'last'), count: toNumber(col(r, 2), 'count') };
}

/**
 * Runs of missing grid points in [from, to): the stored open times of the window plus two
 * sentinels just outside it, and `lag` over them; every step longer than one interval is a run.
 */
export async function missingRangesSql(db: SqlExecutor, s: SeriesKey, from: number, to: number): Promise<MissingRange[]> {
  const len = intervalMs(s.interval);
  const first = alignUp(from, len);
  const last = alignUp(to, len) - len;
  if (last < first) return [];
  const rows = await db.all(
    `WITH t AS (
       SELECT open_time FROM candles WHERE ${SERIES_WHERE} AND open_time >= $4 AND open_time <= $5
       UNION ALL SELECT CAST($4 AS BIGINT) - ${len}
       UNION ALL SELECT CAST($5 AS BIGINT) + ${len}
     ), d AS (SELECT open_time, lag(open_time) OVER (ORDER BY open_time) AS prev FROM t)
     SELECT prev + ${len}, open_time - ${len} FROM d WHERE open_time - prev > ${len} ORDER BY prev`,
    [s.exchange, s.symbol, s.interval, first, last],
  );
  return rows.map((r) => {
    const gapFrom = toNumber(col(r, 0), 'from');
    const gapTo = toNumber(col(r, 1), 'to');
    return { from: gapFrom, to: gapTo, count: (gapTo - gapFrom) / len + 1 };
  });
}

/**
 * The upsert from a staging table of 11 DOUBLE columns into `candles`. Replaces a stored row
 * only for an equal-or-higher source rank and only if something differs, so the statement's
 * row count is exactly "inserted or changed" and a re-write counts 0.
 */
export function upsertFromStageSql(stage: string, source: CandleSource): string {
  const values = CANDLE_COLUMNS.filter((c) => c !== 'open_time');
  const asStored = (c: string): string => (c === 'open_time' || c === 'close_time' || c === 'trades' ? `CAST(${c} AS BIGINT)` : c);
  const set = [...values, 'source'].map((c) => `${c} = excluded.${c}`).join(', ');
  const differs = [...values, 'source'].map((c) => `candles.${c} IS DISTINCT FROM excluded.${c}`).join(' OR ');
  return `INSERT INTO candles (exchange, symbol, "interval", ${CANDLE_COLUMNS.join(', ')}, source)
SELECT CAST($1 AS TEXT), CAST($2 AS TEXT), CAST($3 AS TEXT), ${CANDLE_COLUMNS.map(asStored).join(', ')}, CAST($4 AS TEXT) FROM ${stage}
ON CONFLICT (exchange, symbol, "interval", open_time) DO UPDATE SET ${set}
WHERE ${SOURCE_RANK[source]} >= ${sourceRankSql('candles.source')} AND (${differs})`;
}

/**
 * The same insert without conflict handling, for the common case of a range that holds no rows
 * yet (a fresh backfill): skipping the per-row conflict probe roughly halves the write.
 */
export function insertFromStageSql(stage: string): string {
  return upsertFromStageSql(stage, 'archive').replace(/\nON CONFLICT[\s\S]*$/, '');
}

/** True when the series has any stored candle with first ≤ open_time ≤ last. */
export async function rangeHasRows(db: SqlExecutor, s: SeriesKey, first: number, last: number): Promise<boolean> {
  const rows = await db.all(`SELECT 1 FROM candles WHERE ${SERIES_WHERE} AND open_time >= $4 AND open_time <= $5 LIMIT 1`, [
    s.exchange, s.symbol, s.interval, first, last,
  ]);
  return rows.length > 0;
}
