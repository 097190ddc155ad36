/**
 * The one storage contract. DuckDB (embedded default) and PostgreSQL (scale-out) implement it
 * and pass the same contract suite (store.contract.ts). Every write is idempotent, and every
 * batch is committed whole or not at all.
 */
import type { ArchiveManifestEntry } from '../core/archive-manifest.js';
import type { AlertStore, UserStore } from './alert-records.js';
import type { SignalStore } from './signal-records.js';
import type { CandleColumns, CandleSource } from '../core/candle.js';
import type { Interval } from '../core/intervals.js';
import type { Instrument, SeriesKey, UniverseSnapshot } from '../core/instrument.js';
import type { WeightLedger } from '../core/weight-ledger.js';

/** Declared in core so connectors can build it without importing the store; re-exported for existing imports. */
export type { ArchiveManifestEntry } from '../core/archive-manifest.js';
export type * from './alert-records.js';
export type * from './signal-records.js';

/**
 * `abandoned`: the process running the job died before finishing it (killed, crashed, host lost).
 * Found at the next open on DuckDB (one process holds the file) and by a lapsed heartbeat lease on
 * PostgreSQL. The job keeps the rows of the tasks it had finished.
 */
export type RunStatus = 'running' | 'ok' | 'failed' | 'partial' | 'abandoned';

export interface JobRun {
  id: number;
  kind: string;
  params: Record<string, unknown>;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  rows: number;
  summary: string | null;
}

export interface TaskRun {
  id: number;
  jobId: number;
  name: string;
  status: RunStatus;
  startedAt: number;
  finishedAt: number | null;
  rows: number;
  error: string | null;
}

export interface TaskLogLine {
  taskId: number;
  at: number;
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
}

/** Why minutes are missing. Only `hole` is repairable; nothing is ever synthesised. */
export type GapKind = 'not_published' | 'before_listing' | 'exchange_outage' | 'hole';
export type GapStatus = 'open' | 'repaired' | 'unrepairable';

export interface Gap {
  exchange: string;
  symbol: string;
  interval: Interval;
  /** First missing open time (inclusive). */
  from: number;
  /** Last missing open time (inclusive). */
  to: number;
  kind: GapKind;
  status: GapStatus;
  detectedAt: number;
  note: string | null;
}

/** Inclusive range of missing open times inside a queried window. */
export interface MissingRange {
  from: number;
  to: number;
  /** Number of missing candles in the range. */
  count: number;
}

export interface SeriesStats {
  first: number;
  last: number;
  count: number;
}

/** What `tickerflow doctor` shows about the store's footprint. */
export interface StorageStats {
  /** Bytes on disk of the whole store (DuckDB file with its WAL; PostgreSQL database), or null if unknown. */
  bytes: number | null;
  candleRows: number;
  bytesPerRow: number | null;
}

/**
 * One chunk of a streamed read: candles in ascending open time, and for each bar how many stored
 * minutes it was built from (1 for a stored 1m bar; 60 per stored bar when a 1h series is read). A bar above 1m with fewer minutes than
 * its interval holds is not complete unless the gap ledger records the rest as an exchange outage.
 */
export interface CandleChunk {
  candles: CandleColumns;
  minutes: Float64Array;
  /** The stored interval the bars were built from (1m, or e.g. 1h for a coin followed at 1h): its series' missing runs and outages decide completeness. */
  source: Interval;
}

export interface StreamCandlesOptions {
  /** Most bars per chunk (default 65,536). */
  chunkRows?: number;
  signal?: AbortSignal;
}

export interface WriteCandlesOptions {
  /**
   * A running task whose row count grows by the rows this write inserts or changes, in the same
   * transaction: a job found abandoned then shows exactly the rows it committed.
   */
  taskId?: number;
}

/** Alert and user records (alert-records.ts) live in the same store, migrations 005 and 006; stream signals (signal-records.ts) too, 007. */
export interface Store extends AlertStore, UserStore, SignalStore {
  readonly kind: 'duckdb' | 'postgres';
  /** Where the data lives, with any password removed (safe to print). */
  readonly location: string;
  /**
   * How many candle writes a job sends at once: DuckDB 1 (one writer; more would queue inside it),
   * PostgreSQL 2 (a server backend each: a 30 × 24 backfill took 55–59 s against 69–70 s with one
   * at a time, docs/BENCHMARKS.md).
   */
  readonly writeConcurrency: number;

  /** Creates or upgrades the schema; safe to call on every start. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * The request-weight ledger every process on this store shares (PostgreSQL), or null where one
   * process holds the store (DuckDB) and its in-process governor already sees every request.
   */
  weightLedger(): WeightLedger | null;

  upsertInstruments(instruments: readonly Instrument[]): Promise<void>;
  listInstruments(exchange: string): Promise<Instrument[]>;
  setListedAt(exchange: string, symbol: string, listedAt: number): Promise<void>;

  /** Stores the snapshot for its date, replacing an earlier one of the same date and exchange. */
  saveUniverse(snapshot: UniverseSnapshot): Promise<void>;
  /** The newest snapshot dated on or before `date` (YYYY-MM-DD), or null. */
  getUniverse(exchange: string, date: string): Promise<UniverseSnapshot | null>;

  /**
   * Writes candles of one series in one transaction. A candle already stored at the same open
   * time is replaced only by a source of equal or higher rank (archive > rest > stream).
   * With `manifest`, the archive object is recorded in the same transaction, so that a crash
   * leaves either the object's rows and its manifest entry, or neither.
   * Returns the number of candles inserted or changed (0 for a re-write of identical candles).
   * `candles` must be sorted by open time without duplicates (BadInputError otherwise). A batch
   * the database refuses (e.g. a NaN or a broken candle invariant, enforced by CHECKs) rejects
   * with StoreError and writes nothing.
   */
  writeCandles(series: SeriesKey, candles: CandleColumns, source: CandleSource, manifest?: ArchiveManifestEntry, options?: WriteCandlesOptions): Promise<number>;
  /** Stored candles of the series with from ≤ openTime < to, ascending. */
  readCandles(series: SeriesKey, from: number, to: number): Promise<CandleColumns>;
  /**
   * Candles of `interval` aggregated in the database, from ≤ openTime < to, from the finest stored
   * series of the instrument whose interval divides `interval` (1m when stored; a 1h series serves
   * 1h, 4h and 1d reads of a coin followed at 1h only). A bucket is returned only if it holds at
   * least one stored row; `closeTime` is the bucket's end − 1 ms.
   */
  aggregateCandles(exchange: string, symbol: string, interval: Interval, from: number, to: number): Promise<CandleColumns>;
  /**
   * Bars of `interval` with from ≤ openTime < to, ascending, in chunks of bounded size: 1m as
   * stored, larger intervals aggregated in the database as `aggregateCandles` does. Memory stays
   * bounded by the chunk size whatever the window.
   */
  streamCandles(exchange: string, symbol: string, interval: Interval, from: number, to: number, options?: StreamCandlesOptions): AsyncIterable<CandleChunk>;
  /** Sources of the stored candles, e.g. for reports: count per source in the window. */
  countBySource(series: SeriesKey, from: number, to: number): Promise<Record<CandleSource, number>>;
  seriesStats(series: SeriesKey): Promise<SeriesStats | null>;
  /** The newest stored open time of the series, or null; cheap (no count), for the sync loop. */
  lastOpenTime(series: SeriesKey): Promise<number | null>;
  /** Size on disk and candle rows, for `doctor`. */
  storageStats(): Promise<StorageStats>;
  /** Runs of missing open times on the interval grid in [from, to). */
  missingRanges(series: SeriesKey, from: number, to: number): Promise<MissingRange[]>;

  getManifest(key: string): Promise<ArchiveManifestEntry | null>;
  listManifest(prefix: string): Promise<ArchiveManifestEntry[]>;

  startJob(kind: string, params: Record<string, unknown>): Promise<number>;
  finishJob(id: number, status: RunStatus, rows: number, summary: string | null): Promise<void>;
  startTask(jobId: number, name: string): Promise<number>;
  finishTask(id: number, status: RunStatus, rows: number, error: string | null): Promise<void>;
  appendTaskLog(line: TaskLogLine): Promise<void>;
  /** Renews a running job's lease (JobRecorder calls it while a task runs). */
  heartbeatJob(id: number): Promise<void>;
  /** Deletes finished job runs started before `startedBefore`, with their tasks and logs; returns the jobs deleted. */
  pruneJobs(startedBefore: number): Promise<number>;
  listJobs(limit: number): Promise<JobRun[]>;
  getJob(id: number): Promise<{ job: JobRun; tasks: Array<TaskRun & { logs: TaskLogLine[] }> } | null>;

  /** Records gaps, keyed by (exchange, symbol, interval, from); a re-detected gap is updated. */
  recordGaps(gaps: readonly Gap[]): Promise<void>;
  /**
   * Records the gaps a scan of the series over [from, to) found, and marks `repaired` every ledger
   * row of the series starting in that window that is open (or an unrepairable hole or outage) and
   * was not found again: its minutes were filled since, by a repair or a later publication. One
   * transaction; `note` is written on the rows closed. Returns how many were closed.
   */
  reconcileGaps(series: SeriesKey, from: number, to: number, found: readonly Gap[], note: string): Promise<number>;
  listGaps(filter: { exchange?: string; symbol?: string; status?: GapStatus }): Promise<Gap[]>;
}
