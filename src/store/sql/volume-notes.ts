/**
 * What every candle write keeps for the exact volume sums of aggregate-sql.ts: the series'
 * `series_volume_max`, and for a series that has reached 2^24, the `volume_corrections` of the
 * rows it wrote. A write that can change neither asks nothing (`VolumeBounds`): on the 30 × 24
 * scale backfill the upsert alone took 4–16 s of the writer's time, most of it for files that
 * changed nothing.
 */
import type { CandleColumns } from '../../core/candle.js';
import { UNITS_EXACT_BELOW, volumeCorrectionRowsSql, type AggregateSql } from './aggregate-sql.js';
import type { SqlExecutor } from './sql-session.js';
import { toNumberOrNull } from './sql-values.js';

/** The largest of the four volume columns over `candles`, for `series_volume_max`. */
export function volumeMaxOf(candles: CandleColumns): number {
  let max = 0;
  for (let i = 0; i < candles.length; i++) {
    max = Math.max(max, candles.volume[i] as number, candles.quoteVolume[i] as number, candles.takerBuyBase[i] as number, candles.takerBuyQuote[i] as number);
  }
  return max;
}

/**
 * The `series_volume_max` each series had when this store last saw a write of it commit. The
 * column only ever grows (`greatest`) and no candle is ever deleted, so a value seen committed
 * stays a lower bound, whatever another process wrote since.
 */
export class VolumeBounds {
  readonly #seen = new Map<number, number>();

  /**
   * True when a write of rows whose largest volume is `volumeMax`, into a range of series `id`
   * that held no rows, has nothing to note: the bound already covers it, so the upsert would
   * change nothing, and below 2^24 none of its rows needs a correction (and a range with no
   * rows had none to remove).
   */
  covers(id: number, volumeMax: number): boolean {
    const seen = this.#seen.get(id);
    return seen !== undefined && volumeMax <= seen && volumeMax < UNITS_EXACT_BELOW;
  }

  /** Records the bound a write's transaction returned, once that transaction has committed. */
  committed(id: number, bound: number): void {
    this.#seen.set(id, Math.max(bound, this.#seen.get(id) ?? 0));
  }
}

/**
 * Inside a candle write's transaction, after its rows are in: raises `series_volume_max` to cover
 * them and, for a series that has reached 2^24, recomputes the volume corrections of the written
 * range from the rows now stored there (a replaced row's correction goes with it). Asks nothing
 * when `bounds` covers a write into a range that held no rows.
 *
 * Returns the series' bound, for `bounds.committed` once the transaction has committed (not
 * before: a rollback takes the raise back), or null when nothing was asked.
 */
export async function noteVolumesSql(
  db: SqlExecutor, sql: AggregateSql, bounds: VolumeBounds, id: number, candles: CandleColumns, rangeHeldRows: boolean,
): Promise<number | null> {
  const volumeMax = volumeMaxOf(candles);
  if (!rangeHeldRows && bounds.covers(id, volumeMax)) return null;
  const first = candles.openTime[0] as number;
  const last = candles.openTime[candles.length - 1] as number;
  const raised = await db.all(
    `INSERT INTO series_volume_max (series_id, volume_max) VALUES ($1, $2)
     ON CONFLICT (series_id) DO UPDATE SET volume_max = greatest(series_volume_max.volume_max, excluded.volume_max)
     RETURNING volume_max`,
    [id, volumeMax],
  );
  const bound = toNumberOrNull(raised[0]?.[0], 'volume_max');
  if (bound === null || bound < UNITS_EXACT_BELOW) return bound;
  await db.run('DELETE FROM volume_corrections WHERE series_id = $1 AND open_time >= $2 AND open_time <= $3', [id, first, last]);
  await db.run(`INSERT INTO volume_corrections ${volumeCorrectionRowsSql(sql, 'series_id = $1 AND open_time >= $2 AND open_time <= $3')}`, [id, first, last]);
  return bound;
}
