/**
 * Where `serve` and `up` run delivery and alert evaluation when several processes share one
 * PostgreSQL store: the outbox worker in every process (its rows are claimed), and the bot's
 * getUpdates consumer and the evaluation only in the holder of their advisory lock
 * (docs/SCALE-OUT.md). On a DuckDB file the process holds the file, and so both roles.
 */
import type { Logger } from 'pino';
import type { Delivery } from '../alerts/delivery/index.js';
import { AdvisoryLock } from '../store/postgres/advisory-lock.js';
import type { Store } from '../store/store.js';
import { PROCESS_LOCK, runExclusiveRole, type ExclusiveRoleOptions, type RoleLock } from './exclusive-role.js';

/** How often a standby process tries a lock, and a holder checks it still has it. */
export const LOCK_RETRY_MS = 2_000;

/** The lock of `name` on `store` (`db`: its URL); the name may hold a secret, only its hash is used. */
export function roleLock(store: Store, db: string, name: string): RoleLock {
  return store.kind === 'postgres' ? new AdvisoryLock(db, name) : PROCESS_LOCK;
}

/** The alert evaluation's lock name: one evaluator per exchange's rules. */
export function evaluationLockName(exchange: string): string {
  return `alert evaluation ${exchange}`;
}

export interface RoleReport {
  signal: AbortSignal;
  logger: Logger;
  /** A line for the console (the command's own prefix added). */
  say(line: string): void;
  /** Whether taking and giving up a role is said too, or only standing by (`up`, which holds them alone but beside `serve`). */
  announce: 'all' | 'standby';
}

/** The console lines of a role: `holding`/`stopped` (when announced) and standing by. */
export function roleLines(o: RoleReport, holding: string, stopped: string, standby: string): Pick<ExclusiveRoleOptions, 'onChange' | 'onStandby'> {
  return {
    ...(o.announce === 'all' ? { onChange: (h: boolean) => o.say(h ? holding : stopped) } : {}),
    onStandby: () => o.say(standby),
  };
}

/**
 * Runs the outbox worker, and the bot's command polling while this process holds the lock keyed
 * by `token` (one getUpdates consumer per bot token), until `signal` aborts.
 */
export async function runDelivery(delivery: Delivery, token: string | undefined, lock: (name: string) => RoleLock, o: RoleReport): Promise<void> {
  const telegram = delivery.telegram;
  const polling = telegram === null || token === undefined
    ? Promise.resolve()
    : runExclusiveRole(lock(`telegram getUpdates ${token}`), (signal) => telegram.run(signal), {
      ...roleOptions(o),
      label: 'telegram getUpdates consumer',
      ...roleLines(o, "this process answers the Telegram bot's commands (getUpdates)", "stopped answering the Telegram bot's commands", "another process answers the Telegram bot's commands; standing by to take over"),
    });
  await Promise.all([delivery.worker.run(o.signal), polling]);
}

export function roleOptions(o: RoleReport): Pick<ExclusiveRoleOptions, 'signal' | 'retryMs' | 'logger'> {
  return { signal: o.signal, retryMs: LOCK_RETRY_MS, logger: o.logger.child({ component: 'roles' }) };
}
