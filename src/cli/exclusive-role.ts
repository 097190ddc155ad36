/**
 * Work that one process among several does at a time (`serve`'s Telegram getUpdates consumer
 * and its alert evaluation): a process tries the role's lock every `retryMs`, runs the work while
 * it holds it, and stops the work as soon as the lock is lost, then waits to take it again. A
 * process that stops releases its lock, so a standby takes over at its next try; a killed one
 * loses it with its connection (store/postgres/advisory-lock.ts).
 */
import type { Logger } from 'pino';
import { abortableSleep } from '../pipeline/abortable.js';

/** A lock one process holds at a time (PostgreSQL advisory lock, or this process alone on DuckDB). */
export interface RoleLock {
  tryAcquire(): Promise<boolean>;
  /** Whether the held lock is still held; false when it was lost. */
  check(): Promise<boolean>;
  release(): Promise<void>;
  /** Aborts when the held lock is lost. */
  readonly lost: AbortSignal;
}

/** The lock of a store one process holds whole (a DuckDB file): always this process's. */
export const PROCESS_LOCK: RoleLock = {
  tryAcquire: async () => true,
  check: async () => true,
  release: async () => undefined,
  lost: new AbortController().signal,
};

export interface ExclusiveRoleOptions {
  /** What logs and the console call the role (never a secret). */
  label: string;
  signal: AbortSignal;
  /** Pause between tries to take the lock, and between checks that it is still held. */
  retryMs: number;
  logger: Logger;
  /** Told when this process starts and stops doing the work. */
  onChange?(holding: boolean): void;
  /** Told when this process finds the lock held by another (once per wait). */
  onStandby?(): void;
}

/**
 * Runs `work(roleSignal, stillHeld)` whenever this process holds `lock`, until `signal` aborts;
 * `roleSignal` aborts when the lock is lost or the process stops, and `stillHeld()` asks the
 * database now (before a write that must not be made twice). Work that ends or fails by itself
 * gives the lock up, and it is tried again after `retryMs`.
 */
export async function runExclusiveRole(lock: RoleLock, work: (signal: AbortSignal, stillHeld: () => Promise<boolean>) => Promise<void>, o: ExclusiveRoleOptions): Promise<void> {
  let waitingSaid = false;
  while (!o.signal.aborted) {
    let acquired = false;
    try {
      acquired = await lock.tryAcquire();
    } catch (err) {
      o.logger.warn({ err }, `${o.label}: could not try the lock: ${err instanceof Error ? err.message : String(err)}`);
    }
    if (!acquired) {
      if (!waitingSaid) {
        o.logger.info(`${o.label}: another process holds it; standing by`);
        o.onStandby?.();
      }
      waitingSaid = true;
      await abortableSleep(o.retryMs, o.signal);
      continue;
    }
    waitingSaid = false;
    const role = new AbortController();
    const stop = (): void => role.abort();
    o.signal.addEventListener('abort', stop, { once: true });
    lock.lost.addEventListener('abort', stop, { once: true });
    // Stopped (or lost) while the lock was being taken: a listener added now would never fire.
    if (o.signal.aborted || lock.lost.aborted) stop();
    // A broken connection is not always reported by an event (a silent network): ask the server.
    const watch = (async () => {
      while (!role.signal.aborted) {
        await abortableSleep(o.retryMs, role.signal);
        if (!role.signal.aborted && !(await lock.check())) role.abort();
      }
    })();
    o.onChange?.(true);
    try {
      await work(role.signal, async () => {
        if (role.signal.aborted) return false;
        if (await lock.check()) return true;
        role.abort();
        return false;
      });
    } catch (err) {
      if (!role.signal.aborted) o.logger.error({ err }, `${o.label} stopped: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      const lost = lock.lost.aborted && !o.signal.aborted;
      role.abort();
      o.signal.removeEventListener('abort', stop);
      lock.lost.removeEventListener('abort', stop);
      await watch;
      await lock.release();
      o.onChange?.(false);
      if (lost) o.logger.warn(`${o.label}: the lock was lost (its database connection closed); trying to take it again`);
    }
    await abortableSleep(o.retryMs, o.signal);
  }
}
