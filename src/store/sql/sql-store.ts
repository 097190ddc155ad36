/**
 * Everything of the Store contract that is plain SQL, written once for both engines over a
 * SqlSession. A backend adds its connection handling and its bulk candle write path.
 */
import { allocateColumns, type CandleColumns, type CandleSource } from '../../core/candle.js';
import { intervalMs, type Interval } from '../../core/intervals.js';
import type { Instrument, SeriesKey, UniverseSnapshot } from '../../core/instrument.js';
import { ConfigError } from '../../core/errors.js';
import { runMigrations } from '../migrations/run-migrations.js';
import type {
  ArchiveManifestEntry, CandleChunk, Gap, GapStatus, JobRun, MissingRange, RunStatus, SeriesStats, Store, StreamCandlesOptions, TaskLogLine, TaskRun,
} from '../store.js';
import {
  aggregateCandlesQuery, alignUp, countBySourceSql, missingRangesSql, readCandlesQuery, rowsToColumns, seriesStatsSql,
  type CandleQuery, type FirstLastSql,
} from './candle-sql.js';
import {
  getManifestSql, getUniverseSql, listGapsSql, listInstrumentsSql, listManifestSql, reconcileGapsSql, recordGapsSql, saveUniverseSql,
  setListedAtSql, upsertInstrumentsSql,
} from './catalog-sql.js';
import {
  abandonJobsSql, appendTaskLogSql, finishJobSql, finishTaskSql, getJobSql, heartbeatJobSql, JOB_LEASE_MS, listJobsSql, pruneJobsSql,
  startJobSql, startTaskSql,
} from './runs-sql.js';
import type { BeforeCommitHook, SqlSession } from './sql-session.js';
import { col, toNumber } from './sql-values.js';

/** The default of `[store] keep_job_days`: 30 days. */
export const DEFAULT_KEEP_JOBS_MS = 30 * 86_400_000;

export abstract class SqlStore implements Store {
  abstract readonly kind: 'duckdb' | 'postgres';
  abstract readonly location: string;

  protected constructor(
    protected readonly db: SqlSession,
    private readonly firstLast: FirstLastSql,
    /** The store's clock for run timings; injectable so tests and replays can pin it. */
    protected readonly now: () => number = Date.now,
  ) {}

  abstract close(): Promise<void>;
  abstract writeCandles(series: SeriesKey, candles: CandleColumns, source: CandleSource, manifest?: ArchiveManifestEntry): Promise<number>;

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

  /** Runs a query of the 11 candle columns; a backend may override this with a columnar path. */
  protected async queryCandles(q: CandleQuery): Promise<CandleColumns> {
    return rowsToColumns(await this.db.all(q.sql, q.params));
  }

  readCandles(series: SeriesKey, from: number, to: number): Promise<CandleColumns> {
    return this.queryCandles(readCandlesQuery(series, from, to));
  }
  async aggregateCandles(exchange: string, symbol: string, interval: Interval, from: number, to: number): Promise<CandleColumns> {
    const q = aggregateCandlesQuery(this.firstLast, exchange, symbol, interval, from, to);
    return q ? this.queryCandles(q) : allocateColumns(0);
  }
  /**
   * Generic streaming read: consecutive time windows of at most `chunkRows` bars each, so memory
   * is bounded by the chunk whatever the window. A backend may override it with a cursor.
   */
  async *streamCandles(exchange: string, symbol: string, interval: Interval, from: number, to: number, options: StreamCandlesOptions = {}): AsyncIterable<CandleChunk> {
    const len = intervalMs(interval);
    const span = (options.chunkRows ?? 65_536) * len;
    for (let start = from; start < to; start = alignUp(start + 1, len) + span - len) {
      options.signal?.throwIfAborted();
      const end = Math.min(to, alignUp(start + 1, len) + span - len);
      const candles = interval === '1m' ? await this.readCandles({ exchange, symbol, interval }, start, end) : await this.aggregateCandles(exchange, symbol, interval, start, end);
      if (candles.length === 0) continue;
      const minutes = new Float64Array(candles.length);
      if (interval === '1m') minutes.fill(1);
      else {
        const counts = await this.db.all(
          `SELECT open_time - open_time % ${len}, count(*) FROM candles WHERE exchange = $1 AND symbol = $2 AND "interval" = '1m' AND open_time >= $3 AND open_time < $4 GROUP BY 1 ORDER BY 1`,
          [exchange, symbol, candles.openTime[0] as number, (candles.openTime[candles.length - 1] as number) + len],
        );
        counts.forEach((r, i) => { minutes[i] = toNumber(col(r, 1), 'count'); });
      }
      yield { candles, minutes };
    }
  }
  countBySource(series: SeriesKey, from: number, to: number): Promise<Record<CandleSource, number>> {
    return countBySourceSql(this.db, series, from, to);
  }
  seriesStats(series: SeriesKey): Promise<SeriesStats | null> {
    return seriesStatsSql(this.db, series);
  }
  missingRanges(series: SeriesKey, from: number, to: number): Promise<MissingRange[]> {
    return missingRangesSql(this.db, series, from, to);
  }

  getManifest(key: string): Promise<ArchiveManifestEntry | null> {
    return getManifestSql(this.db, key);
  }
  listManifest(prefix: string): Promise<ArchiveManifestEntry[]> {
    return listManifestSql(this.db, prefix);
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
    return startTaskSql(this.db, jobId, name, this.now());
  }
  finishTask(id: number, status: RunStatus, rows: number, error: string | null): Promise<void> {
    return finishTaskSql(this.db, id, status, rows, error, this.now());
  }
  appendTaskLog(line: TaskLogLine): Promise<void> {
    return appendTaskLogSql(this.db, line);
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
