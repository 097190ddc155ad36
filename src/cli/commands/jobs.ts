/** `tickerflow jobs`: lists job runs; `jobs show <id>` drills down to tasks and their log lines. */
import type { Command } from 'commander';
import { NotFoundError } from '../../core/errors.js';
import type { JobRun } from '../../store/store.js';
import { z } from 'zod';
import { jobSchema, taskSchema } from '../../api/pipeline-schemas.js';
import { runningUp, withStoreOr } from '../context.js';
import { positiveIntArg } from '../options.js';

const time = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString().replace('T', ' ').slice(0, 19));
const seconds = (a: number, b: number | null): string => (b === null ? 'running' : `${((b - a) / 1000).toFixed(1)} s`);

function jobLine(j: JobRun): string {
  return `${String(j.id).padStart(5)}  ${j.kind.padEnd(13)} ${j.status.padEnd(8)} ${time(j.startedAt)}  ${seconds(j.startedAt, j.finishedAt).padStart(9)}  ${String(j.rows).padStart(9)} rows  ${j.summary ?? ''}`;
}

export function registerJobsCommand(program: Command): void {
  const jobs = program
    .command('jobs')
    .description('list pipeline job runs, newest first: running, ok, partial, failed, or abandoned (its process died); see `jobs show <id>`')
    .option('-n, --limit <n>', 'how many', positiveIntArg, 20)
    .action(async (opts: { limit: number }, cmd: Command) => {
      const remote = runningUp(cmd);
      const read = remote === null ? undefined : async (): Promise<JobRun[]> => z.object({ jobs: z.array(jobSchema) }).parse(await remote.getJson('/api/v1/jobs', { limit: opts.limit })).jobs;
      await withStoreOr(cmd, read, ({ store }) => store.listJobs(opts.limit), (list) => {
        if (list.length === 0) process.stdout.write('no job runs yet\n');
        for (const j of list) process.stdout.write(`${jobLine(j)}\n`);
      });
    });
  jobs
    .command('show')
    .description('one job run with its tasks and their log lines')
    .argument('<id>', 'job id', positiveIntArg)
    .action(async (id: number, _opts: unknown, cmd: Command) => {
      const remote = runningUp(cmd);
      const read = remote === null ? undefined : async (): Promise<JobDetail> => jobDetail.parse(await remote.getJson(`/api/v1/jobs/${id}`));
      await withStoreOr(cmd, read, ({ store }) => store.getJob(id), (found) => {
        if (found === null) throw new NotFoundError(`no job run with id ${id}`);
        process.stdout.write(`${jobLine(found.job)}\nparams: ${JSON.stringify(found.job.params)}\n`);
        for (const t of found.tasks) {
          process.stdout.write(`  task ${t.id} ${t.status.padEnd(7)} ${seconds(t.startedAt, t.finishedAt).padStart(9)} ${String(t.rows).padStart(8)} rows  ${t.name}${t.error === null ? '' : `\n    error: ${t.error}`}\n`);
          for (const l of t.logs) process.stdout.write(`    ${time(l.at)} ${l.level.padEnd(5)} ${l.message}\n`);
        }
      });
    });
}

const jobDetail = z.object({ job: jobSchema, tasks: z.array(taskSchema) });
type JobDetail = z.infer<typeof jobDetail>;
