/**
 * The scheduler behind `tickerflow up`: universe daily (backfilling symbols that enter), sync
 * every minute, gaps hourly, and the archive reconcile that lets newly published, verified files
 * replace the rows the sync fetched over REST. Backfills run beside the loop (`BackfillLane`), so
 * a long one does not stall the minute sync of the other symbols; every job shares the exchange's
 * weight budget through the one rate governor in `sources`. With a `queue` (`up --bus`) the loop
 * keeps its timing and its decisions, and workers do the work: the backfills' archive files, and
 * one job per symbol for each sync (waited for), gap repair and reconcile (queued-series-jobs.ts).
 */
import type { Logger } from 'pino';
import type { Interval } from '../core/intervals.js';
import { utcDate } from '../core/time.js';
import type { Store } from '../store/store.js';
import { abortableSleep, failureLevel } from './abortable.js';
import { BackfillLane } from './backfill-lane.js';
import { runGapsJob } from './gaps-job.js';
import { NothingFound } from './nothing-found.js';
import type { QueuedFileLoader } from './queued-file-loader.js';
import type { QueuedSeriesJobs } from './queued-series-jobs.js';
import { runSyncJob, type SyncResult } from './sync-job.js';
import { followedSymbols, runUniverseJob, type UniverseOptions } from './universe-job.js';
import type { Sources } from './sources.js';

export interface SchedulerOptions {
  interval: Interval;
  since?: number;
  universe: Omit<UniverseOptions, 'now'>;
  syncEveryMs: number;
  gapsEveryMs: number;
  universeEveryMs: number;
  /** How often followed symbols are checked for newly published archive files; default `gapsEveryMs`. */
  reconcileEveryMs?: number;
  /** Archive files loaded at once by a backfill ([history] backfill_concurrency). */
  backfillConcurrency?: number;
  /** Sleep until the next cycle or the abort, whichever comes first; tests and the replay clock shorten it. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Called after each cycle's sync with the exchange's now and what the sync wrote: the place for
   * work that follows closed bars (the demo reports them). An error it throws is logged like any
   * cycle's, and the loop goes on.
   */
  afterSync?: (now: number, sync: SyncResult) => Promise<void> | void;
  /**
   * Scale-out: hand the work to workers on a queue instead of doing it here. Backfills are
   * planned here and their archive files queued (`files`), their REST tail fetched here, as
   * `backfill --bus` does; syncs, gap repairs and reconciles are queued per symbol (`series`).
   */
  queue?: { files: QueuedFileLoader; series: QueuedSeriesJobs };
}

/**
 * Runs until `signal` aborts; each cycle's errors are logged and the loop goes on. On abort it
 * returns once the running backfill has stopped (between two files, none committed in part).
 */
export async function runScheduler(store: Store, sources: Sources, logger: Logger, opts: SchedulerOptions, signal: AbortSignal): Promise<void> {
  const sleep = opts.sleep ?? abortableSleep;
  const nothingFound = new NothingFound();
  const lane = new BackfillLane(store, sources, logger, { interval: opts.interval, since: opts.since, concurrency: opts.backfillConcurrency, nothingFound, files: opts.queue?.files }, signal);
  const queued = opts.queue?.series;
  const exchange = sources.exchange.exchange;
  const reconcileEveryMs = opts.reconcileEveryMs ?? opts.gapsEveryMs;
  let nextUniverse = 0;
  let nextGaps = 0;
  let nextReconcile = sources.exchange.now() + reconcileEveryMs;
  let universeKey: string | null = null;
  while (!signal.aborted) {
    const now = sources.exchange.now();
    try {
      if (now >= nextUniverse) {
        const res = await runUniverseJob(store, sources, logger, { ...opts.universe, now });
        nextUniverse = now + opts.universeEveryMs;
        const key = res.snapshot.entries.map((e) => e.symbol).join(',');
        if (universeKey !== null && key !== universeKey) nothingFound.clear(); // a change: try the empty ones again
        universeKey = key;
        lane.request(res.entered);
      }
      const symbols = await followedSymbols(store, exchange, utcDate(now), opts.universe.manualSymbols);
      const idle = symbols.filter((s) => !lane.busy(s));
      const sync = queued === undefined
        ? await runSyncJob(store, sources, logger, { symbols: idle, interval: opts.interval, signal })
        : await queued.sync(idle, exchange, opts.interval, now, signal);
      lane.request(sync.needBackfill.filter((s) => !nothingFound.has(s, now)));
      await opts.afterSync?.(now, sync);
      if (now >= nextGaps) {
        const withData = idle.filter((s) => !sync.needBackfill.includes(s));
        if (queued === undefined) await runGapsJob(store, sources, logger, { symbols: withData, interval: opts.interval, since: opts.since, repair: true, signal });
        else await queued.queueOnly('gaps', withData, exchange, opts.interval, now, opts.since);
        nextGaps = now + opts.gapsEveryMs;
      }
      if (now >= nextReconcile) {
        // Symbols with candles, for files that replace REST rows; symbols whose backfill found
        // nothing, for a first file (a new archive listing is one of the changes that ends the wait).
        const reconcile = idle.filter((s) => !sync.needBackfill.includes(s) || nothingFound.has(s, now));
        if (queued === undefined) lane.request(reconcile, true);
        else await queued.queueOnly('reconcile', reconcile, exchange, opts.interval, now, opts.since);
        nextReconcile = now + reconcileEveryMs;
      }
    } catch (err) {
      logger[failureLevel(err)]({ err }, `scheduler cycle failed: ${(err as Error).message}`);
    }
    await sleep(opts.syncEveryMs, signal);
  }
  await lane.idle();
}
