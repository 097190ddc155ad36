// pipeline: universe, backfill, sync and gap-repair jobs, the scheduler, job and task records, the queue worker; it must not parse exchange payloads.
export * from './backfill-job.js';
export * from './gaps-job.js';
export * from './job-recorder.js';
export * from './progress.js';
export * from './scheduler.js';
export * from './sources.js';
export * from './sync-job.js';
export * from './universe-job.js';
export * from './create-sources.js';
export * from './create-sources-options.js';
export * from './job-queue.js';
export * from './queue-worker.js';
export * from './queued-file-loader.js';
export * from './queued-series-jobs.js';
export * from './series-job.js';
