/**
 * The small integer id of each (exchange, symbol, interval) series (migration 002). Ids are never
 * reused or changed, so a resolved id is cached for the life of the store.
 */
import { isInterval, type Interval } from '../../core/intervals.js';
import type { SeriesKey } from '../../core/instrument.js';
import type { SqlExecutor } from './sql-session.js';
import { col, toNumber, toNumberOrNull, toText } from './sql-values.js';

function keyOf(s: SeriesKey): string {
  return JSON.stringify([s.exchange, s.symbol, s.interval]);
}

export class SeriesIds {
  readonly #known = new Map<string, number>();

  constructor(private readonly db: SqlExecutor) {}

  /** The series' id, or null when nothing was ever written to it (not cached: another process may add it). */
  async find(s: SeriesKey): Promise<number | null> {
    const cached = this.#known.get(keyOf(s));
    if (cached !== undefined) return cached;
    const rows = await this.db.all('SELECT id FROM series WHERE exchange = $1 AND symbol = $2 AND "interval" = $3', [s.exchange, s.symbol, s.interval]);
    const r = rows[0];
    if (!r) return null;
    const id = toNumber(col(r, 0), 'series id');
    this.#known.set(keyOf(s), id);
    return id;
  }

  /**
   * The series' id, registering the series first if needed. Runs outside the candle write's
   * transaction: a registered series without rows is harmless (every read counts rows), and the
   * cache then never holds an id a rollback took back.
   */
  async ensure(s: SeriesKey): Promise<number> {
    const known = await this.find(s);
    if (known !== null) return known;
    await this.db.run('INSERT INTO series (exchange, symbol, "interval") VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [s.exchange, s.symbol, s.interval]);
    const id = await this.find(s);
    if (id === null) throw new Error(`unreachable: series ${keyOf(s)} missing right after its insert`);
    return id;
  }

  /** Every stored interval of one instrument, with its series id and volume bound (read fresh: writes raise it). */
  async intervalsOf(exchange: string, symbol: string): Promise<Array<{ id: number; interval: Interval; volumeMax: number | null }>> {
    const rows = await this.db.all(`SELECT s.id, s."interval", v.volume_max FROM series s LEFT JOIN series_volume_max v ON v.series_id = s.id
       WHERE s.exchange = $1 AND s.symbol = $2`, [exchange, symbol]);
    const out: Array<{ id: number; interval: Interval; volumeMax: number | null }> = [];
    for (const r of rows) {
      const interval = toText(col(r, 1), 'interval');
      if (isInterval(interval)) out.push({ id: toNumber(col(r, 0), 'series id'), interval, volumeMax: toNumberOrNull(col(r, 2), 'volume_max') });
    }
    return out;
  }
}
