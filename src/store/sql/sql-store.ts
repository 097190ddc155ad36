/**
 * Everything of the Store contract that is plain SQL, written once for both engines over a
 * SqlSession. A backend adds its connection handling and its bulk candle write path.
 */
import { allocateColumns, type CandleColumns, type CandleSource } from '../../core/candle.js';
import type { Interval } from '../../core/intervals.js';
import type { Instrument, SeriesKey, UniverseSnapshot } from '../../core/instrument.js';
import { runMigrations } from '../migrations/run-migrations.js';
import type {
  ArchiveManifestEntry, Gap, GapStatus, JobRun, MissingRange, RunStatus, SeriesStats, Store, TaskLogLine, TaskRun,
} from '../store.js';
import {
  aggregateCandlesQuery, countBySourceSql, missingRangesSql, readCandlesQuery, rowsToColumns, seriesStatsSql,
  type CandleQuery, type FirstLastSql,
} from './candle-sql.js';
import {
  getManifestSql, getUniverseSql, listGapsSql, listInstrumentsSql, listManifestSql, recordGapsSql, saveUniverseSql,
  setListedAtSql, upsertInstrumentsSql,
} from './catalog-sql.js';
import {
  appendTaskLogSql, finishJobSql, finishTaskSql, getJobSql, listJobsSql, startJobSql, startTaskSql,
} from './runs-sql.js';
import type { SqlSession } from './sql-session.js';

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

  async migrate(): Promise<void> {
    await runMigrations(this.db, this.now);
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

  startJob(kind: string, params: Record<string, unknown>): Promise<number> {
    return startJobSql(this.db, kind, params, this.now());
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
  listJobs(limit: number): Promise<JobRun[]> {
    return listJobsSql(this.db, limit);
  }
  getJob(id: number): Promise<{ job: JobRun; tasks: Array<TaskRun & { logs: TaskLogLine[] }> } | null> {
    return getJobSql(this.db, id);
  }

  recordGaps(gaps: readonly Gap[]): Promise<void> {
    return recordGapsSql(this.db, gaps);
  }
  listGaps(filter: { exchange?: string; symbol?: string; status?: GapStatus }): Promise<Gap[]> {
    return listGapsSql(this.db, filter);
  }
}
