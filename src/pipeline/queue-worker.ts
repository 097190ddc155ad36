/**
 * The worker: pulls pipeline jobs from a shared queue and does them, `concurrency` at a time:
 * archive files (`archive-file`, written `Store.writeConcurrency` at a time) and the scheduler's
 * per-symbol `sync`, `gaps` and `reconcile` jobs (do-series-job.ts), dispatched by the kind each
 * was queued as. A job is leased, not owned: the worker renews the lease while it works and acks only after
 * the store committed, so a job whose worker died goes to another worker once the lease lapses.
 * Doing a job twice is harmless: a file whose rows and manifest entry are already committed whole
 * is skipped (the manifest is written in the rows' transaction), and the series jobs upsert by key.
 * On abort, a file job in hand is finished if its write already began, else handed back (nak); a
 * series job is handed back unless it was done.
 */
import type { Logger } from 'pino';
import { BadInputError } from '../core/errors.js';
import { isoMinute } from '../core/time.js';
import type { Store } from '../store/store.js';
import { abortableSleep } from './abortable.js';
import { ingestReason } from './archive-plan.js';
import { ARCHIVE_FILE_JOB, decodeArchiveFileJob, encodeArchiveFileOutcome, type ArchiveFileJob, type ArchiveFileOutcome } from './archive-file-job.js';
import { ingestArchiveFile } from './ingest-archive-file.js';
import type { JobQueue, QueuedJob } from './job-queue.js';
import { JobRecorder } from './job-recorder.js';
import { doSeriesJob } from './do-series-job.js';
import { Semaphore } from './semaphore.js';
import { decodeSeriesJob, encodeSeriesJobOutcome, isSeriesJobKind, seriesJobId, type SeriesJob, type SeriesJobOutcome } from './series-job.js';
import type { Sources } from './sources.js';

/** How long one pull waits for a job; also how soon an idle worker notices an abort. */
const PULL_MS = 2_000;
/** A job of another store's backfill goes back to the queue for this long, for a worker of that store. */
const FOREIGN_NAK_MS = 10_000;

export interface QueueWorkerOptions {
  /** Jobs worked on at once by this process. */
  concurrency: number;
  /** Stops pulling; jobs in hand are finished or handed back. */
  signal: AbortSignal;
  /** Told of each file job's outcome (the CLI logs them). */
  onOutcome?: (job: ArchiveFileJob, outcome: ArchiveFileOutcome) => void;
  /** Told of each sync, gaps or reconcile job's outcome. */
  onSeriesOutcome?: (job: SeriesJob, outcome: SeriesJobOutcome) => void;
  /** Archive files loaded at once by a reconcile job ([history] backfill_concurrency). */
  backfillConcurrency?: number;
  /** Test-only: runs after a file or series job is done, before its result and ack (cli/test-pause.ts); gets the file's key or the job's id. */
  beforeAck?: (key: string) => Promise<void>;
}

export interface QueueWorkerSummary {
  loaded: number;
  alreadyLoaded: number;
  rejected: number;
  /** Handed back on abort, or after the store or the queue failed under them. */
  handedBack: number;
  /** Handed back because their backfill is not in this worker's store (workers of two stores on one queue). */
  foreign: number;
  /** Sync, gaps and reconcile jobs done (`needs backfill` included). */
  seriesDone: number;
  /** Sync, gaps and reconcile jobs that failed (their job in the store says why). */
  seriesFailed: number;
  /** Unreadable, or of a kind this worker does not know: dropped. */
  malformed: number;
}

export async function runQueueWorker(store: Store, sources: Sources, logger: Logger, queue: JobQueue, opts: QueueWorkerOptions): Promise<QueueWorkerSummary> {
  if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) throw new BadInputError(`worker concurrency must be a whole number ≥ 1, got ${opts.concurrency}`);
  const summary: QueueWorkerSummary = { loaded: 0, alreadyLoaded: 0, rejected: 0, handedBack: 0, foreign: 0, seriesDone: 0, seriesFailed: 0, malformed: 0 };
  const runsHere = new RunsInStore(store);
  const writes = new Semaphore(store.writeConcurrency);
  const slot = async (): Promise<void> => {
    while (!opts.signal.aborted) {
      let item: QueuedJob | null;
      try {
        item = await queue.next(PULL_MS);
      } catch (err) {
        // The queue's server away or restarting: the connection reconnects by itself; pull again soon.
        logger.warn({ err }, `pulling a job failed: ${(err as Error).message}`);
        await abortableSleep(PULL_MS, opts.signal);
        continue;
      }
      if (item === null) continue;
      if (opts.signal.aborted) {
        item.nak();
        summary.handedBack++;
        break;
      }
      let handled: 'foreign' | void;
      try {
        handled = await handle(item);
      } catch (err) {
        // The store or the queue failed under the job (e.g. a restart): hand it back and go on; if
        // its file was committed, the next delivery finds it loaded (a series job finds its work done).
        logger.error({ err }, `a ${item.kind} job failed outside its work: ${(err as Error).message}; handed back`);
        item.nak(PULL_MS);
        summary.handedBack++;
        continue;
      }
      if (handled === 'foreign') await abortableSleep(FOREIGN_NAK_MS, opts.signal); // leave the next pulls to workers of that store
    }
  };

  const malformed = (item: QueuedJob, err: unknown): void => {
    // Nobody can do it; a worker of another version would not either.
    logger.error({ err }, `dropping a malformed ${item.kind} job: ${(err as Error).message}`);
    item.term('malformed job');
    summary.malformed++;
  };
  const foreign = (item: QueuedJob, what: string, owner: { run: string; jobId: number }): 'foreign' => {
    logger.error(`${what}: job ${owner.jobId} (run ${owner.run}) is not in this worker's store; handing it back. One queue serves one store: give each store its own --queue`);
    item.nak(FOREIGN_NAK_MS);
    summary.foreign++;
    return 'foreign';
  };
  /** Renews the lease at a third of its length, so one late beat does not lose it, until the returned stop is called. */
  const leaseBeat = (item: QueuedJob): (() => void) => {
    const beat = setInterval(() => item.working(), Math.max(100, Math.floor(queue.ackWaitMs / 3)));
    return () => clearInterval(beat);
  };

  const handle = async (item: QueuedJob): Promise<'foreign' | void> => {
    if (item.kind === ARCHIVE_FILE_JOB) return handleFile(item);
    if (isSeriesJobKind(item.kind)) return handleSeries(item);
    malformed(item, new Error(`unknown job kind "${item.kind}" (this worker does ${ARCHIVE_FILE_JOB}, sync, gaps and reconcile jobs)`));
  };

  const handleFile = async (item: QueuedJob): Promise<'foreign' | void> => {
    let job: ArchiveFileJob;
    try {
      job = decodeArchiveFileJob(item.data);
    } catch (err) {
      malformed(item, err);
      return;
    }
    if (!(await runsHere.holds(job.run, job.backfillJobId))) return foreign(item, job.file.key, { run: job.run, jobId: job.backfillJobId });
    const stopBeat = leaseBeat(item);
    try {
      if (item.deliveryCount > 1) logger.info(`${job.file.key}: delivery ${item.deliveryCount} (an earlier worker died, stopped, or served another store)`);
      const outcome = await loadFile(store, sources, logger, writes, job, opts.signal);
      if (outcome === null) {
        item.nak();
        summary.handedBack++;
        return;
      }
      if (outcome.status === 'loaded') await opts.beforeAck?.(job.file.key);
      // The result first: a worker killed between the two leaves a job that is redelivered,
      // found loaded, and reported again, where the other order could lose the report.
      await queue.publishResult(job.run, encodeArchiveFileOutcome(outcome));
      if (outcome.status === 'rejected') item.term(outcome.error ?? 'rejected');
      else await item.ack();
      if (outcome.status === 'loaded') summary.loaded++;
      else if (outcome.status === 'already loaded') summary.alreadyLoaded++;
      else summary.rejected++;
      opts.onOutcome?.(job, outcome);
    } finally {
      stopBeat();
    }
  };

  const handleSeries = async (item: QueuedJob): Promise<'foreign' | void> => {
    let job: SeriesJob;
    try {
      job = decodeSeriesJob(item.kind, item.data);
    } catch (err) {
      malformed(item, err);
      return;
    }
    const id = seriesJobId(job);
    if (!(await runsHere.holds(job.run, job.cycleJobId))) return foreign(item, id, { run: job.run, jobId: job.cycleJobId });
    const stopBeat = leaseBeat(item);
    try {
      if (item.deliveryCount > 1) logger.info(`${id}: delivery ${item.deliveryCount} (an earlier worker died, stopped, or served another store)`);
      const outcome = await doSeriesJob(store, sources, logger, job, { signal: opts.signal, backfillConcurrency: opts.backfillConcurrency });
      if (outcome === null) {
        item.nak();
        summary.handedBack++;
        return;
      }
      if (outcome.status !== 'failed') await opts.beforeAck?.(id);
      // The result first, as for files: a kill between the two redoes the job (harmless) and reports it again.
      await queue.publishResult(job.run, encodeSeriesJobOutcome(outcome));
      if (outcome.status === 'failed') {
        // The next cycle queues the symbol's work again; redelivering it now would repeat the failure.
        item.term(outcome.error ?? 'failed');
        summary.seriesFailed++;
      } else {
        await item.ack();
        summary.seriesDone++;
      }
      opts.onSeriesOutcome?.(job, outcome);
    } finally {
      stopBeat();
    }
  };

  await Promise.all(Array.from({ length: opts.concurrency }, slot));
  return summary;
}

/**
 * Loads the job's file unless the manifest already holds it whole and unchanged; null when an
 * abort stopped it before its write (nothing of it is stored).
 */
async function loadFile(store: Store, sources: Sources, logger: Logger, writes: Semaphore, job: ArchiveFileJob, signal: AbortSignal): Promise<ArchiveFileOutcome | null> {
  const { file, series, keepFrom } = job;
  const entry = await store.getManifest(file.key);
  if (entry !== null && ingestReason(file, entry, keepFrom) === null) {
    return { key: file.key, status: 'already loaded', rows: entry.rows, written: 0, bytes: 0 };
  }
  const recorder = await JobRecorder.start(store, logger, 'backfill-file', { run: job.run, key: file.key, symbol: series.symbol, interval: series.interval, keepFrom: isoMinute(keepFrom) });
  let failure: unknown = null;
  const r = await recorder.task(`ingest ${file.key}`, async (log) => {
    try {
      const loaded = await ingestArchiveFile({ store, sources, series, writes, signal }, file, keepFrom, job.reason === 'republished', log.taskId);
      await log.info(`${loaded.rows} rows verified (sha256 ${loaded.manifest.sha256.slice(0, 12)}…), ${loaded.written} written`);
      return { rows: loaded.written, value: loaded };
    } catch (err) {
      failure = err;
      throw err;
    }
  });
  await recorder.finish(r === undefined ? `${file.key} not loaded` : `${file.key}: ${r.written} rows written`);
  if (r !== undefined) return { key: file.key, status: 'loaded', rows: r.rows, written: r.written, bytes: r.bytes };
  if (signal.aborted) return null;
  return rejected(job, failure instanceof Error ? failure.message : String(failure));
}

/**
 * Whether a job's run (a `backfill --bus`, or an `up --bus` scheduler) is recorded in this store:
 * its job `jobId` names the run in its params. Asked once per run: one run queues for one store.
 */
class RunsInStore {
  readonly #known = new Map<string, Promise<boolean>>();
  constructor(private readonly store: Store) {}

  holds(run: string, jobId: number): Promise<boolean> {
    let held = this.#known.get(run);
    if (held === undefined) {
      held = this.store.getJob(jobId).then((found) => found?.job.params.queueRun === run);
      held.catch(() => this.#known.delete(run)); // a failed look is asked again next time
      this.#known.set(run, held);
    }
    return held;
  }
}

function rejected(job: ArchiveFileJob, error: string): ArchiveFileOutcome {
  return { key: job.file.key, status: 'rejected', rows: 0, written: 0, bytes: 0, error };
}
