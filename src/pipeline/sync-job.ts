/**
 * The sync job: tops every followed series up to the last closed candle from REST, within the
 * shared weight budget. A series with nothing stored yet is left to the backfill job.
 */
import type { Logger } from 'pino';
import { floorToInterval, intervalMs, type Interval } from '../core/intervals.js';
import type { SeriesKey } from '../core/instrument.js';
import { isoMinute } from '../core/time.js';
import type { Store } from '../store/store.js';
import { fetchRestRange } from './fetch-rest-range.js';
import { JobRecorder } from './job-recorder.js';
import type { Sources } from './sources.js';

export interface SyncResult {
  jobId: number;
  rows: number;
  /** Symbols with nothing stored: they need a backfill first. */
  needBackfill: string[];
}

export interface SyncOptions {
  symbols: readonly string[];
  interval: Interval;
  signal?: AbortSignal;
  /** Exclusive end (an open time); default the forming candle's, by the exchange's clock. A queued sync ends where its cycle did. */
  until?: number;
  /** Recorded with the job's params (a queued job's id). */
  jobParams?: Record<string, unknown>;
}

export async function runSyncJob(store: Store, sources: Sources, logger: Logger, opts: SyncOptions): Promise<SyncResult> {
  const job = await JobRecorder.start(store, logger, 'sync', { symbols: opts.symbols, interval: opts.interval, ...opts.jobParams });
  const len = intervalMs(opts.interval);
  const end = floorToInterval(opts.until ?? sources.exchange.now(), opts.interval);
  const needBackfill: string[] = [];
  let rows = 0;
  for (const symbol of opts.symbols) {
    if (opts.signal?.aborted === true) break; // stopping: the next start tops the rest up
    const series: SeriesKey = { exchange: sources.exchange.exchange, symbol, interval: opts.interval };
    // Only the newest open time is needed: seriesStats would count every row of the series each cycle.
    const last = await store.lastOpenTime(series);
    if (last === null) {
      needBackfill.push(symbol);
      continue;
    }
    const from = last + len;
    if (from >= end) continue;
    const written = await job.task(`${symbol} ${isoMinute(from)} .. ${isoMinute(end - len)}`, async (log) => {
      const n = await fetchRestRange(store, sources.exchange, series, from, end, opts.signal, log.taskId);
      await log.info(`${n} rows written (${(end - from) / len} candles were due)`);
      return { rows: n, value: n };
    });
    rows += written ?? 0;
  }
  await job.finish(`${opts.symbols.length} symbols, ${rows} rows written${needBackfill.length > 0 ? `, ${needBackfill.length} need a backfill first` : ''}`);
  return { jobId: job.id, rows, needBackfill };
}
