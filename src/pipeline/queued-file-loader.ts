/**
 * The backfill's side of the work queue: each archive file it planned becomes a job, and `load`
 * resolves when a worker reports the file in the store (or rejects when a worker rejected it).
 * Results travel at most once, so the store is asked too, every few seconds, for the files still
 * awaited: a file whose manifest entry is there whole and unchanged is done, whoever reported it.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { SeriesKey } from '../core/instrument.js';
import type { Store } from '../store/store.js';
import { abortReason } from './abortable.js';
import { archiveFileJobId, ARCHIVE_FILE_JOB, decodeArchiveFileOutcome, encodeArchiveFileJob, type ArchiveFileJob, type ArchiveFileOutcome } from './archive-file-job.js';
import { ingestReason, type IngestReason } from './archive-plan.js';
import type { JobQueue } from './job-queue.js';
import type { ArchiveFile } from './sources.js';

/** How often the store is asked about files whose result has not come. */
export const STORE_CHECK_EVERY_MS = 3_000;

interface Awaited {
  job: ArchiveFileJob;
  resolve(o: ArchiveFileOutcome): void;
  reject(err: Error): void;
}

export class QueuedFileLoader {
  readonly run = `b${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  readonly #awaited = new Map<string, Awaited>();
  readonly #feed: ReturnType<JobQueue['results']>;
  readonly #check: NodeJS.Timeout;
  #checking = false;

  constructor(private readonly queue: JobQueue, private readonly store: Store, private readonly logger: Logger) {
    this.#feed = queue.results(this.run);
    void this.#readResults();
    this.#check = setInterval(() => void this.#checkStore(), STORE_CHECK_EVERY_MS);
  }

  /** Queues the file for the backfill job `backfillJobId` (whose params name this run) and waits for it to be in the store; rejects with the worker's reason, or on abort (the job stays queued). */
  load(backfillJobId: number, series: SeriesKey, file: ArchiveFile, reason: IngestReason, keepFrom: number, signal: AbortSignal): Promise<ArchiveFileOutcome> {
    if (signal.aborted) return Promise.reject(abortReason(signal));
    const job: ArchiveFileJob = { run: this.run, backfillJobId, series, file, keepFrom, reason };
    return new Promise<ArchiveFileOutcome>((resolve, reject) => {
      const onAbort = (): void => {
        this.#awaited.delete(file.key);
        reject(abortReason(signal));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = (): void => {
        this.#awaited.delete(file.key);
        signal.removeEventListener('abort', onAbort);
      };
      this.#awaited.set(file.key, {
        job,
        resolve: (o) => { settle(); resolve(o); },
        reject: (err) => { settle(); reject(err); },
      });
      this.queue.enqueue(ARCHIVE_FILE_JOB, encodeArchiveFileJob(job), archiveFileJobId(job)).catch((err: unknown) => {
        this.#awaited.get(file.key)?.reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  /** Stops listening; files still awaited are left to the workers. */
  stop(): void {
    clearInterval(this.#check);
    this.#feed.stop();
  }

  async #readResults(): Promise<void> {
    for await (const bytes of this.#feed) {
      let outcome: ArchiveFileOutcome;
      try {
        outcome = decodeArchiveFileOutcome(bytes);
      } catch (err) {
        this.logger.warn({ err }, `ignoring a malformed result on run ${this.run}: ${(err as Error).message}`);
        continue;
      }
      const awaited = this.#awaited.get(outcome.key);
      if (awaited === undefined) continue; // reported again after a redelivery, or not this run's
      if (outcome.status === 'rejected') awaited.reject(new Error(`a worker rejected ${outcome.key}: ${outcome.error ?? 'no reason given'}`));
      else awaited.resolve(outcome);
    }
  }

  async #checkStore(): Promise<void> {
    if (this.#checking || this.#awaited.size === 0) return;
    this.#checking = true;
    try {
      for (const [key, awaited] of [...this.#awaited]) {
        const entry = await this.store.getManifest(key);
        if (entry !== null && ingestReason(awaited.job.file, entry, awaited.job.keepFrom) === null) {
          awaited.resolve({ key, status: 'already loaded', rows: entry.rows, written: 0, bytes: 0 });
        }
      }
    } catch (err) {
      this.logger.warn({ err }, `checking the manifest for queued files failed: ${(err as Error).message}`);
    } finally {
      this.#checking = false;
    }
  }
}
