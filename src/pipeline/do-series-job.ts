/**
 * A worker's side of a queued sync, gaps or reconcile job: the same job functions `up` runs in
 * process, for one symbol, each recorded as its own job in the store (`sync`, `gaps`, and for a
 * reconcile an archive-only `backfill`) with the queued job's id in its params.
 *
 * Done twice, each is harmless, which is what lets a lapsed lease redeliver it: a sync starts
 * after the newest stored candle, so a second run finds nothing left to fetch up to the same end;
 * a gaps run repairs only minutes still missing and upserts by (series, open time); a reconcile
 * skips files whose manifest entry is there whole and unchanged. Every write is an upsert by key
 * in one transaction per page or file, so a worker killed inside one leaves nothing of it.
 */
import type { Logger } from 'pino';
import type { Store } from '../store/store.js';
import { runBackfillJob } from './backfill-job.js';
import { runGapsJob } from './gaps-job.js';
import { seriesJobId, type SeriesJob, type SeriesJobOutcome } from './series-job.js';
import type { Sources } from './sources.js';
import { runSyncJob } from './sync-job.js';

/**
 * Does the job; null when an abort came before or during it (the caller hands it back: what it
 * committed stays, and the next delivery goes on from there, so no partial run is reported done).
 */
export async function doSeriesJob(store: Store, sources: Sources, logger: Logger, job: SeriesJob, opts: { signal: AbortSignal; backfillConcurrency?: number }): Promise<SeriesJobOutcome | null> {
  const id = seriesJobId(job);
  const { series } = job;
  if (series.exchange !== sources.exchange.exchange) {
    throw new Error(`${id}: a job for ${series.exchange}, and this worker's sources are ${sources.exchange.exchange}`);
  }
  if (opts.signal.aborted) return null;
  const jobParams = { queuedAs: id, cycleJob: job.cycleJobId };
  const common = { symbols: [series.symbol], interval: series.interval, signal: opts.signal, jobParams };
  const since = job.since ?? undefined;
  let jobId: number;
  let rows: number;
  let needsBackfill = false;
  let rejected: string[] = [];
  switch (job.kind) {
    case 'sync': {
      const r = await runSyncJob(store, sources, logger, { ...common, until: job.cycle });
      ({ jobId, rows } = r);
      needsBackfill = r.needBackfill.length > 0;
      break;
    }
    case 'gaps': {
      const r = await runGapsJob(store, sources, logger, { ...common, since, repair: true });
      jobId = r.jobId;
      rows = r.repairedCandles;
      break;
    }
    case 'reconcile': {
      const r = await runBackfillJob(store, sources, logger, { ...common, since, archiveOnly: true, concurrency: opts.backfillConcurrency });
      jobId = r.jobId;
      rows = r.results.reduce((n, s) => n + s.archiveRows, 0);
      rejected = r.results.flatMap((s) => s.rejectedFiles);
      break;
    }
  }
  if (opts.signal.aborted) return null;
  // The job functions record a failed task and go on; the store says how the job ended.
  const recorded = await store.getJob(jobId);
  const status = recorded?.job.status ?? 'failed';
  if (status === 'ok' && rejected.length === 0) return { v: 1, id, status: needsBackfill ? 'needs backfill' : 'done', rows, jobId };
  const failedTask = recorded?.tasks.find((t) => t.status === 'failed');
  const error = rejected.length > 0 ? `archive files rejected: ${rejected.join(', ')}` : `${failedTask?.name ?? 'the job'}: ${failedTask?.error ?? `ended ${status}`}`;
  return { v: 1, id, status: 'failed', rows, jobId, error };
}
