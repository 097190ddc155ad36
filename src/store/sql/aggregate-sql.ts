/**
 * The aggregation of stored candles into larger buckets, equal to the exchange's own klines in
 * every field: first open, last close, max high, min low, and volumes summed exactly as decimals
 * (integer units of 1e-8, corrected from the text of the rare large rows). What every candle
 * write keeps for that sum (`series_volume_max`, `volume_corrections`, migration 7) is in
 * volume-notes.ts.
 */
import { intervalMs, MINUTE_MS, type Interval } from '../../core/intervals.js';
import { alignUp, readCandlesQuery, type CandleQuery, type SourceSeries } from './candle-sql.js';
import type { SqlExecutor, SqlParam } from './sql-session.js';

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
 * The most corrected buckets a window's corrections are written into its query for, as one
 * `CASE` per volume column on the bucket; above it they are joined from `volume_corrections`.
 * A real series has few large rows (fast-moving minutes). On a 10-symbol × 24-month store the
 * 1h aggregate took 1.51–1.63× DuckDB's float-sum `GROUP BY` with the join, 1.37–1.45× with
 * the constants (docs/BENCHMARKS.md); a `CASE` of some hundred branches is still cheap per bucket.
 */
export const INLINE_CORRECTIONS_MAX = 64;

/** The text of an integer from either engine (a bigint, a number or a numeric's text), checked. */
function integerLiteral(v: unknown): string {
  const text = String(v);
  if (!/^-?\d+$/.test(text)) throw new Error(`volume_corrections: expected an integer, got ${text}`);
  return text;
}

/**
 * For each volume column, the `WHEN bucket THEN units` branches of the window's corrected
 * buckets (summed per bucket, zeros left out), or null when more than INLINE_CORRECTIONS_MAX
 * buckets hold corrections.
 */
async function bucketCorrections(db: SqlExecutor, len: number, where: string, params: SqlParam[]): Promise<string[][] | null> {
  const rows = await db.all(
    `SELECT open_time - open_time % ${len} AS b, ${VOLUME_COLUMNS.map((c) => `sum(${c})`).join(', ')}
     FROM volume_corrections WHERE ${where} GROUP BY 1 LIMIT ${INLINE_CORRECTIONS_MAX + 1}`,
    params,
  );
  if (rows.length > INLINE_CORRECTIONS_MAX) return null;
  const literals = rows.map((r) => r.map(integerLiteral));
  // Most large rows need no correction (their multiply is exact): a column with none gets no `CASE`.
  return VOLUME_COLUMNS.map((_, k) => literals.filter((r) => r[k + 1] !== '0').map((r) => `WHEN ${r[0]} THEN ${r[k + 1]}`));
}

/**
 * Bars of `interval` built from the stored series `src` (whose interval divides it), or null
 * when the window holds no whole bucket start. A bucket is returned only if it holds a stored row.
 * For a series with rows of ≥ 2^24, the window's volume corrections are read first through `db`.
 */
export async function aggregateCandlesQuery(db: SqlExecutor, sql: AggregateSql, src: SourceSeries, interval: Interval, from: number, to: number): Promise<CandleQuery | null> {
  const len = intervalMs(interval);
  // A bucket b is in [from, to) exactly when its stored rows lie in [alignUp(from), alignUp(to)).
  const lo = alignUp(from, len);
  const hi = alignUp(to, len);
  if (hi <= lo) return null;
  if (src.interval === interval) return readCandlesQuery(src, lo, hi);
  const where = 'series_id = $1 AND open_time >= $2 AND open_time < $3';
  const rows = `SELECT open_time - open_time % ${len} AS b, * FROM candles WHERE ${where}`;
  const minutes = `count(*) * ${intervalMs(src.interval) / MINUTE_MS}`;
  const params: SqlParam[] = [src.id, lo, hi];
  if (src.volumeMax !== null && src.volumeMax < UNITS_FIT_BELOW) {
    // Units summed as integers; where a row may reach 2^24, the differences its large rows'
    // text makes (`volume_corrections`, kept by every write) are added per bucket.
    const inline = src.volumeMax >= UNITS_EXACT_BELOW ? await bucketCorrections(db, len, where, params) : VOLUME_COLUMNS.map(() => []);
    const total = (c: string, k: number): string => {
      if (inline === null) return `g.u_${c} + coalesce(k.d_${c}, 0)`;
      const branches = inline[k] ?? [];
      return branches.length === 0 ? `g.u_${c}` : `g.u_${c} + CASE g.b ${branches.join(' ')} ELSE 0 END`;
    };
    const [v, q, tb, tq] = VOLUME_COLUMNS.map((c) => sql.unitsToDouble(`x.u_${c}`));
    const join = inline === null
      ? `LEFT JOIN (SELECT open_time - open_time % ${len} AS b, ${VOLUME_COLUMNS.map((c) => `sum(${c}) AS d_${c}`).join(', ')}
         FROM volume_corrections WHERE ${where} GROUP BY 1) AS k ON k.b = g.b`
      : '';
    // The corrected totals in a layer of their own, so each is computed once, not once per use.
    return {
      sql: `SELECT x.b, x.o, x.h, x.l, x.c, ${v}, x.b + ${len - 1}, ${q}, x.t, ${tb}, ${tq}, x.n
     FROM (SELECT g.b, g.o, g.h, g.l, g.c, ${VOLUME_COLUMNS.map((c, k) => `${total(c, k)} AS u_${c}`).join(', ')}, g.t, g.n
       FROM (SELECT b, ${sql.first('open')} AS o, max(high) AS h, min(low) AS l, ${sql.last('close')} AS c,
               ${VOLUME_COLUMNS.map((c) => `${sql.unitsSum(c)} AS u_${c}`).join(', ')},
               CAST(sum(trades) AS BIGINT) AS t, ${minutes} AS n
             FROM (${rows}) AS m GROUP BY b) AS g
       ${join}) AS x
     ORDER BY x.b`,
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
