/**
 * The scheduler's side of the work queue (`up --bus`): each cycle's syncs, gap repairs and
 * reconciles become one job per symbol (series-job.ts) for the workers. The sync is waited for,
 * because what follows it in the cycle (alert evaluation, the backfills of symbols with nothing
 * stored) needs its rows; gaps and reconcile are queued and left to the workers, as nothing in
 * the loop reads them.
 *
 * Each cycle that queues is recorded as a job of its own (`sync-cycle`, `gaps-cycle`,
 * `reconcile-cycle`) whose params name this run, so a worker can tell the jobs are its store's;
 * its tasks say what each worker reported. The rows are the workers' (their own jobs record them).
 * Results travel at most once, and a job queued already by another scheduler reports to that
 * one, so the store is asked too, every few seconds, whether an awaited sync's series reached its
 * end. A sync no worker finished within `waitMs` is left queued and recorded as a failed task.
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { floorToInterval, intervalMs, type Interval } from '../core/intervals.js';
import type { SeriesKey } from '../core/instrument.js';
import { isoMinute } from '../core/time.js';
import type { Store } from '../store/store.js';
import { abortReason } from './abortable.js';
import type { JobQueue } from './job-queue.js';
import { JobRecorder } from './job-recorder.js';
import { STORE_CHECK_EVERY_MS } from './queued-file-loader.js';
import { decodeSeriesJobOutcome, encodeSeriesJob, seriesJobId, SERIES_JOB_VERSION, type SeriesJob, type SeriesJobKind } from './series-job.js';
import type { SyncResult } from './sync-job.js';

/** What became of an awaited job, from a worker's result or from the store. */
interface Reported {
  status: 'done' | 'needs backfill' | 'failed';
  rows: number;
  /** Who said so: a worker's job, or the store. */
  by: string;
  error?: string;
}

interface Awaited {
  /** Asks the store whether the job's work is there; null while it is not. */
  check(): Promise<Reported | null>;
  resolve(r: Reported): void;
}

export class QueuedSeriesJobs {
  readonly run = `s${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  readonly #awaited = new Map<string, Awaited>();
  readonly #feed: ReturnType<JobQueue['results']>;
  readonly #check: NodeJS.Timeout;
  #checking = false;

  /** `waitMs`: how long a cycle waits for its syncs (real time) before it goes on without them. */
  constructor(private readonly queue: JobQueue, private readonly store: Store, private readonly logger: Logger, private readonly waitMs: number) {
    this.#feed = queue.results(this.run);
    void this.#readResults();
    this.#check = setInterval(() => void this.#checkStore(), STORE_CHECK_EVERY_MS);
  }

  /**
   * The queued counterpart of runSyncJob: one sync per symbol with minutes due up to the cycle's
   * (`now` floored to the interval), waited for; symbols with nothing stored are not queued but
   * returned in `needBackfill`, as the in-process sync returns them.
   */
  async sync(symbols: readonly string[], exchange: string, interval: Interval, now: number, signal: AbortSignal): Promise<SyncResult> {
    const cycle = floorToInterval(now, '1m');
    const until = floorToInterval(now, interval);
    const len = intervalMs(interval);
    const needBackfill: string[] = [];
    const due: Array<{ series: SeriesKey; last: number }> = [];
    for (const symbol of symbols) {
      const series: SeriesKey = { exchange, symbol, interval };
      const last = await this.store.lastOpenTime(series);
      if (last === null) needBackfill.push(symbol);
      else if (last + len < until) due.push({ series, last });
    }
    const rec = await JobRecorder.start(this.store, this.logger, 'sync-cycle', { symbols: due.map((d) => d.series.symbol), interval, queueRun: this.run, cycle: isoMinute(cycle) });
    const deadline = AbortSignal.any([signal, AbortSignal.timeout(this.waitMs)]);
    const rows = await Promise.all(due.map(({ series, last }) => rec.task(`queue sync ${series.symbol} ${isoMinute(last + len)} .. ${isoMinute(until - len)}`, async (log) => {
      const job: SeriesJob = { v: SERIES_JOB_VERSION, kind: 'sync', run: this.run, cycleJobId: rec.id, series, cycle, since: null };
      if (signal.aborted) {
        // Stopping is no failure of the sync: it stays queued for the workers, as in-process syncs stop between symbols.
        await log.info('stopped before it was queued');
        return { rows: 0, value: 0 };
      }
      // Synced once its newest candle is the last closed one before the cycle's end (or later).
      const synced = async (): Promise<Reported | null> => {
        const newest = await this.store.lastOpenTime(series);
        return newest !== null && newest >= until - len ? { status: 'done', rows: (newest - last) / len, by: 'the store' } : null;
      };
      let r: Reported;
      try {
        r = await this.#submit(job, deadline, synced, log.info);
      } catch (err) {
        if (!signal.aborted) throw err;
        await log.info(`stopped waiting for ${seriesJobId(job)}: it stays queued for the workers`);
        return { rows: 0, value: 0 };
      }
      if (r.status === 'failed') throw new Error(`${seriesJobId(job)} failed on a worker (${r.by}): ${r.error ?? 'no reason given'}`);
      if (r.status === 'needs backfill') needBackfill.push(series.symbol);
      await log.info(`${r.status} (${r.by}): ${r.rows} rows written`);
      return { rows: 0, value: r.rows };
    })));
    const written = rows.reduce<number>((n, r) => n + (r ?? 0), 0);
    await rec.finish(`${symbols.length} symbols, ${due.length} syncs queued, ${written} rows written by workers${needBackfill.length > 0 ? `, ${needBackfill.length} need a backfill first` : ''}`);
    return { jobId: rec.id, rows: written, needBackfill };
  }

  /** Queues a gaps or reconcile job per symbol for this cycle, and does not wait for them. */
  async queueOnly(kind: Exclude<SeriesJobKind, 'sync'>, symbols: readonly string[], exchange: string, interval: Interval, now: number, since: number | undefined): Promise<void> {
    if (symbols.length === 0) return;
    const cycle = floorToInterval(now, '1m');
    const rec = await JobRecorder.start(this.store, this.logger, `${kind}-cycle`, { symbols, interval, queueRun: this.run, cycle: isoMinute(cycle) });
    let fresh = 0;
    for (const symbol of symbols) {
      const job: SeriesJob = { v: SERIES_JOB_VERSION, kind, run: this.run, cycleJobId: rec.id, series: { exchange, symbol, interval }, cycle, since: since ?? null };
      await rec.task(`queue ${kind} ${symbol}`, async (log) => {
        const stored = await this.queue.enqueue(kind, encodeSeriesJob(job), seriesJobId(job));
        if (stored) fresh++;
        await log.info(stored ? `queued as ${seriesJobId(job)}` : `${seriesJobId(job)} was queued already (by another scheduler, or before a restart)`);
        return { rows: 0, value: stored };
      });
    }
    await rec.finish(`${fresh} ${kind} jobs queued for workers${fresh < symbols.length ? `, ${symbols.length - fresh} queued already` : ''}`);
  }

  /** Stops listening; jobs still queued are left to the workers. */
  stop(): void {
    clearInterval(this.#check);
    this.#feed.stop();
  }

  /** Queues the job and waits for a worker's result or the store's word, until `deadline`. */
  #submit(job: SeriesJob, deadline: AbortSignal, check: Awaited['check'], note: (m: string) => Promise<void>): Promise<Reported> {
    const id = seriesJobId(job);
    if (deadline.aborted) return Promise.reject(this.#late(id, deadline));
    return new Promise<Reported>((resolve, reject) => {
      const onDeadline = (): void => {
        this.#awaited.delete(id);
        reject(this.#late(id, deadline));
      };
      deadline.addEventListener('abort', onDeadline, { once: true });
      const settle = (): void => {
        this.#awaited.delete(id);
        deadline.removeEventListener('abort', onDeadline);
      };
      this.#awaited.set(id, { check, resolve: (r) => { settle(); resolve(r); } });
      this.queue.enqueue(job.kind, encodeSeriesJob(job), id).then(
        (stored) => (stored ? undefined : note(`${id} was queued already (by another scheduler, or before a restart): waiting for the store`)),
        (err: unknown) => {
          settle();
          reject(err instanceof Error ? err : new Error(String(err)));
        },
      );
    });
  }

  /** The caller's abort as is; the wait's end as an error that says what it means. */
  #late(id: string, deadline: AbortSignal): Error {
    const reason = abortReason(deadline);
    if (reason instanceof Error && reason.name === 'TimeoutError') {
      return new Error(`${id}: no worker finished it within ${this.waitMs / 1000} s (are workers running on this queue?); it stays queued`);
    }
    return reason;
  }

  async #readResults(): Promise<void> {
    for await (const bytes of this.#feed) {
      let outcome;
      try {
        outcome = decodeSeriesJobOutcome(bytes);
      } catch (err) {
        this.logger.warn({ err }, `ignoring a malformed result on run ${this.run}: ${(err as Error).message}`);
        continue;
      }
      const reported: Reported = { status: outcome.status, rows: outcome.rows, by: `worker job ${outcome.jobId}`, ...(outcome.error === undefined ? {} : { error: outcome.error }) };
      const awaited = this.#awaited.get(outcome.id);
      if (awaited !== undefined) awaited.resolve(reported);
      else if (outcome.status === 'failed') this.logger.warn(`${outcome.id} failed on a worker (job ${outcome.jobId}): ${outcome.error ?? 'no reason given'}`);
    }
  }

  async #checkStore(): Promise<void> {
    if (this.#checking || this.#awaited.size === 0) return;
    this.#checking = true;
    try {
      for (const awaited of [...this.#awaited.values()]) {
        const r = await awaited.check();
        if (r !== null) awaited.resolve(r);
      }
    } catch (err) {
      this.logger.warn({ err }, `checking the store for queued syncs failed: ${(err as Error).message}`);
    } finally {
      this.#checking = false;
    }
  }
}
