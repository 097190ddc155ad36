/**
 * Everything of the Store contract that is plain SQL, written once for both engines over a
 * SqlSession. A backend adds its connection handling and its bulk candle write path.
 */
import { allocateColumns, type CandleColumns, type CandleSource } from '../../core/candle.js';
import { intervalMs, type Interval } from '../../core/intervals.js';
import type { Instrument, SeriesKey, UniverseSnapshot } from '../../core/instrument.js';
import type { WeightLedger } from '../../core/weight-ledger.js';
import { BadInputError, ConfigError } from '../../core/errors.js';
import { runMigrations } from '../migrations/run-migrations.js';
import type {
  ArchiveManifestEntry, CandleChunk, Gap, GapStatus, JobRun, MissingRange, RunStatus, SeriesStats, Store, StorageStats, StreamCandlesOptions, TaskLogLine, TaskRun, WriteCandlesOptions,
} from '../store.js';
import { aggregateCandlesQuery, type AggregateSql } from './aggregate-sql.js';
import {
  alignUp, countBySourceSql, lastOpenTimeSql, missingRangesSql, rangeHasRows, readCandlesQuery, storedBarWindow, rowsToColumns, seriesStatsSql,
  type CandleQuery, type CandleRows, type SourceSeries,
} from './candle-sql.js';
import {
  getManifestSql, getUniverseSql, listGapsSql, listInstrumentsSql, listManifestSql, reconcileGapsSql, recordGapsSql, saveUniverseSql,
  setListedAtSql, upsertInstrumentsSql,
} from './catalog-sql.js';
import {
  abandonJobsSql, appendTaskLogSql, finishJobSql, finishTaskSql, getJobSql, heartbeatJobSql, JOB_LEASE_MS, listJobsSql, pruneJobsSql,
  startJobSql, startTaskSql,
} from './runs-sql.js';
import { SeriesIds } from './series-ids.js';
import { VolumeBounds } from './volume-notes.js';
import { SqlRecords } from './sql-records.js';
import type { BeforeCommitHook, SqlSession } from './sql-session.js';
import { col, toNumber } from './sql-values.js';

/** The default of `[store] keep_job_days`: 30 days. */
export const DEFAULT_KEEP_JOBS_MS = 30 * 86_400_000;

/** Default most bars per streamed chunk. */
export const DEFAULT_CHUNK_ROWS = 65_536;

export abstract class SqlStore extends SqlRecords implements Store {
  abstract readonly kind: 'duckdb' | 'postgres';
  abstract readonly writeConcurrency: number;
  abstract readonly location: string;
  protected readonly series: SeriesIds;

  /**
   * Where the small reads and the task records of running jobs go (the row counts, the manifest,
   * task start, log line, finish): on DuckDB a second connection, so that they neither wait
   * behind a file's candle write nor hold the next one up (they touch other rows, so the two
   * transactions never conflict); on PostgreSQL the same pool.
   */
  protected readonly side: SqlSession;
  /** The volume bounds this store's writes saw commit, so that a write that changes none asks nothing. */
  protected readonly volumeBounds = new VolumeBounds();

  protected constructor(
    db: SqlSession,
    protected readonly aggregateSql: AggregateSql,
    /** The store's clock for run timings; injectable so tests and replays can pin it. */
    protected readonly now: () => number = Date.now,
    side: SqlSession = db,
  ) {
    super(db);
    this.series = new SeriesIds(db);
    this.side = side;
  }

  abstract close(): Promise<void>;
  abstract weightLedger(): WeightLedger | null;
  abstract writeCandles(series: SeriesKey, candles: CandleColumns, source: CandleSource, manifest?: ArchiveManifestEntry, options?: WriteCandlesOptions): Promise<number>;
  /** Bytes the store takes on disk (file or database), or null when the backend cannot tell. */
  protected abstract sizeOnDisk(): Promise<number | null>;

  /** Finished job runs older than this are pruned whenever a job starts (see keepJobsFor). */
  private keepJobsMs = DEFAULT_KEEP_JOBS_MS;

  /** How long finished job runs, their tasks and log lines are kept; set from `[store] keep_job_days`. */
  keepJobsFor(ms: number): void {
    if (!(ms > 0)) throw new ConfigError(`job retention must be a positive number of milliseconds, not ${ms}`);
    this.keepJobsMs = ms;
  }

  /**
   * Test-only: awaits `hook` between a transaction's rows and its COMMIT (crash tests); cli/
   * sets it from TICKERFLOW_TEST_PAUSE_BEFORE_COMMIT. Never set in normal runs.
   */
  pauseBeforeCommit(hook: BeforeCommitHook | undefined): void {
    this.db.beforeCommit = hook;
    this.side.beforeCommit = hook;
  }

  async migrate(): Promise<void> {
    await runMigrations(this.db, this.now);
    // One process holds a DuckDB file, so any job still `running` at open belongs to a dead one.
    if (this.db.dialect === 'duckdb') await abandonJobsSql(this.db, Number.MAX_SAFE_INTEGER, 'abandoned: still running when the store was next opened');
  }

  /**
   * PostgreSQL is shared by live processes, so a job is abandoned only once its heartbeat lease
   * has lapsed; run before every read of job runs and before a new job starts.
   */
  private async abandonLapsedJobs(): Promise<void> {
    if (this.db.dialect !== 'postgres') return;
    await abandonJobsSql(this.db, this.now() - JOB_LEASE_MS, `abandoned: no heartbeat for ${JOB_LEASE_MS / 1000} s`);
  }

  upsertInstruments(instruments: readonly Instrument[]): Promise<void> {
    return upsertInstrumentsSql(this.db, instruments);
  }
  listInstruments(exchange: string): Promise<Instrument[]> {
    return listInstrumentsSql(this.db, exchange);
  }
  setListedAt(exchange: string, symbol: string, listedAt: number): Promise<void> {
    return setListedAtSql(this.db, exchange, symbol, listedAt);
  }
  saveUniverse(snapshot: UniverseSnapshot): Promise<void> {
    return saveUniverseSql(this.db, snapshot);
  }
  getUniverse(exchange: string, date: string): Promise<UniverseSnapshot | null> {
    return getUniverseSql(this.db, exchange, date);
  }

  /** Runs a candle query (11 candle columns + minutes); a backend may override this with a columnar path. */
  protected async queryCandles(q: CandleQuery): Promise<CandleRows> {
    return rowsToColumns(await this.db.all(q.sql, q.params));
  }

  async readCandles(series: SeriesKey, from: number, to: number): Promise<CandleColumns> {
    const id = await this.series.find(series);
    if (id === null) return allocateColumns(0);
    return (await this.queryCandles(readCandlesQuery({ id, interval: series.interval }, from, to))).candles;
  }

  /**
   * The stored series a read at `interval` comes from: the finest stored interval of the
   * instrument that divides `interval` and has rows in [from, to) — 1m when the minutes are
   * stored, else e.g. the 1h series of a coin followed at 1h only. Null when there is none.
   */
  protected async sourceSeries(exchange: string, symbol: string, interval: Interval, from: number, to: number): Promise<SourceSeries | null> {
    const len = intervalMs(interval);
    const candidates = (await this.series.intervalsOf(exchange, symbol))
      .filter((s) => len % intervalMs(s.interval) === 0)
      .sort((a, b) => intervalMs(a.interval) - intervalMs(b.interval));
    if (candidates.length <= 1) return candidates[0] ?? null;
    for (const c of candidates) {
      if (await rangeHasRows(this.db, c.id, alignUp(from, len), alignUp(to, len) - 1)) return c;
    }
    return null;
  }

  async aggregateCandles(exchange: string, symbol: string, interval: Interval, from: number, to: number): Promise<CandleColumns> {
    const src = await this.sourceSeries(exchange, symbol, interval, from, to);
    const q = src && (await aggregateCandlesQuery(this.db, this.aggregateSql, src, interval, from, to));
    return q ? (await this.queryCandles(q)).candles : allocateColumns(0);
  }

  /**
   * Streaming read in keyset pages: consecutive time windows of at most `chunkRows` bars each,
   * every page one query that also returns the minutes behind each bar. Memory is bounded by
   * the chunk whatever the window. A backend may override it with a cursor.
   */
  async *streamCandles(exchange: string, symbol: string, interval: Interval, from: number, to: number, options: StreamCandlesOptions = {}): AsyncIterable<CandleChunk> {
    const chunkRows = checkedChunkRows(options.chunkRows);
    const src = await this.sourceSeries(exchange, symbol, interval, from, to);
    if (src === null) return;
    const len = intervalMs(interval);
    const window = await storedBarWindow(this.db, src.id, len, from, to);
    if (window === null) return;
    for (let start = window.start; start < window.end; start += chunkRows * len) {
      options.signal?.throwIfAborted();
      const q = await aggregateCandlesQuery(this.db, this.aggregateSql, src, interval, start, Math.min(window.end, start + chunkRows * len));
      if (q === null) continue;
      const rows = await this.queryCandles(q);
      if (rows.candles.length > 0) yield { ...rows, source: src.interval };
    }
  }
  countBySource(series: SeriesKey, from: number, to: number): Promise<Record<CandleSource, number>> {
    return this.series.find(series).then((id) => (id === null ? { archive: 0, rest: 0, stream: 0 } : countBySourceSql(this.side, id, from, to)));
  }
  async seriesStats(series: SeriesKey): Promise<SeriesStats | null> {
    const id = await this.series.find(series);
    return id === null ? null : seriesStatsSql(this.side, id);
  }
  async lastOpenTime(series: SeriesKey): Promise<number | null> {
    const id = await this.series.find(series);
    return id === null ? null : lastOpenTimeSql(this.side, id);
  }
  async missingRanges(series: SeriesKey, from: number, to: number): Promise<MissingRange[]> {
    return missingRangesSql(this.db, await this.series.find(series), series.interval, from, to);
  }
  async storageStats(): Promise<StorageStats> {
    const rows = await this.db.all('SELECT count(*) FROM candles');
    const candleRows = toNumber(col(rows[0] ?? [], 0), 'candle rows');
    const bytes = await this.sizeOnDisk();
    return { bytes, candleRows, bytesPerRow: bytes === null || candleRows === 0 ? null : bytes / candleRows };
  }

  getManifest(key: string): Promise<ArchiveManifestEntry | null> {
    return getManifestSql(this.side, key);
  }
  listManifest(prefix: string): Promise<ArchiveManifestEntry[]> {
    return listManifestSql(this.side, prefix);
  }

  async startJob(kind: string, params: Record<string, unknown>): Promise<number> {
    await this.abandonLapsedJobs();
    // Every job adds rows (a sync job a minute under `up`), so each start prunes the old ones.
    await pruneJobsSql(this.db, this.now() - this.keepJobsMs);
    return startJobSql(this.db, kind, params, this.now());
  }
  heartbeatJob(id: number): Promise<void> {
    return heartbeatJobSql(this.db, id, this.now());
  }
  pruneJobs(startedBefore: number): Promise<number> {
    return pruneJobsSql(this.db, startedBefore);
  }
  finishJob(id: number, status: RunStatus, rows: number, summary: string | null): Promise<void> {
    return finishJobSql(this.db, id, status, rows, summary, this.now());
  }
  startTask(jobId: number, name: string): Promise<number> {
    return startTaskSql(this.side, jobId, name, this.now());
  }
  finishTask(id: number, status: RunStatus, rows: number, error: string | null): Promise<void> {
    return finishTaskSql(this.side, id, status, rows, error, this.now());
  }
  appendTaskLog(line: TaskLogLine): Promise<void> {
    return appendTaskLogSql(this.side, line);
  }
  async listJobs(limit: number): Promise<JobRun[]> {
    await this.abandonLapsedJobs();
    return listJobsSql(this.db, limit);
  }
  async getJob(id: number): Promise<{ job: JobRun; tasks: Array<TaskRun & { logs: TaskLogLine[] }> } | null> {
    await this.abandonLapsedJobs();
    return getJobSql(this.db, id);
  }

  recordGaps(gaps: readonly Gap[]): Promise<void> {
    return recordGapsSql(this.db, gaps);
  }
  reconcileGaps(series: SeriesKey, from: number, to: number, found: readonly Gap[], note: string): Promise<number> {
    return reconcileGapsSql(this.db, series, from, to, found, note);
  }
  listGaps(filter: { exchange?: string; symbol?: string; status?: GapStatus }): Promise<Gap[]> {
    return listGapsSql(this.db, filter);
  }
}

/** The chunk size option, checked: a positive integer. */
export function checkedChunkRows(chunkRows: number | undefined): number {
  const n = chunkRows ?? DEFAULT_CHUNK_ROWS;
  if (!Number.isInteger(n) || n < 1) throw new BadInputError(`chunkRows must be a positive integer, got ${n}`);
  return n;
}
