/**
 * The scale-out store: PostgreSQL through a pg Pool. Bulk candle writes are a binary COPY into
 * a temp staging table, then INSERT … ON CONFLICT into `candles`, in one transaction.
 * @see https://www.postgresql.org/docs/current/sql-insert.html#SQL-ON-CONFLICT
 */
import type { CandleColumns, CandleSource } from '../../core/candle.js';
import type { SeriesKey } from '../../core/instrument.js';
import { assertAscending } from '../sql/assert-ascending.js';
import { POSTGRES_AGGREGATE } from '../sql/aggregate-sql.js';
import { noteVolumesSql } from '../sql/volume-notes.js';
import { rangeHasRows, upsertFromStageSql, type CandleQuery, type CandleRows } from '../sql/candle-sql.js';
import { writeManifestSql } from '../sql/catalog-sql.js';
import { SqlStore } from '../sql/sql-store.js';
import { col, toNumber } from '../sql/sql-values.js';
import { addTaskRowsSql } from '../sql/runs-sql.js';
import type { ArchiveManifestEntry, WriteCandlesOptions } from '../store.js';
import { copyIntoCandles, fillStage, forgetStage, PG_STAGE } from './postgres-candle-stage.js';
import { PostgresSession } from './postgres-session.js';
import { readCandleColumns } from './postgres-read-columns.js';
import { redactUrl } from './redact-url.js';
import { PostgresWeightLedger } from './postgres-weight-ledger.js';

/** PostgreSQL's unique_violation, anywhere in the cause chain. */
function isUniqueViolation(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if ('code' in e && e.code === '23505') return true;
  }
  return false;
}

export class PostgresStore extends SqlStore {
  readonly kind = 'postgres' as const;
  readonly writeConcurrency = 2;
  /** The connection URL without its password. */
  readonly location: string;

  private constructor(private readonly session: PostgresSession, url: string, now?: () => number) {
    super(session, POSTGRES_AGGREGATE, now);
    this.location = redactUrl(url);
  }

  /** Creates the pool (connections open lazily). Does not migrate; call migrate(). */
  static open(url: string, options: { now?: () => number; maxConnections?: number } = {}): PostgresStore {
    return new PostgresStore(new PostgresSession(url, options.maxConnections), url, options.now);
  }

  async writeCandles(series: SeriesKey, candles: CandleColumns, source: CandleSource, manifest?: ArchiveManifestEntry, options: WriteCandlesOptions = {}): Promise<number> {
    assertAscending(candles);
    if (candles.length === 0 && !manifest) return 0;
    const id = candles.length > 0 ? await this.series.ensure(series) : null;
    try {
      return await this.writeOnce(id, candles, source, manifest, options, true);
    } catch (err) {
      // Another writer filled the range between our check and our plain insert: redo as an upsert.
      if (!isUniqueViolation(err)) throw err;
      return this.writeOnce(id, candles, source, manifest, options, false);
    }
  }

  private async writeOnce(
    id: number | null, candles: CandleColumns, source: CandleSource, manifest: ArchiveManifestEntry | undefined, options: WriteCandlesOptions, allowPlainInsert: boolean,
  ): Promise<number> {
    let bound: number | null = null;
    const changed = await this.session.transactionWithClient(async (tx, client) => {
      try {
        let changed = 0;
        if (id !== null) {
          const first = candles.openTime[0] as number;
          const last = candles.openTime[candles.length - 1] as number;
          // The plain insert fails on any row another writer put in the range meanwhile (its key).
          const held = !allowPlainInsert || (await rangeHasRows(tx, id, first, last));
          if (!held) {
            changed = await copyIntoCandles(client, id, source, candles);
          } else {
            await fillStage(client, candles);
            changed = await tx.run(upsertFromStageSql(PG_STAGE, source), [id]);
          }
          bound = await noteVolumesSql(tx, POSTGRES_AGGREGATE, this.volumeBounds, id, candles, held);
        }
        if (manifest) await writeManifestSql(tx, manifest);
        if (options.taskId !== undefined) await addTaskRowsSql(tx, options.taskId, changed);
        return changed;
      } catch (err) {
        forgetStage(client);
        throw err;
      }
    });
    if (id !== null && bound !== null) this.volumeBounds.committed(id, bound);
    return changed;
  }

  /** On the store's pool: each reservation is one short autocommit statement. */
  weightLedger(): PostgresWeightLedger {
    return new PostgresWeightLedger(this.session);
  }

  protected override queryCandles(q: CandleQuery): Promise<CandleRows> {
    return this.session.withClient((client) => readCandleColumns(client, q));
  }

  protected async sizeOnDisk(): Promise<number | null> {
    const rows = await this.session.all('SELECT pg_database_size(current_database())');
    return toNumber(col(rows[0] ?? [], 0), 'database size');
  }

  close(): Promise<void> {
    return this.session.end();
  }
}
