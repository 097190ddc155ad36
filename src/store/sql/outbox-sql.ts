/** The delivery outbox: one row per firing and channel, tried until delivered or given up; shared by both SQL backends. */
import { StoreError } from '../../core/errors.js';
import type { OutboxItem, OutboxStatus } from '../alert-records.js';
import type { SqlExecutor } from './sql-session.js';
import { col, toNumber, toNumberOrNull, toText, toTextOrNull } from './sql-values.js';

/** Longest error text kept per row: enough to diagnose, bounded whatever a channel throws. */
export const MAX_OUTBOX_ERROR = 2_000;

const STATUSES: readonly string[] = ['pending', 'delivered', 'failed'] satisfies OutboxStatus[];

function isStatus(s: string): s is OutboxStatus {
  return STATUSES.includes(s);
}

function outboxFromRow(r: unknown[]): OutboxItem {
  const status = toText(col(r, 5), 'outbox status');
  if (!isStatus(status)) throw new StoreError(`unknown outbox status "${status}" in the store`);
  return {
    id: toNumber(col(r, 0), 'outbox id'),
    firingId: toNumber(col(r, 1), 'outbox firing_id'),
    userId: toNumber(col(r, 2), 'outbox user_id'),
    channel: toText(col(r, 3), 'outbox channel'),
    idempotencyKey: toText(col(r, 4), 'outbox idempotency_key'),
    status,
    attempts: toNumber(col(r, 6), 'outbox attempts'),
    nextAttemptAt: toNumber(col(r, 7), 'outbox next_attempt_at'),
    lastError: toTextOrNull(col(r, 8), 'outbox last_error'),
    deliveredAt: toNumberOrNull(col(r, 9), 'outbox delivered_at'),
  };
}

const OUTBOX_SELECT = 'SELECT id, firing_id, user_id, channel, idempotency_key, status, attempts, next_attempt_at, last_error, delivered_at FROM outbox';

/** Pending rows due at `now`, the longest due first (a row backed off waits behind newer ones). */
export async function dueOutboxSql(db: SqlExecutor, now: number, limit: number): Promise<OutboxItem[]> {
  const rows = await db.all(`${OUTBOX_SELECT} WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`, [
    now, Math.max(0, Math.floor(limit)),
  ]);
  return rows.map(outboxFromRow);
}

export async function listOutboxSql(db: SqlExecutor, firingId: number): Promise<OutboxItem[]> {
  return (await db.all(`${OUTBOX_SELECT} WHERE firing_id = $1 ORDER BY id`, [firingId])).map(outboxFromRow);
}

/** Only a pending row changes: a late report from a second worker cannot undo an outcome. */
export async function markDeliveredSql(db: SqlExecutor, outboxId: number, at: number): Promise<void> {
  await db.run("UPDATE outbox SET status = 'delivered', delivered_at = $2, attempts = attempts + 1 WHERE id = $1 AND status = 'pending'", [outboxId, at]);
}

export async function markAttemptFailedSql(db: SqlExecutor, outboxId: number, error: string, nextAttemptAt: number | null): Promise<void> {
  const why = error.length > MAX_OUTBOX_ERROR ? `${error.slice(0, MAX_OUTBOX_ERROR - 1)}…` : error;
  if (nextAttemptAt === null) {
    await db.run("UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $2 WHERE id = $1 AND status = 'pending'", [outboxId, why]);
  } else {
    await db.run('UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1 AND status = \'pending\'', [outboxId, why, nextAttemptAt]);
  }
}
