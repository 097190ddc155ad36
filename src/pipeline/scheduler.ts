/**
 * The scheduler behind `tickerflow up`: universe daily (backfilling symbols that enter), sync
 * every minute, gaps hourly — one job at a time, so the jobs share the exchange's weight budget
 * through the one rate governor without racing each other for it.
 */
import type { Logger } from 'pino';
import type { Interval } from '../core/intervals.js';
import { utcDate } from '../core/time.js';
import type { Store } from '../store/store.js';
import { runBackfillJob } from './backfill-job.js';
import { runGapsJob } from './gaps-job.js';
import { runSyncJob } from './sync-job.js';
import { followedSymbols, runUniverseJob, type UniverseOptions } from './universe-job.js';
import type { Sources } from './sources.js';

export interface SchedulerOptions {
  interval: Interval;
  since?: number;
  universe: Omit<UniverseOptions, 'now'>;
  syncEveryMs: number;
  gapsEveryMs: number;
  universeEveryMs: number;
  /** Real-time sleep; tests and the replay clock may shorten it. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const defaultSleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
  });

/** Runs until `signal` aborts; each cycle's errors are logged and the loop goes on. */
export async function runScheduler(store: Store, sources: Sources, logger: Logger, opts: SchedulerOptions, signal: AbortSignal): Promise<void> {
  const sleep = opts.sleep ?? defaultSleep;
  let nextUniverse = 0;
  let nextGaps = 0;
  while (!signal.aborted) {
    const now = sources.exchange.now();
    try {
      if (now >= nextUniverse) {
        const res = await runUniverseJob(store, sources, logger, { ...opts.universe, now });
        nextUniverse = now + opts.universeEveryMs;
        if (res.entered.length > 0) await runBackfillJob(store, sources, logger, { symbols: res.entered, interval: opts.interval, since: opts.since });
      }
      const symbols = await followedSymbols(store, sources.exchange.exchange, utcDate(now), opts.universe.manualSymbols);
      const sync = await runSyncJob(store, sources, logger, { symbols, interval: opts.interval });
      if (sync.needBackfill.length > 0) await runBackfillJob(store, sources, logger, { symbols: sync.needBackfill, interval: opts.interval, since: opts.since });
      if (now >= nextGaps) {
        await runGapsJob(store, sources, logger, { symbols, interval: opts.interval, since: opts.since, repair: true });
        nextGaps = now + opts.gapsEveryMs;
      }
    } catch (err) {
      logger.error({ err }, `scheduler cycle failed: ${(err as Error).message}`);
    }
    await sleep(opts.syncEveryMs, signal);
  }
}
