/**
 * The embedded default store: one DuckDB file, one connection for everything but streamed
 * reads. Bulk candle writes go through the Appender into a temp staging table, then one
 * INSERT … SELECT (fresh range) or an UPDATE + anti-join INSERT over the written range, in the
 * same transaction: `candles` has no key index (migration 002 says why).
 * @see https://duckdb.org/docs/stable/data/appender
 * @see https://duckdb.org/docs/stable/configuration/overview
 */
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { SOURCE_RANK, type CandleColumns, type CandleSource } from '../../core/candle.js';
import { DUCKDB_DEFAULTS } from '../../core/config.js';
import { intervalMs, type Interval } from '../../core/intervals.js';
import { StoreError } from '../../core/errors.js';
import type { SeriesKey } from '../../core/instrument.js';
import { assertAscending } from '../sql/assert-ascending.js';
import { aggregateCandlesQuery, DUCKDB_AGGREGATE } from '../sql/aggregate-sql.js';
import { noteVolumesSql } from '../sql/volume-notes.js';
import { mergeFromStageSql, rangeHasRows, storedBarWindow, type CandleQuery, type CandleRows } from '../sql/candle-sql.js';
import { writeManifestSql } from '../sql/catalog-sql.js';
import { checkedChunkRows, SqlStore } from '../sql/sql-store.js';
import { col, toNumber, toText } from '../sql/sql-values.js';
import { addTaskRowsSql } from '../sql/runs-sql.js';
import type { ArchiveManifestEntry, CandleChunk, StreamCandlesOptions, WriteCandlesOptions } from '../store.js';
import { appendCandles, createStage, DUCKDB_STAGE, fillStage } from './duckdb-candle-stage.js';
import { lockErrorFrom } from './duckdb-lock-error.js';
import { readCandleColumns, streamCandleColumns } from './duckdb-read-columns.js';
import { DuckDbSession, executor, wrap } from './duckdb-session.js';

/** Where the embedded store lives when no --db is given. */
export const DEFAULT_DUCKDB_FILE = './tickerflow-data/tickerflow.duckdb';


export interface DuckDbOptions {
  now?: () => number;
  /** DuckDB `memory_limit`, e.g. "1GB" (default DUCKDB_DEFAULTS.memoryLimit). */
  memoryLimit?: string;
  /** DuckDB `threads` (default DUCKDB_DEFAULTS.threads). */
  threads?: number;
}

export class DuckDbStore extends SqlStore {
  readonly kind = 'duckdb' as const;
  readonly writeConcurrency = 1;

  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly session: DuckDbSession,
    readonly location: string,
    now: (() => number) | undefined,
    private readonly sideSession: DuckDbSession,
  ) {
    super(session, DUCKDB_AGGREGATE, now, sideSession);
  }

  /**
   * Opens (creating if needed) the DuckDB file and its folder. Does not migrate; call migrate().
   * @throws StoreLockedError when another process holds the file.
   * @throws StoreError when DuckDB refuses the memory limit or thread count.
   */
  static async open(file: string = DEFAULT_DUCKDB_FILE, options: DuckDbOptions = {}): Promise<DuckDbStore> {
    const path = file === ':memory:' ? file : resolve(file);
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });
    const threads = options.threads ?? DUCKDB_DEFAULTS.threads;
    if (!Number.isInteger(threads) || threads < 1) throw new StoreError(`DuckDB threads must be a positive integer, got ${threads}`);
    const config = { memory_limit: options.memoryLimit ?? DUCKDB_DEFAULTS.memoryLimit, threads: String(threads) };
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (err) {
      throw lockErrorFrom(err, path) ??
        new StoreError(`could not open DuckDB file ${path} (memory_limit ${config.memory_limit}, threads ${config.threads}): ${String(err)}`, { cause: err });
    }
    const connection = await instance.connect();
    await createStage(connection);
    return new DuckDbStore(instance, new DuckDbSession(connection), path, options.now, new DuckDbSession(await instance.connect()));
  }

  async writeCandles(series: SeriesKey, candles: CandleColumns, source: CandleSource, manifest?: ArchiveManifestEntry, options: WriteCandlesOptions = {}): Promise<number> {
    assertAscending(candles);
    if (candles.length === 0 && !manifest) return 0;
    const id = candles.length > 0 ? await this.series.ensure(series) : null;
    let bound: number | null = null;
    const changed = await this.session.transactionWithConnection(async (tx, conn) => {
      let changed = 0;
      if (id !== null) {
        const first = candles.openTime[0] as number;
        const last = candles.openTime[candles.length - 1] as number;
        // One connection writes this file, so nothing can fill the range between check and insert.
        const held = await rangeHasRows(tx, id, first, last);
        if (!held) {
          await appendCandles(conn, id, SOURCE_RANK[source], candles);
          changed = candles.length;
        } else {
          await fillStage(conn, candles);
          const merge = mergeFromStageSql(DUCKDB_STAGE, source);
          changed = (await tx.run(merge.update, [id, first, last])) + (await tx.run(merge.insertMissing, [id, first, last]));
        }
        bound = await noteVolumesSql(tx, DUCKDB_AGGREGATE, this.volumeBounds, id, candles, held);
      }
      if (manifest) await writeManifestSql(tx, manifest);
      if (options.taskId !== undefined) await addTaskRowsSql(tx, options.taskId, changed);
      return changed;
    });
    if (id !== null && bound !== null) this.volumeBounds.committed(id, bound);
    return changed;
  }

  protected override async queryCandles(q: CandleQuery): Promise<CandleRows> {
    const conn = await this.instance.connect();
    try {
      return await readCandleColumns(conn, q);
    } catch (err) {
      throw wrap(err, q.sql);
    } finally {
      conn.closeSync();
    }
  }

  /**
   * Time windows of at most `chunkRows` bars, one query each, on a connection of its own inside
   * one read transaction: every window sees the same snapshot, and a slow consumer never holds
   * the queue the writers wait in (DuckDB connections of one instance read concurrently). One
   * query over the whole window sorted all of it first: on 3 years of 1m that sort held ≈ 150 MB
   * (peak RSS of `candles --format csv` 505 MB against 2xx MB paged, same CPU). Aborting stops
   * between chunks and closes the connection.
   */
  override async *streamCandles(exchange: string, symbol: string, interval: Interval, from: number, to: number, options: StreamCandlesOptions = {}): AsyncIterable<CandleChunk> {
    const chunkRows = checkedChunkRows(options.chunkRows);
    options.signal?.throwIfAborted();
    const src = await this.sourceSeries(exchange, symbol, interval, from, to);
    if (src === null) return;
    const len = intervalMs(interval);
    const conn = await this.instance.connect();
    let sql = 'BEGIN TRANSACTION';
    try {
      await conn.run(sql);
      const db = executor(conn);
      const window = await storedBarWindow(db, src.id, len, from, to);
      for (let start = window?.start ?? to; start < (window?.end ?? to); start += chunkRows * len) {
        const q = await aggregateCandlesQuery(db, this.aggregateSql, src, interval, start, Math.min(window?.end ?? to, start + chunkRows * len));
        if (q === null) continue;
        sql = q.sql;
        for await (const rows of streamCandleColumns(conn, q, chunkRows, options.signal)) yield { ...rows, source: src.interval };
      }
    } catch (err) {
      throw options.signal?.aborted ? err : wrap(err, sql);
    } finally {
      // Closing the connection ends its read-only transaction.
      conn.closeSync();
    }
  }

  /** DuckDB's memory_limit and threads as in effect (as DuckDB prints them, e.g. "953.6 MiB"). */
  async settings(): Promise<{ memoryLimit: string; threads: number }> {
    const rows = await this.session.all("SELECT current_setting('memory_limit'), current_setting('threads')");
    const r = rows[0] ?? [];
    return { memoryLimit: toText(col(r, 0), 'memory_limit'), threads: toNumber(col(r, 1), 'threads') };
  }

  /** None: one process holds a DuckDB file, and its in-process governor sees all its requests. */
  weightLedger(): null {
    return null;
  }

  protected async sizeOnDisk(): Promise<number | null> {
    if (this.location === ':memory:') return null;
    let bytes = 0;
    for (const f of [this.location, `${this.location}.wal`]) bytes += await stat(f).then((s) => s.size, () => 0);
    return bytes;
  }

  async close(): Promise<void> {
    await this.sideSession.exclusive(async (_db, conn) => conn.closeSync());
    await this.session.exclusive(async (_db, conn) => {
      // A checkpoint folds the WAL into the file so the next open does not replay it.
      await conn.run('CHECKPOINT').catch(() => undefined);
      conn.closeSync();
    });
    this.instance.closeSync();
  }
}
