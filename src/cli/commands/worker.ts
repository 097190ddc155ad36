/** `tickerflow worker`: does queued pipeline jobs (archive files, syncs, gap repairs, reconciles) on a shared PostgreSQL store until Ctrl-C. */
import type { Command } from 'commander';
import { DEFAULT_WORK_QUEUE } from '../../bus/nats/nats-work-queue.js';
import { ConfigError } from '../../core/errors.js';
import { runQueueWorker } from '../../pipeline/queue-worker.js';
import { withContext } from '../context.js';
import { pauseBeforeAckFromEnv } from '../test-pause.js';
import { positiveIntArg } from '../options.js';
import { addWorkQueueOptions, openWorkQueue, requireSharedStore, type WorkQueueOptions } from '../work-queue-options.js';
import { StopSignals } from '../stop-signals.js';

export function registerWorkerCommand(program: Command): void {
  const cmd = program
    .command('worker')
    .description('pull pipeline jobs from a NATS JetStream work queue and do them on a PostgreSQL store — archive files queued by `backfill --bus` and `up --bus`, and the syncs, gap repairs and reconciles `up --bus` queues; run several')
    .option('--concurrency <n>', 'jobs worked on at once by this process (default [history] backfill_concurrency)', positiveIntArg)
    .option('--lease <seconds>', 'a job whose worker sends no heartbeat for this long goes to another worker (the last worker started sets it for all)', positiveIntArg, DEFAULT_WORK_QUEUE.ackWaitMs / 1000);
  addWorkQueueOptions(cmd, 'NATS server of the work queue: nats://host[:port] (required)').action(async (opts: WorkQueueOptions & { concurrency?: number; lease: number }, command: Command) => {
    const bus = opts.bus;
    if (bus === undefined) throw new ConfigError('worker needs --bus nats://host[:port] (the NATS JetStream server of the work queue)');
    requireSharedStore(command, 'worker');
    await withContext(command, async (ctx) => {
      const queue = await openWorkQueue(bus, opts, opts.lease);
      const abort = new StopSignals('tickerflow worker: stopping (jobs in hand are finished or handed back)');
      const concurrency = opts.concurrency ?? ctx.config.history.backfill_concurrency;
      process.stderr.write(`tickerflow worker: pulling from "${opts.queue}", ${concurrency} at a time; Ctrl-C stops\n`);
      try {
        const s = await runQueueWorker(ctx.store, ctx.sources(), ctx.logger, queue, {
          concurrency,
          signal: abort.signal,
          backfillConcurrency: ctx.config.history.backfill_concurrency,
          beforeAck: pauseBeforeAckFromEnv(process.env),
          onSeriesOutcome: (_job, o) => ctx.logger.info({ id: o.id, status: o.status, rows: o.rows, job: o.jobId }, `${o.id}: ${o.status}${o.error === undefined ? '' : ` (${o.error})`}`),
          onOutcome: (job, o) => ctx.logger.info({ key: o.key, status: o.status, rows: o.rows, written: o.written }, `${job.file.key}: ${o.status}${o.error === undefined ? '' : ` (${o.error})`}`),
        });
        process.stdout.write(`worker stopped: ${s.loaded} files loaded, ${s.alreadyLoaded} found already loaded, ${s.rejected} rejected, ${s.handedBack} handed back, ${s.foreign} of another store handed back, ${s.seriesDone} sync, gaps and reconcile jobs done, ${s.seriesFailed} failed, ${s.malformed} malformed jobs dropped\n`);
      } finally {
        abort.release();
        await queue.close();
      }
    });
  });
}
