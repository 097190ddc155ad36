/**
 * The scale-out store: PostgreSQL through a pg Pool. Bulk candle writes are a binary COPY into
 * a temp staging table, then INSERT … ON CONFLICT into `candles`, in one transaction.
 * @see https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT
 */
import type { CandleColumns, CandleSource } from '../../core/candle.js';
import type { SeriesKey } from '../../core/instrument.js';
import { assertAscending } from '../duckdb/duckdb-store.js';
import { POSTGRES_FIRST_LAST, rangeHasRows, upsertFromStageSql, type CandleQuery } from '../sql/candle-sql.js';
import { writeManifestSql } from '../sql/catalog-sql.js';
import { SqlStore } from '../sql/sql-store.js';
import type { ArchiveManifestEntry } from '../store.js';
import { copyIntoCandles, fillStage, forgetStage, PG_STAGE } from './postgres-candle-stage.js';
import { PostgresSession } from './postgres-session.js';
import { readCandleColumns } from './postgres-read-columns.js';
import { redactUrl } from './redact-url.js';

/** PostgreSQL's unique_violation, anywhere in the cause chain. */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if ('code' in e && e.code === '23505') return true;
  }
  return false;
}

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  /** The connection URL without its password. */
  readonly location: string;

  private constructor(private readonly session: PostgresSession, url: string, now?: () => number) {
    super(session, POSTGRES_FIRST_LAST, now);
    this.location = redactUrl(url);
  }

  /** Creates the pool (connections open lazily). Does not migrate; call migrate(). */
  static open(url: string, options: { now?: () => number; maxConnections?: number } = {}): PostgresStore {
    return new PostgresStore(new PostgresSession(url, options.maxConnections), url, options.now);
  }

  async writeCandles(series: SeriesKey, candles: CandleColumns, source: CandleSource, manifest?: ArchiveManifestEntry): Promise<number> {
    assertAscending(candles);
    if (candles.length === 0 && !manifest) return 0;
    try {
      return await this.writeOnce(series, candles, source, manifest, true);
    } catch (err) {
      // Another writer filled the range between our check and our plain insert: redo as an upsert.
      if (!isUniqueViolation(err)) throw err;
      return this.writeOnce(series, candles, source, manifest, false);
    }
  }

  private writeOnce(
    series: SeriesKey, candles: CandleColumns, source: CandleSource, manifest: ArchiveManifestEntry | undefined, allowPlainInsert: boolean,
  ): Promise<number> {
    return this.session.transactionWithClient(async (tx, client) => {
      try {
        let changed = 0;
        if (candles.length > 0) {
          const first = candles.openTime[0] as number;
          const last = candles.openTime[candles.length - 1] as number;
          if (allowPlainInsert && !(await rangeHasRows(tx, series, first, last))) {
            changed = await copyIntoCandles(client, series, source, candles);
          } else {
            await fillStage(client, candles);
            changed = await tx.run(upsertFromStageSql(PG_STAGE, source), [series.exchange, series.symbol, series.interval, source]);
          }
        }
        if (manifest) await writeManifestSql(tx, manifest);
        return changed;
      } catch (err) {
        forgetStage(client);
        throw err;
      }
    });
  }

  protected override queryCandles(q: CandleQuery): Promise<CandleColumns> {
    return this.session.withClient((client) => readCandleColumns(client, q));
  }

  close(): Promise<void> {
    return this.session.end();
  }
}
