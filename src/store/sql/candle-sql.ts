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

/** What differs between the engines in the aggregation query. */
export interface AggregateSql {
  first(column: string): string;
  last(column: string): string;
  /**
   * Sum of a volume column equal to the exchange's own higher-interval kline: each row's double
   * becomes its exact decimal, the decimals are summed exactly, and the sum becomes the double
   * nearest to it (the one a client gets by parsing Binance's string). A float sum drifts
   * (16792.388165000022 for 16792.388165). Right for any value; the per-row text step is slow.
   */
  exactSum(column: string): string;
  /**
   * The same sum for a series whose volumes are all below UNITS_EXACT_BELOW: each row's exact
   * count of 1e-8 units is one multiply, rounded to an integer, and the units sum as integers.
   */
  unitsSum(column: string): string;
  /** The double nearest to `units` × 1e-8, for an integer sum of units. */
  unitsToDouble(units: string): string;
  /** A row's exact units from its shortest round-trip text, less what `unitsSum` counted for it. */
  unitsCorrection(column: string): string;
}

/**
 * 2^24: a double below it that is the nearest to a decimal of ≤ 8 places is within 0.1 units
 * of it, and its product with 1e8 (below 2^51) rounds by at most 0.125 more, so rounding the
 * product gives the decimal's exact count of 1e-8 units (volume-sum-cases.ts holds the edges).
 * Rows at or above it are corrected from their text, each found by a one-column filter that
 * DuckDB's zonemaps prune: a real series has few such minutes (a fast-moving BTC minute).
 */
export const UNITS_EXACT_BELOW = 16_777_216;

/** 9e10 × 1e8 stays below 2^63: the units of every row of a series under it fit a BIGINT. */
export const UNITS_FIT_BELOW = 90_000_000_000;

/** 2^53: every integer below it is a double, and a double divided by 1e8 is rounded once. */
const DOUBLE_INTEGERS_BELOW = '9007199254740992';

/** 1e7, well under 2^26: volumes are ≥ 0 (a CHECK), so no abs(). */
const EXACT_CAST_BELOW = 10_000_000;

/** Units (an integer type) → double: one division below 2^53, else the decimal text parsed once per bucket. */
function unitsToDoubleVia(units: string, text: string, div: string, mod: string, double: string): string {
  return `CASE WHEN ${units} < ${DOUBLE_INTEGERS_BELOW} THEN CAST(${units} AS ${double}) / 100000000
    ELSE CAST(CAST(${div} AS ${text}) || '.' || lpad(CAST(${mod} AS ${text}), 8, '0') AS ${double}) END`;
}

export const DUCKDB_AGGREGATE: AggregateSql = {
  first: (c) => `arg_min(${c}, open_time)`,
  last: (c) => `arg_max(${c}, open_time)`,
  // DuckDB casts a double to DECIMAL by rounding its exact binary value, so below 2^26 (where
  // doubles are closer than 1e-8) a value Binance printed with ≤ 8 decimals comes back exactly.
  // Above that, the 8th decimal of the binary value is noise (571805761.1580551 for …158055), so
  // large values take the shortest round-trip text. The text step stays once per bucket: it
  // gives the correctly rounded double, where DECIMAL → DOUBLE divides two doubles.
  exactSum: (c) =>
    `CAST(CAST(sum(CASE WHEN ${c} < ${EXACT_CAST_BELOW} THEN CAST(${c} AS DECIMAL(38,8)) ELSE CAST(CAST(${c} AS VARCHAR) AS DECIMAL(38,8)) END) AS VARCHAR) AS DOUBLE)`,
  // DuckDB's double → BIGINT cast rounds to the nearest integer; BIGINT sums into HUGEINT.
  unitsSum: (c) => `sum(CAST(${c} * 100000000.0 AS BIGINT))`,
  unitsToDouble: (u) => unitsToDoubleVia(u, 'VARCHAR', `${u} // 100000000`, `${u} % 100000000`, 'DOUBLE'),
  unitsCorrection: (c) => `CAST(CAST(CAST(${c} AS VARCHAR) AS DECIMAL(38,8)) * 100000000 AS HUGEINT) - CAST(${c} * 100000000.0 AS BIGINT)`,
};

export const POSTGRES_AGGREGATE: AggregateSql = {
  first: (c) => `(array_agg(${c} ORDER BY open_time))[1]`,
  last: (c) => `(array_agg(${c} ORDER BY open_time DESC))[1]`,
  // float8 → numeric keeps only 15 significant digits; float8 → text is the shortest exact form.
  exactSum: (c) => `CAST(CAST(sum(CAST(CAST(${c} AS TEXT) AS NUMERIC)) AS TEXT) AS FLOAT8)`,
  // float8 → bigint rounds to the nearest integer; sum(bigint) is an exact numeric. The factor
  // is a float8 so the multiply stays in floating point.
  unitsSum: (c) => `sum(CAST(${c} * CAST(100000000 AS FLOAT8) AS BIGINT))`,
  unitsToDouble: (u) => unitsToDoubleVia(u, 'TEXT', `div(${u}, 100000000)`, `mod(${u}, 100000000)`, 'FLOAT8'),
  // Rounded to whole units like DuckDB's DECIMAL(38,8) cast, so the sums stay integers.
  unitsCorrection: (c) => `round(CAST(CAST(${c} AS TEXT) AS NUMERIC) * 100000000) - CAST(${c} * CAST(100000000 AS FLOAT8) AS BIGINT)`,
};

const VOLUME_COLUMNS = ['volume', 'quote_volume', 'taker_buy_base', 'taker_buy_quote'] as const;

/**
 * Bars of `interval` built from the stored series `src` (whose interval divides it), or null
 * when the window holds no whole bucket start. A bucket is returned only if it holds a stored row.
 */
export function aggregateCandlesQuery(sql: AggregateSql, src: SourceSeries, interval: Interval, from: number, to: number): CandleQuery | null {
  const len = intervalMs(interval);
  // A bucket b is in [from, to) exactly when its stored rows lie in [alignUp(from), alignUp(to)).
  const lo = alignUp(from, len);
  const hi = alignUp(to, len);
  if (hi <= lo) return null;
  if (src.interval === interval) return readCandlesQuery(src, lo, hi);
  const where = 'series_id = $1 AND open_time >= $2 AND open_time < $3';
  const rows = `SELECT open_time - open_time % ${len} AS b, * FROM candles WHERE ${where}`;
  const minutes = `count(*) * ${intervalMs(src.interval) / MINUTE_MS}`;
  const params = [src.id, lo, hi];
  if (src.volumeMax !== null && src.volumeMax < UNITS_FIT_BELOW) {
    // Units summed as integers; where a row may reach 2^24, the differences its large rows'
    // text makes (`volume_corrections`, kept by every write) are added per bucket.
    const corrected = src.volumeMax >= UNITS_EXACT_BELOW;
    const total = (c: string): string => (corrected ? `(g.u_${c} + coalesce(k.d_${c}, 0))` : `g.u_${c}`);
    const [v, q, tb, tq] = VOLUME_COLUMNS.map((c) => sql.unitsToDouble(total(c)));
    const join = corrected
      ? `LEFT JOIN (SELECT open_time - open_time % ${len} AS b, ${VOLUME_COLUMNS.map((c) => `sum(${c}) AS d_${c}`).join(', ')}
         FROM volume_corrections WHERE ${where} GROUP BY 1) AS k ON k.b = g.b`
      : '';
    return {
      sql: `SELECT g.b, g.o, g.h, g.l, g.c, ${v}, g.b + ${len - 1}, ${q}, g.t, ${tb}, ${tq}, g.n
     FROM (SELECT b, ${sql.first('open')} AS o, max(high) AS h, min(low) AS l, ${sql.last('close')} AS c,
             ${VOLUME_COLUMNS.map((c) => `${sql.unitsSum(c)} AS u_${c}`).join(', ')},
             CAST(sum(trades) AS BIGINT) AS t, ${minutes} AS n
           FROM (${rows}) AS m GROUP BY b) AS g
     ${join}
     ORDER BY g.b`,
      params,
    };
  }
  const s = sql.exactSum;
  return {
    sql: `SELECT b, ${sql.first('open')}, max(high), min(low), ${sql.last('close')}, ${s('volume')}, b + ${len - 1},
       ${s('quote_volume')}, CAST(sum(trades) AS BIGINT), ${s('taker_buy_base')}, ${s('taker_buy_quote')}, ${minutes}
     FROM (${rows}) AS m
     GROUP BY b ORDER BY b`,
    params,
  };
}

/** The largest of the four volume columns over `candles`, for `series_volume_max`. */
export function volumeMaxOf(candles: CandleColumns): number {
  let max = 0;
  for (let i = 0; i < candles.length; i++) {
    max = Math.max(max, candles.volume[i] as number, candles.quoteVolume[i] as number, candles.takerBuyBase[i] as number, candles.takerBuyQuote[i] as number);
  }
  return max;
}

/**
 * The `volume_corrections` rows of the stored rows matching `where`: one per row with a volume
 * column of ≥ 2^24 (below 9e10), each column's exact units from its text less the units the
 * integer sum counts for it (0 for a small column). Shared by migration 7 and every write.
 */
export function volumeCorrectionRowsSql(sql: AggregateSql, where: string): string {
  const large = (c: string): string => `${c} >= ${UNITS_EXACT_BELOW} AND ${c} < ${UNITS_FIT_BELOW}`;
  return `SELECT series_id, open_time, ${VOLUME_COLUMNS.map((c) => `CASE WHEN ${large(c)} THEN ${sql.unitsCorrection(c)} ELSE 0 END`).join(', ')}
FROM candles WHERE (${where}) AND (${VOLUME_COLUMNS.map((c) => `(${large(c)})`).join(' OR ')})`;
}

/**
 * Inside a candle write's transaction, after its rows are in: raises `series_volume_max` to cover
 * them and, for a series that has reached 2^24, recomputes the volume corrections of the written
 * range from the rows now stored there (a replaced row's correction goes with it).
 */
export async function noteVolumesSql(db: SqlExecutor, sql: AggregateSql, id: number, candles: CandleColumns): Promise<void> {
  const first = candles.openTime[0] as number;
  const last = candles.openTime[candles.length - 1] as number;
  await db.run(
    `INSERT INTO series_volume_max (series_id, volume_max) VALUES ($1, $2)
     ON CONFLICT (series_id) DO UPDATE SET volume_max = greatest(series_volume_max.volume_max, excluded.volume_max)`,
    [id, volumeMaxOf(candles)],
  );
  const bound = toNumberOrNull((await db.all('SELECT volume_max FROM series_volume_max WHERE series_id = $1', [id]))[0]?.[0], 'volume_max');
  if (bound === null || bound < UNITS_EXACT_BELOW) return;
  await db.run('DELETE FROM volume_corrections WHERE series_id = $1 AND open_time >= $2 AND open_time <= $3', [id, first, last]);
  await db.run(`INSERT INTO volume_corrections ${volumeCorrectionRowsSql(sql, 'series_id = $1 AND open_time >= $2 AND open_time <= $3')}`, [id, first, last]);
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

/** True when the series has any stored candle with first ≤ open_time ≤ last. */
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

export async function rangeHasRows(db: SqlExecutor, id: number, first: number, last: number): Promise<boolean> {
  const rows = await db.all('SELECT 1 FROM candles WHERE series_id = $1 AND open_time >= $2 AND open_time <= $3 LIMIT 1', [id, first, last]);
  return rows.length > 0;
}
