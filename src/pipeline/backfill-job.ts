/**
 * The backfill job: archive first (verified monthly and daily zips, each committed whole with its
 * manifest entry), then REST for the tail the archive has not published yet. Files already in
 * the manifest, whole and unchanged, are skipped, so a rerun after a crash or an abort picks up
 * where the last run stopped.
 *
 * Downloads, checksum checks and parsing of several files (of several symbols) run at once,
 * `concurrency` at a time, the parsing on worker threads (the real sources' ArchiveDecodePool) so
 * that it never holds up the writes, which go to the store as many at a time as it takes
 * (`Store.writeConcurrency`: DuckDB one, PostgreSQL two). A file holds its permit from
 * download to commit, so at most `concurrency` parsed files are in memory.
 */
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { BadInputError, UpstreamError } from '../core/errors.js';
import { floorToInterval, intervalMs, type Interval } from '../core/intervals.js';
import type { SeriesKey } from '../core/instrument.js';
import { isoMinute } from '../core/time.js';
import type { ArchiveManifestEntry, Store } from '../store/store.js';
import { abortable, throwIfAborted } from './abortable.js';
import { chooseArchiveFiles, ingestReason, type IngestReason } from './archive-plan.js';
import { fetchRestRange } from './fetch-rest-range.js';
import { ingestArchiveFile } from './ingest-archive-file.js';
import type { QueuedFileLoader } from './queued-file-loader.js';
import { JobRecorder, type TaskLog } from './job-recorder.js';
import { listingTime, recheckListingTime } from './listing-time.js';
import type { Progress } from './progress.js';
import { Semaphore } from './semaphore.js';
import type { ArchiveFile, Sources } from './sources.js';

export { chooseArchiveFiles } from './archive-plan.js';
export { listingTime } from './listing-time.js';

/** Archive files loaded at once when the caller does not say ([history] backfill_concurrency). */
export const DEFAULT_BACKFILL_CONCURRENCY = 4;

export interface BackfillOptions {
  symbols: readonly string[];
  interval: Interval;
  /** Earliest open time to keep; default: the symbol's listing. */
  since?: number;
  progress?: Progress;
  /** Archive files downloaded, verified and parsed at once (and symbols worked on at once). */
  concurrency?: number;
  /** Stops the job between files and pages; no file is committed in part. */
  signal?: AbortSignal;
  /**
   * Only the archive: load newly published (or re-published) files and skip the REST tail. `up`
   * runs this to let verified archive files replace the REST rows its minute sync wrote.
   */
  archiveOnly?: boolean;
  /**
   * Hands the archive files to workers through a work queue instead of loading them here (the
   * listing, the plan and the REST tail stay here). Several processes then load at once.
   */
  queue?: QueuedFileLoader;
  /** Recorded with the job's params (a queued reconcile's id). */
  jobParams?: Record<string, unknown>;
}

/** Files queued at once per backfill when workers load them: enough to keep every worker busy, bounded. */
export const QUEUED_FILES_AT_ONCE = 256;

export interface BackfillSymbolResult {
  symbol: string;
  archiveFiles: number;
  archiveRows: number;
  restRows: number;
  rejectedFiles: string[];
  /** Why the symbol was not backfilled at all (its listing or its archive listing failed); details in the job's tasks. */
  failed?: string;
}

interface JobContext {
  job: JobRecorder;
  store: Store;
  sources: Sources;
  opts: BackfillOptions;
  signal: AbortSignal;
  files: Semaphore;
  writes: Semaphore;
}

export async function runBackfillJob(store: Store, sources: Sources, logger: Logger, opts: BackfillOptions): Promise<{ jobId: number; results: BackfillSymbolResult[] }> {
  const concurrency = opts.concurrency ?? DEFAULT_BACKFILL_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new BadInputError(`backfill concurrency must be a whole number ≥ 1, got ${concurrency}`);
  const job = await JobRecorder.start(store, logger, 'backfill', { symbols: opts.symbols, interval: opts.interval, since: opts.since ?? null, concurrency, archiveOnly: opts.archiveOnly === true, queueRun: opts.queue?.run ?? null, ...opts.jobParams });
  // The job's own signal, linked to the caller's: every file waiting for a permit, a download or
  // a worker listens on it, at most about 2 × the files in flight at once, and the caller's signal
  // gets one listener.
  const filesInFlight = opts.queue === undefined ? concurrency : QUEUED_FILES_AT_ONCE;
  const stop = new AbortController();
  setMaxListeners(2 * filesInFlight + 10, stop.signal);
  const onAbort = (): void => stop.abort(opts.signal?.reason);
  if (opts.signal?.aborted === true) onAbort();
  else opts.signal?.addEventListener('abort', onAbort, { once: true });
  const ctx: JobContext = { job, store, sources, opts, signal: stop.signal, files: new Semaphore(filesInFlight), writes: new Semaphore(store.writeConcurrency) };
  const results: BackfillSymbolResult[] = [];
  try {
    // `concurrency` symbols at a time, each taking the next from the list when it is done.
    const queue = [...opts.symbols];
    const worker = async (): Promise<void> => {
      for (let symbol = queue.shift(); symbol !== undefined && !stop.signal.aborted; symbol = queue.shift()) {
        const r = await backfillSymbol(ctx, symbol).catch(() => undefined); // an abort: the symbol's tasks recorded it
        if (r !== undefined) results.push(r);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, opts.symbols.length) }, worker));
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
  }
  results.sort((a, b) => opts.symbols.indexOf(a.symbol) - opts.symbols.indexOf(b.symbol));
  const rows = results.reduce((n, r) => n + r.archiveRows + r.restRows, 0);
  const rejected = results.reduce((n, r) => n + r.rejectedFiles.length, 0);
  const stopped = stop.signal.aborted ? ' (stopped on request before the end)' : '';
  await job.finish(`${results.length}/${opts.symbols.length} symbols, ${rows} rows written, ${rejected} archive files rejected${stopped}`);
  return { jobId: job.id, results };
}

async function backfillSymbol(ctx: JobContext, symbol: string): Promise<BackfillSymbolResult | undefined> {
  const { job, store, sources, opts, signal } = ctx;
  const exchange = sources.exchange.exchange;
  const series: SeriesKey = { exchange, symbol, interval: opts.interval };
  const len = intervalMs(opts.interval);
  const result: BackfillSymbolResult = { symbol, archiveFiles: 0, archiveRows: 0, restRows: 0, rejectedFiles: [] };

  // A task that failed on request (Ctrl-C) is no result; one that failed otherwise says why.
  const failed = (task: string): BackfillSymbolResult | undefined => (signal.aborted ? undefined : { ...result, failed: job.failures.get(task) ?? task });
  const listingTask = `${symbol} listing`;
  const listed = await job.task(listingTask, async () => ({ rows: 0, value: await abortable(listingTime(store, sources, symbol, opts.interval), signal) }));
  if (listed === undefined) return failed(listingTask);

  // A listing that keeps failing fails the symbol: falling back to REST would fetch its whole
  // history a thousand candles per request, and skip the SHA-256 check the archive gives.
  const planTask = `${symbol} archive listing`;
  const plan = await job.task(planTask, async (log) => {
    let all: ArchiveFile[];
    try {
      all = await abortable(sources.archive.listFiles(symbol, opts.interval), signal);
    } catch (err) {
      if (signal.aborted) throw err;
      throw new UpstreamError(`${symbol}: the archive listing failed (${(err as Error).message}); the symbol is not backfilled this run`, undefined, { cause: err });
    }
    const listedAt = await recheckListingTime(store, sources, symbol, opts.interval, listed, all, log);
    if (listedAt === null) {
      await log.info(`${symbol} has no ${opts.interval} candles on ${exchange} yet`);
      return { rows: 0, value: null };
    }
    const start = Math.max(listedAt, opts.since ?? 0);
    const end = floorToInterval(sources.exchange.now(), opts.interval); // open time of the forming candle: exclusive end
    const chosen = chooseArchiveFiles(all, start, end);
    const toIngest: Array<{ file: ArchiveFile; reason: IngestReason }> = [];
    const loaded = await manifestOf(store, chosen);
    let archivedUntil = start;
    for (const file of chosen) {
      archivedUntil = Math.max(archivedUntil, Math.min(file.end, end));
      const reason = ingestReason(file, loaded.get(file.key) ?? null, start);
      if (reason !== null) toIngest.push({ file, reason });
    }
    await log.info(
      `${symbol} listed ${isoMinute(listedAt)}; keeping ${isoMinute(start)} .. ${isoMinute(end - len)}; ` +
        `${all.length} archive files published, ${chosen.length} cover the window, ${toIngest.length} to load`,
    );
    return { rows: 0, value: { start, end, archivedUntil, toIngest } };
  });
  if (plan === undefined) return failed(planTask);
  if (plan === null || plan.start >= plan.end) return result;

  opts.progress?.add(plan.toIngest.length);
  // One permit per file from download to commit; this symbol waits for one permit at a time, so
  // the queue of waiters stays as short as the number of symbols in progress.
  const inFlight: Promise<void>[] = [];
  for (const { file, reason } of plan.toIngest) {
    try {
      await ctx.files.acquire(signal);
    } catch {
      break; // aborted while waiting: the remaining files were never started
    }
    inFlight.push(ingestFile(ctx, series, file, reason, plan.start, result).finally(() => ctx.files.release()));
  }
  await Promise.allSettled(inFlight); // each file's failure is recorded by its task
  throwIfAborted(signal);

  // REST for the tail the archive does not cover yet (the current, unpublished days).
  const tailFrom = Math.max(plan.start, plan.archivedUntil);
  if (opts.archiveOnly !== true && tailFrom < plan.end) {
    const restRows = await job.task(`${symbol} REST tail ${isoMinute(tailFrom)} .. ${isoMinute(plan.end - len)}`, (log) =>
      restTail(store, sources, series, tailFrom, plan.end, log, signal),
    );
    result.restRows = restRows ?? 0;
  }
  return result;
}

/**
 * The manifest entries of `files`, one query per folder of keys (a symbol's monthly and daily
 * folders) rather than one per file: `up` re-plans every followed symbol's files each hour.
 */
async function manifestOf(store: Store, files: readonly ArchiveFile[]): Promise<Map<string, ArchiveManifestEntry>> {
  const folders = new Set(files.map((f) => f.key.slice(0, f.key.lastIndexOf('/') + 1)));
  const entries = (await Promise.all([...folders].map((folder) => store.listManifest(folder)))).flat();
  return new Map(entries.map((e) => [e.key, e]));
}

/** Loads and writes one file, holding a permit the caller acquired; a failure rejects the file only. */
async function ingestFile(ctx: JobContext, series: SeriesKey, file: ArchiveFile, reason: IngestReason, start: number, result: BackfillSymbolResult): Promise<void> {
  const { opts, signal } = ctx;
  opts.progress?.start(file.key);
  const written = opts.queue !== undefined ? await queueFile(ctx, opts.queue, series, file, reason, start) : await ctx.job.task(`ingest ${file.key}`, async (log) => {
    const r = await ingestArchiveFile({ store: ctx.store, sources: ctx.sources, series, writes: ctx.writes, signal }, file, start, reason === 'republished', log.taskId);
    const trimmed = r.manifest.keptFrom === undefined ? '' : `, rows before ${isoMinute(r.manifest.keptFrom)} left out`;
    await log.info(`${r.rows} rows verified (sha256 ${r.manifest.sha256.slice(0, 12)}…)${trimmed}, ${r.written} written`);
    if (reason === 'republished') await log.info(`${file.key} was republished (listing: ${file.size ?? '?'} bytes, ${file.lastModified === undefined ? '?' : new Date(file.lastModified).toISOString()}): loaded again, ${r.differed} stored rows differed`);
    else if (reason !== 'new') await log.info(`${file.key} loaded again: ${reason}`);
    if (r.replaced > 0) await log.info(`reconciled: ${r.replaced} REST rows replaced by the verified archive, ${r.differed} of them differed`);
    opts.progress?.tick(file.key, { rows: r.rows, bytes: r.bytes });
    return { rows: r.written, value: r.written };
  });
  if (signal.aborted) return;
  if (written === undefined) {
    result.rejectedFiles.push(file.key);
    opts.progress?.tick(file.key);
  } else {
    result.archiveFiles++;
    result.archiveRows += written;
  }
}

/**
 * Queues one file and waits for a worker to load it. The task adds no rows to this job: they are
 * the worker's (its own `backfill-file` job records them, in the write's transaction).
 */
async function queueFile(ctx: JobContext, queue: QueuedFileLoader, series: SeriesKey, file: ArchiveFile, reason: IngestReason, start: number): Promise<number | undefined> {
  return ctx.job.task(`queue ${file.key}`, async (log) => {
    const o = await queue.load(ctx.job.id, series, file, reason, start, ctx.signal);
    await log.info(`${o.status} by a worker: ${o.rows} rows in the store, ${o.written} written by that delivery`);
    ctx.opts.progress?.tick(file.key, { rows: o.rows, bytes: o.bytes });
    return { rows: 0, value: o.rows };
  });
}

async function restTail(store: Store, sources: Sources, series: SeriesKey, from: number, to: number, log: TaskLog, signal?: AbortSignal): Promise<{ rows: number; value: number }> {
  const missing = await store.missingRanges(series, from, to);
  let rows = 0;
  for (const range of missing) {
    rows += await fetchRestRange(store, sources.exchange, series, range.from, range.to + intervalMs(series.interval), signal, log.taskId);
  }
  await log.info(`${missing.length} missing ranges fetched from REST, ${rows} rows written`);
  return { rows, value: rows };
}
