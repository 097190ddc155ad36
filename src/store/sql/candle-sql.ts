/**
 * Candle queries shared by both SQL backends: reading, aggregating stored candles into larger
 * buckets, and finding missing open times, all computed in the database. Every query names its
 * series by the small integer id of the `series` table (migration 002), see series-ids.ts.
 */
import { allocateColumns, CANDLE_FIELDS, SOURCE_RANK, type CandleColumns, type CandleSource } from '../../core/candle.js';
import { intervalMs, MINUTE_MS, type Interval } from '../../core/intervals.js';
import type { MissingRange, SeriesStats } from '../store.js';
import type { SqlExecutor, SqlParam } from './sql-session.js';
import { col, toNumber, toNumberOrNull } from './sql-values.js';

/** Column names in CANDLE_FIELDS order. */
export const CANDLE_COLUMNS = [
  'open_time', 'open', 'high', 'low', 'close', 'volume', 'close_time', 'quote_volume', 'trades', 'taker_buy_base', 'taker_buy_quote',
] as const;

/** The stored `source` value is the rank itself (stream 0, rest 1, archive 2). */
const SOURCE_BY_RANK = new Map<number, CandleSource>(Object.entries(SOURCE_RANK).map(([s, r]) => [r, s as CandleSource]));

/** Smallest multiple of `len` that is ≥ t (times are non-negative epoch ms). */
export function alignUp(t: number, len: number): number {
  return Math.ceil(t / len) * len;
}

/**
 * A query whose first 11 result columns are the candle fields in CANDLE_FIELDS order and whose
 * 12th is the number of stored minutes behind each bar.
 */
export interface CandleQuery {
  sql: string;
  params: SqlParam[];
}

/** Candles plus, per bar, how many stored minutes it was built from. */
export interface CandleRows {
  candles: CandleColumns;
  minutes: Float64Array;
}

export function rowsToColumns(rows: readonly unknown[][]): CandleRows {
  const candles = allocateColumns(rows.length);
  const minutes = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as unknown[];
    for (let f = 0; f < CANDLE_FIELDS.length; f++) {
      const field = CANDLE_FIELDS[f] as (typeof CANDLE_FIELDS)[number];
      candles[field][i] = toNumber(col(row, f), field);
    }
    minutes[i] = toNumber(col(row, CANDLE_FIELDS.length), 'minutes');
  }
  candles.length = rows.length;
  return { candles, minutes };
}

/** A stored series a read is served from: its id and its interval. */
export interface SourceSeries {
  id: number;
  interval: Interval;
  /** `series_volume_max` (migration 7): an upper bound of its volume columns, null when unknown. */
  volumeMax: number | null;
}

/** Stored rows of one series with from ≤ open_time < to, ascending. */
export function readCandlesQuery(src: Pick<SourceSeries, 'id' | 'interval'>, from: number, to: number, limit?: number): CandleQuery {
  return {
    sql: `SELECT ${CANDLE_COLUMNS.join(', ')}, ${intervalMs(src.interval) / MINUTE_MS} FROM candles
     WHERE series_id = $1 AND open_time >= $2 AND open_time < $3 ORDER BY open_time${limit === undefined ? '' : ` LIMIT ${limit}`}`,
    params: [src.id, from, to],
  };
}

export async function countBySourceSql(db: SqlExecutor, id: number, from: number, to: number): Promise<Record<CandleSource, number>> {
  const out: Record<CandleSource, number> = { archive: 0, rest: 0, stream: 0 };
  const rows = await db.all(
    'SELECT source, count(*) FROM candles WHERE series_id = $1 AND open_time >= $2 AND open_time < $3 GROUP BY source',
    [id, from, to],
  );
  for (const r of rows) {
    const source = SOURCE_BY_RANK.get(toNumber(col(r, 0), 'source'));
    if (source !== undefined) out[source] = toNumber(col(r, 1), 'count');
  }
  return out;
}

export async function seriesStatsSql(db: SqlExecutor, id: number): Promise<SeriesStats | null> {
  const rows = await db.all('SELECT min(open_time), max(open_time), count(*) FROM candles WHERE series_id = $1', [id]);
  const r = rows[0];
  if (!r || toNumber(col(r, 2), 'count') === 0) return null;
  return { first: toNumber(col(r, 0), 'first'), last: toNumber(col(r, 1), 'last'), count: toNumber(col(r, 2), 'count') };
}

/** The newest stored open time of the series, or null; no count over its rows. */
export async function lastOpenTimeSql(db: SqlExecutor, id: number): Promise<number | null> {
  const rows = await db.all('SELECT max(open_time) FROM candles WHERE series_id = $1', [id]);
  const v = rows[0]?.[0];
  return v === null || v === undefined ? null : toNumber(v, 'last open time');
}

/**
 * Runs of missing grid points in [from, to): the stored open times of the window plus two
 * sentinels just outside it, and `lag` over them; every step longer than one interval is a run.
 */
export async function missingRangesSql(db: SqlExecutor, id: number | null, interval: Interval, from: number, to: number): Promise<MissingRange[]> {
  const len = intervalMs(interval);
  const first = alignUp(from, len);
  const last = alignUp(to, len) - len;
  if (last < first) return [];
  if (id === null) return [{ from: first, to: last, count: (last - first) / len + 1 }];
  const rows = await db.all(
    `WITH t AS (
       SELECT open_time FROM candles WHERE series_id = $1 AND open_time >= $2 AND open_time <= $3
       UNION ALL SELECT CAST($2 AS BIGINT) - ${len}
       UNION ALL SELECT CAST($3 AS BIGINT) + ${len}
     ), d AS (SELECT open_time, lag(open_time) OVER (ORDER BY open_time) AS prev FROM t)
     SELECT prev + ${len}, open_time - ${len} FROM d WHERE open_time - prev > ${len} ORDER BY prev`,
    [id, first, last],
  );
  return rows.map((r) => {
    const gapFrom = toNumber(col(r, 0), 'from');
    const gapTo = toNumber(col(r, 1), 'to');
    return { from: gapFrom, to: gapTo, count: (gapTo - gapFrom) / len + 1 };
  });
}

/** A staged DOUBLE value of column `c` as `candles` stores it (times and trade counts are BIGINT). */
function asStored(c: string, value: string): string {
  return c === 'open_time' || c === 'close_time' || c === 'trades' ? `CAST(${value} AS BIGINT)` : value;
}

/** The staging table's 11 DOUBLE columns as the `candles` columns store them. */
function stagedValues(stage: string): string {
  return CANDLE_COLUMNS.map((c) => asStored(c, `${stage}.${c}`)).join(', ');
}

const VALUE_COLUMNS = CANDLE_COLUMNS.filter((c) => c !== 'open_time');

/** `candles.x IS DISTINCT FROM <other>.x OR …` over the values and the source. */
function differs(other: string): string {
  return [...VALUE_COLUMNS, 'source'].map((c) => `candles.${c} IS DISTINCT FROM ${other}.${c}`).join(' OR ');
}

/** Plain insert of the whole stage, for a range that holds no rows yet (a fresh backfill). $1 series id. */
export function insertFromStageSql(stage: string, source: CandleSource): string {
  return `INSERT INTO candles (series_id, ${CANDLE_COLUMNS.join(', ')}, source)
SELECT $1, ${stagedValues(stage)}, ${SOURCE_RANK[source]} FROM ${stage}`;
}

/**
 * PostgreSQL's upsert from the stage, through the (series_id, open_time) primary key. Replaces a
 * stored row only for an equal-or-higher source rank and only if something differs, so the
 * statement's row count is exactly "inserted or changed" and a re-write counts 0.
 */
export function upsertFromStageSql(stage: string, source: CandleSource): string {
  const set = [...VALUE_COLUMNS, 'source'].map((c) => `${c} = excluded.${c}`).join(', ');
  return `${insertFromStageSql(stage, source)}
ON CONFLICT (series_id, open_time) DO UPDATE SET ${set}
WHERE ${SOURCE_RANK[source]} >= candles.source AND (${differs('excluded')})`;
}

/**
 * The same semantics without a key index (DuckDB): two statements over the written range only,
 * $1 series id, $2/$3 first/last open time of the stage. First the stored rows the stage may
 * replace (equal-or-higher rank, something differs), then the stage rows with no stored row.
 * Their row counts add up to "inserted or changed"; the caller runs both in one transaction.
 */
export function mergeFromStageSql(stage: string, source: CandleSource): { update: string; insertMissing: string } {
  const rank = SOURCE_RANK[source];
  const set = [...VALUE_COLUMNS.map((c) => `${c} = ${asStored(c, `n.${c}`)}`), `source = ${rank}`].join(', ');
  const staged = `(SELECT ${asStored('open_time', 'open_time')} AS open_time, ${VALUE_COLUMNS.join(', ')}, ${rank} AS source FROM ${stage}) AS n`;
  return {
    update: `UPDATE candles SET ${set} FROM ${staged}
WHERE candles.series_id = $1 AND candles.open_time >= $2 AND candles.open_time <= $3 AND candles.open_time = n.open_time
  AND ${rank} >= candles.source AND (${differs('n')})`,
    insertMissing: `${insertFromStageSql(stage, source)}
WHERE NOT EXISTS (SELECT 1 FROM candles WHERE candles.series_id = $1 AND candles.open_time >= $2 AND candles.open_time <= $3
  AND candles.open_time = CAST(${stage}.open_time AS BIGINT))`,
  };
}

/**
 * The bars of `len` in [from, to) that hold stored rows of the series, as [start, end) on the bar
 * grid, or null when none do: a streamed read pages through it, so a window reaching far before or
 * after the data (e.g. `from` 0) costs no empty page queries.
 */
export async function storedBarWindow(db: SqlExecutor, id: number, len: number, from: number, to: number): Promise<{ start: number; end: number } | null> {
  const rows = await db.all('SELECT min(open_time), max(open_time) FROM candles WHERE series_id = $1 AND open_time >= $2 AND open_time < $3', [id, alignUp(from, len), to]);
  const r = rows[0] ?? [];
  const first = toNumberOrNull(col(r, 0), 'first open time');
  const last = toNumberOrNull(col(r, 1), 'last open time');
  if (first === null || last === null) return null;
  return { start: Math.floor(first / len) * len, end: Math.min(to, Math.floor(last / len) * len + len) };
}

/** True when the series has any stored candle with first ≤ open_time ≤ last. */
export async function rangeHasRows(db: SqlExecutor, id: number, first: number, last: number): Promise<boolean> {
  const rows = await db.all('SELECT 1 FROM candles WHERE series_id = $1 AND open_time >= $2 AND open_time <= $3 LIMIT 1', [id, first, last]);
  return rows.length > 0;
}
