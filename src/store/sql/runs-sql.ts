/** Job runs, task runs and their log lines, shared by both SQL backends. Ids are database integers. */
import { StoreError } from '../../core/errors.js';
import type { JobRun, RunStatus, TaskLogLine, TaskRun } from '../store.js';
import { insertReturningId } from './insert-returning-id.js';
import type { SqlExecutor, SqlSession } from './sql-session.js';
import { col, toNumber, toNumberOrNull, toText, toTextOrNull } from './sql-values.js';

const RUN_STATUSES: readonly string[] = ['running', 'ok', 'failed', 'partial', 'abandoned'] satisfies RunStatus[];

/**
 * How long a running job counts as alive after its last heartbeat. JobRecorder beats every 20 s
 * while a task runs, so a live job misses several beats before it lapses.
 */
export const JOB_LEASE_MS = 120_000;
const LOG_LEVELS: readonly string[] = ['debug', 'info', 'warn', 'error'] satisfies TaskLogLine['level'][];

function isRunStatus(s: string): s is RunStatus {
  return RUN_STATUSES.includes(s);
}

function isLogLevel(s: string): s is TaskLogLine['level'] {
  return LOG_LEVELS.includes(s);
}

function runStatus(v: unknown): RunStatus {
  const s = toText(v, 'status');
  if (!isRunStatus(s)) throw new StoreError(`unknown run status "${s}" in the store`);
  return s;
}

function logLevel(v: unknown): TaskLogLine['level'] {
  const s = toText(v, 'level');
  if (!isLogLevel(s)) throw new StoreError(`unknown log level "${s}" in the store`);
  return s;
}

function params(v: unknown): Record<string, unknown> {
  const parsed: unknown = JSON.parse(toText(v, 'params'));
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new StoreError('job params are not a JSON object');
  return { ...parsed };
}

export function startJobSql(db: SqlSession, kind: string, p: Record<string, unknown>, now: number): Promise<number> {
  return db.transaction(async (tx) => {
    const id = await insertReturningId(tx, "INSERT INTO job_runs (kind, params, status, started_at, rows) VALUES ($1, $2, 'running', $3, 0)", [
      kind, JSON.stringify(p), now,
    ]);
    await tx.run('INSERT INTO job_leases (job_id, heartbeat_at) VALUES ($1, $2)', [id, now]);
    return id;
  });
}

export async function heartbeatJobSql(db: SqlExecutor, id: number, now: number): Promise<void> {
  // Only a running job is renewed: a late beat must not revive a job already marked abandoned.
  await db.run(
    `INSERT INTO job_leases (job_id, heartbeat_at) SELECT id, $2 FROM job_runs WHERE id = $1 AND status = 'running'
     ON CONFLICT (job_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
    [id, now],
  );
}

/**
 * A job's last sign of life: the latest of its start, its last heartbeat and the last start or end
 * of one of its tasks (a job stopped between beats had tasks start after its last beat).
 */
const LAST_SEEN = `GREATEST(j.started_at,
  COALESCE((SELECT max(l.heartbeat_at) FROM job_leases l WHERE l.job_id = j.id), j.started_at),
  COALESCE((SELECT max(COALESCE(t.finished_at, t.started_at)) FROM task_runs t WHERE t.job_id = j.id), j.started_at))`;

/**
 * Marks `running` jobs last seen before `seenBefore` (and their running tasks) as abandoned. The
 * job's rows become the rows its finished tasks recorded: what it had committed. A job's end is
 * its last heartbeat, the last moment it is known to have been alive.
 * @returns the number of jobs marked.
 */
export function abandonJobsSql(db: SqlSession, seenBefore: number, why: string): Promise<number> {
  return db.transaction(async (tx) => {
    const rows = await tx.all(`SELECT j.id, ${LAST_SEEN} FROM job_runs j WHERE j.status = 'running'`);
    let marked = 0;
    for (const r of rows) {
      const id = toNumber(col(r, 0), 'id');
      const lastSeen = toNumber(col(r, 1), 'last seen');
      if (lastSeen >= seenBefore) continue;
      // A running task keeps the rows its candle writes added in their own transactions (taskId).
      await tx.run("UPDATE task_runs SET status = 'abandoned', error = $2, finished_at = GREATEST(started_at, $3) WHERE job_id = $1 AND status = 'running'", [id, why, lastSeen]);
      marked += await tx.run(
        `UPDATE job_runs SET status = 'abandoned', finished_at = $3, summary = $2,
           rows = (SELECT COALESCE(sum(t.rows), 0) FROM task_runs t WHERE t.job_id = $1 AND t.status IN ('ok', 'abandoned'))
         WHERE id = $1 AND status = 'running'`,
        [id, why, lastSeen],
      );
    }
    return marked;
  });
}

/**
 * Deletes job runs started before `startedBefore` that are no longer running, with their tasks,
 * log lines and leases, in one transaction.
 */
export function pruneJobsSql(db: SqlSession, startedBefore: number): Promise<number> {
  return db.transaction(async (tx) => {
    const old = "SELECT id FROM job_runs WHERE started_at < $1 AND status <> 'running'";
    await tx.run(`DELETE FROM job_leases WHERE job_id IN (${old})`, [startedBefore]);
    await tx.run(`DELETE FROM task_logs WHERE task_id IN (SELECT id FROM task_runs WHERE job_id IN (${old}))`, [startedBefore]);
    await tx.run(`DELETE FROM task_runs WHERE job_id IN (${old})`, [startedBefore]);
    return tx.run(`DELETE FROM job_runs WHERE started_at < $1 AND status <> 'running'`, [startedBefore]);
  });
}

export async function finishJobSql(db: SqlExecutor, id: number, status: RunStatus, rows: number, summary: string | null, now: number): Promise<void> {
  await db.run('UPDATE job_runs SET status = $2, rows = $3, summary = $4, finished_at = $5 WHERE id = $1', [id, status, rows, summary, now]);
}

export function startTaskSql(db: SqlExecutor, jobId: number, name: string, now: number): Promise<number> {
  return insertReturningId(db, "INSERT INTO task_runs (job_id, name, status, started_at, rows) VALUES ($1, $2, 'running', $3, 0)", [
    jobId, name, now,
  ]);
}

export async function finishTaskSql(db: SqlExecutor, id: number, status: RunStatus, rows: number, error: string | null, now: number): Promise<void> {
  await db.run('UPDATE task_runs SET status = $2, rows = $3, error = $4, finished_at = $5 WHERE id = $1', [id, status, rows, error, now]);
}

/** Inside a candle write's transaction: the running task's rows grow by what the write changed. */
export async function addTaskRowsSql(db: SqlExecutor, id: number, rows: number): Promise<void> {
  if (rows > 0) await db.run("UPDATE task_runs SET rows = rows + $2 WHERE id = $1 AND status = 'running'", [id, rows]);
}

export async function appendTaskLogSql(db: SqlExecutor, line: TaskLogLine): Promise<void> {
  await db.run('INSERT INTO task_logs (task_id, logged_at, level, message) VALUES ($1, $2, $3, $4)', [line.taskId, line.at, line.level, line.message]);
}

const JOB_SELECT = 'SELECT id, kind, params, status, started_at, finished_at, rows, summary FROM job_runs';

function jobFromRow(r: unknown[]): JobRun {
  return {
    id: toNumber(col(r, 0), 'id'),
    kind: toText(col(r, 1), 'kind'),
    params: params(col(r, 2)),
    status: runStatus(col(r, 3)),
    startedAt: toNumber(col(r, 4), 'started_at'),
    finishedAt: toNumberOrNull(col(r, 5), 'finished_at'),
    rows: toNumber(col(r, 6), 'rows'),
    summary: toTextOrNull(col(r, 7), 'summary'),
  };
}

export async function listJobsSql(db: SqlExecutor, limit: number): Promise<JobRun[]> {
  const rows = await db.all(`${JOB_SELECT} ORDER BY id DESC LIMIT $1`, [Math.max(0, Math.floor(limit))]);
  return rows.map(jobFromRow);
}

export async function getJobSql(db: SqlExecutor, id: number): Promise<{ job: JobRun; tasks: Array<TaskRun & { logs: TaskLogLine[] }> } | null> {
  const jobs = await db.all(`${JOB_SELECT} WHERE id = $1`, [id]);
  if (!jobs[0]) return null;
  const tasks = await db.all(
    'SELECT id, job_id, name, status, started_at, finished_at, rows, error FROM task_runs WHERE job_id = $1 ORDER BY id',
    [id],
  );
  const logs = await db.all(
    `SELECT task_id, logged_at, level, message FROM task_logs WHERE task_id IN (SELECT id FROM task_runs WHERE job_id = $1) ORDER BY id`,
    [id],
  );
  const byTask = new Map<number, TaskLogLine[]>();
  for (const l of logs) {
    const line: TaskLogLine = { taskId: toNumber(col(l, 0), 'task_id'), at: toNumber(col(l, 1), 'at'), level: logLevel(col(l, 2)), message: toText(col(l, 3), 'message') };
    const list = byTask.get(line.taskId) ?? [];
    list.push(line);
    byTask.set(line.taskId, list);
  }
  return {
    job: jobFromRow(jobs[0]),
    tasks: tasks.map((t) => {
      const taskId = toNumber(col(t, 0), 'id');
      return {
        id: taskId,
        jobId: toNumber(col(t, 1), 'job_id'),
        name: toText(col(t, 2), 'name'),
        status: runStatus(col(t, 3)),
        startedAt: toNumber(col(t, 4), 'started_at'),
        finishedAt: toNumberOrNull(col(t, 5), 'finished_at'),
        rows: toNumber(col(t, 6), 'rows'),
        error: toTextOrNull(col(t, 7), 'error'),
        logs: byTask.get(taskId) ?? [],
      };
    }),
  };
}
