/**
 * Records a pipeline job and its tasks in the store: status, timings, rows and log lines, so
 * that `tickerflow jobs` can show what happened. A failed task is recorded and the job goes on.
 * While a task runs the job's heartbeat is renewed, so a job whose process died is shown as
 * `abandoned` once its lease lapses (PostgreSQL; DuckDB finds it at the next open).
 */
import type { Logger } from 'pino';
import type { RunStatus, Store, TaskLogLine } from '../store/store.js';
import { failureLevel } from './abortable.js';

/** How often a running task renews its job's lease; well inside the store's lease (120 s). */
export const HEARTBEAT_EVERY_MS = 20_000;

export interface TaskLog {
  readonly taskId: number;
  info(message: string): Promise<void>;
  warn(message: string): Promise<void>;
  error(message: string): Promise<void>;
}

export interface TaskResult<T> {
  rows: number;
  value: T;
}

export class JobRecorder {
  rows = 0;
  tasksOk = 0;
  tasksFailed = 0;
  /** The message of each failed task, by task name. */
  readonly failures = new Map<string, string>();
  /** When the last heartbeat was sent (performance.now(): real time, whatever the job's clock); -Infinity before the first. */
  private lastBeat = -Infinity;

  private constructor(
    readonly store: Store,
    readonly id: number,
    readonly kind: string,
    private readonly logger: Logger,
    private readonly clock: () => number,
  ) {}

  static async start(store: Store, logger: Logger, kind: string, params: Record<string, unknown>, clock: () => number = Date.now): Promise<JobRecorder> {
    const id = await store.startJob(kind, params);
    logger.info({ job: id, kind }, `${kind} job ${id} started`);
    return new JobRecorder(store, id, kind, logger.child({ job: id, kind }), clock);
  }

  /**
   * Runs one task. Its error is logged and recorded, and the job continues; the task's value is
   * returned, or undefined when it failed.
   */
  async task<T>(name: string, fn: (log: TaskLog) => Promise<TaskResult<T>>): Promise<T | undefined> {
    const taskId = await this.store.startTask(this.id, name);
    const log = this.taskLog(taskId, name);
    // Beats only while a task runs: a job that throws out between tasks stops beating and lapses
    // instead of looking alive for as long as a long-running `up` lives. A task that starts within
    // HEARTBEAT_EVERY_MS of the last beat skips its own: the backfill starts several tasks a
    // second, and each beat is a commit in the queue its candle writes wait in.
    if (performance.now() - this.lastBeat >= HEARTBEAT_EVERY_MS) await this.beat();
    const timer = setInterval(() => void this.beat(), HEARTBEAT_EVERY_MS);
    timer.unref();
    try {
      const { rows, value } = await fn(log);
      this.rows += rows;
      this.tasksOk++;
      await this.store.finishTask(taskId, 'ok', rows, null);
      return value;
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      this.tasksFailed++;
      this.failures.set(name, message);
      // A task stopped on request is recorded as not done, and said without alarm on Ctrl-C.
      await log[failureLevel(err)](message);
      await this.store.finishTask(taskId, 'failed', 0, message);
      return undefined;
    } finally {
      clearInterval(timer);
    }
  }

  private async beat(): Promise<void> {
    this.lastBeat = performance.now();
    try {
      await this.store.heartbeatJob(this.id);
    } catch (err) {
      // A missed beat only risks a false `abandoned` later; the task itself goes on.
      this.logger.warn({ err }, `${this.kind} job ${this.id}: heartbeat failed: ${(err as Error).message}`);
    }
  }

  async finish(summary: string): Promise<RunStatus> {
    const status: RunStatus = this.tasksFailed === 0 ? 'ok' : this.tasksOk > 0 ? 'partial' : 'failed';
    await this.store.finishJob(this.id, status, this.rows, summary);
    this.logger.info({ status, rows: this.rows }, `${this.kind} job ${this.id} ${status}: ${summary}`);
    return status;
  }

  private taskLog(taskId: number, name: string): TaskLog {
    const child = this.logger.child({ task: taskId, name });
    const write = async (level: TaskLogLine['level'], message: string): Promise<void> => {
      child[level](message);
      await this.store.appendTaskLog({ taskId, at: this.clock(), level, message });
    };
    return {
      taskId,
      info: (m) => write('info', m),
      warn: (m) => write('warn', m),
      error: (m) => write('error', m),
    };
  }
}
