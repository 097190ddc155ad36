/**
 * The embedded default store: one DuckDB file, one connection. Bulk candle writes go through
 * the Appender into a temp staging table, then one INSERT … ON CONFLICT in the same transaction.
 * @see https://duckdb.org/docs/stable/data/appender
 */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { CandleColumns, CandleSource } from '../../core/candle.js';
import { BadInputError, StoreError } from '../../core/errors.js';
import type { SeriesKey } from '../../core/instrument.js';
import { DUCKDB_FIRST_LAST, insertFromStageSql, rangeHasRows, upsertFromStageSql, type CandleQuery } from '../sql/candle-sql.js';
import { writeManifestSql } from '../sql/catalog-sql.js';
import { SqlStore } from '../sql/sql-store.js';
import type { ArchiveManifestEntry } from '../store.js';
import { createStage, DUCKDB_STAGE, fillStage } from './duckdb-candle-stage.js';
import { lockErrorFrom } from './duckdb-lock-error.js';
import { readCandleColumns } from './duckdb-read-columns.js';
import { DuckDbSession, wrap } from './duckdb-session.js';

/** Where the embedded store lives when no --db is given. */
export const DEFAULT_DUCKDB_FILE = './tickerflow-data/tickerflow.duckdb';

/** Throws unless open times strictly increase: one upsert statement may touch each key once. */
export function assertAscending(c: CandleColumns): void {
  for (let i = 1; i < c.length; i++) {
    if (!((c.openTime[i] as number) > (c.openTime[i - 1] as number))) {
      throw new BadInputError(`candles must be sorted by open time without duplicates (row ${i + 1}: ${c.openTime[i]})`);
    }
  }
}

export class DuckDbStore extends SqlStore {
  readonly kind = 'duckdb' as const;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly session: DuckDbSession,
    readonly location: string,
    now?: () => number,
  ) {
    super(session, DUCKDB_FIRST_LAST, now);
  }

  /**
   * Opens (creating if needed) the DuckDB file and its folder. Does not migrate; call migrate().
   * @throws StoreLockedError when another process holds the file.
   */
  static async open(file: string = DEFAULT_DUCKDB_FILE, options: { now?: () => number } = {}): Promise<DuckDbStore> {
    const path = file === ':memory:' ? file : resolve(file);
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path);
    } catch (err) {
      throw lockErrorFrom(err, path) ?? new StoreError(`could not open DuckDB file ${path}: ${String(err)}`, { cause: err });
    }
    const connection = await instance.connect();
    await createStage(connection);
    return new DuckDbStore(instance, new DuckDbSession(connection), path, options.now);
  }

  async writeCandles(series: SeriesKey, candles: CandleColumns, source: CandleSource, manifest?: ArchiveManifestEntry): Promise<number> {
    assertAscending(candles);
    if (candles.length === 0 && !manifest) return 0;
    return this.session.transactionWithConnection(async (tx, conn) => {
      let changed = 0;
      if (candles.length > 0) {
        await fillStage(conn, candles);
        // One connection writes this file, so nothing can fill the range between check and insert.
        const fresh = !(await rangeHasRows(tx, series, candles.openTime[0] as number, candles.openTime[candles.length - 1] as number));
        const sql = fresh ? insertFromStageSql(DUCKDB_STAGE) : upsertFromStageSql(DUCKDB_STAGE, source);
        changed = await tx.run(sql, [series.exchange, series.symbol, series.interval, source]);
      }
      if (manifest) await writeManifestSql(tx, manifest);
      return changed;
    });
  }

  protected override queryCandles(q: CandleQuery): Promise<CandleColumns> {
    return this.session.exclusive((_db, conn) => readCandleColumns(conn, q).catch((err: unknown) => Promise.reject(wrap(err, q.sql))));
  }

  async close(): Promise<void> {
    await this.session.exclusive(async (_db, conn) => {
      // A checkpoint folds the WAL into the file so the next open does not replay it.
      await conn.run('CHECKPOINT').catch(() => undefined);
      conn.closeSync();
    });
    this.instance.closeSync();
  }
}
