/** The delivery outbox: one row per firing and channel, tried until delivered or given up; shared by both SQL backends. */
import { StoreError } from '../../core/errors.js';
import type { OutboxItem, OutboxStatus } from '../alert-records.js';
import type { SqlExecutor, SqlSession } from './sql-session.js';
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
const OUTBOX_SELECT_O =
  'SELECT o.id, o.firing_id, o.user_id, o.channel, o.idempotency_key, o.status, o.attempts, o.next_attempt_at, o.last_error, o.delivered_at FROM outbox o';

const DUE = "o.status = 'pending' AND o.next_attempt_at <= $1 AND (c.claimed_until IS NULL OR c.claimed_until <= $1)";

/** Pending rows due at `now` and not under a live claim, the longest due first (a row backed off waits behind newer ones). */
export async function dueOutboxSql(db: SqlExecutor, now: number, limit: number): Promise<OutboxItem[]> {
  const rows = await db.all(`${OUTBOX_SELECT_O} LEFT JOIN outbox_claims c ON c.outbox_id = o.id WHERE ${DUE} ORDER BY o.next_attempt_at, o.id LIMIT $2`, [
    now, Math.max(0, Math.floor(limit)),
  ]);
  return rows.map(outboxFromRow);
}

/**
 * Claims those of `ids` that are still due until `now + leaseMs` and returns them (the order of
 * dueOutbox); a row another worker claimed first is left out.
 *
 * One code path for both backends. The claim is an upsert whose ON CONFLICT condition is checked
 * against the latest committed claim, not the statement's snapshot, so of two PostgreSQL workers
 * racing for a row exactly one gets it; `FOR UPDATE SKIP LOCKED` (PostgreSQL only: DuckDB has one
 * writer per file) lets the loser pass over rows being claimed instead of queueing behind them.
 * Because the candidates come from a snapshot, a row delivered or rescheduled by another worker
 * meanwhile can still be claimed: the claimed rows are read again, and those no longer due are
 * released at once.
 */
export async function claimOutboxSql(db: SqlSession, ids: readonly number[], now: number, leaseMs: number): Promise<OutboxItem[]> {
  const wanted = ids.filter((id) => Number.isSafeInteger(id));
  if (wanted.length === 0) return [];
  const until = now + Math.max(1, Math.floor(leaseMs));
  const lock = db.dialect === 'postgres' ? 'FOR UPDATE OF o SKIP LOCKED' : '';
  const claimed = await db.all(
    `INSERT INTO outbox_claims (outbox_id, claimed_until)
SELECT o.id, $2 FROM outbox o LEFT JOIN outbox_claims c ON c.outbox_id = o.id
WHERE o.id IN (${wanted.join(', ')}) AND ${DUE} ${lock}
ON CONFLICT (outbox_id) DO UPDATE SET claimed_until = excluded.claimed_until WHERE outbox_claims.claimed_until <= $1
RETURNING outbox_id`,
    [now, until],
  );
  const got = claimed.map((r) => toNumber(col(r, 0), 'claimed outbox id'));
  if (got.length === 0) return [];
  const rows = (await db.all(`${OUTBOX_SELECT} WHERE id IN (${got.join(', ')}) AND status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id`, [now])).map(outboxFromRow);
  const kept = new Set(rows.map((o) => o.id));
  const stale = got.filter((id) => !kept.has(id));
  if (stale.length > 0) await db.run(`UPDATE outbox_claims SET claimed_until = 0 WHERE outbox_id IN (${stale.join(', ')}) AND claimed_until = $1`, [until]);
  return rows;
}

/** Gives a claimed row back (a send aborted by a stop): the next poll, of any worker, may claim it. */
export async function releaseOutboxSql(db: SqlExecutor, outboxId: number): Promise<void> {
  await db.run('UPDATE outbox_claims SET claimed_until = 0 WHERE outbox_id = $1', [outboxId]);
}

export async function listOutboxSql(db: SqlExecutor, firingId: number, userId?: number): Promise<OutboxItem[]> {
  const rows = userId === undefined
    ? await db.all(`${OUTBOX_SELECT} WHERE firing_id = $1 ORDER BY id`, [firingId])
    : await db.all(`${OUTBOX_SELECT} WHERE firing_id = $1 AND user_id = $2 ORDER BY id`, [firingId, userId]);
  return rows.map(outboxFromRow);
}

/** Only a pending row changes: a late report from a second worker cannot undo an outcome. */
export async function markDeliveredSql(db: SqlSession, outboxId: number, at: number): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.run("UPDATE outbox SET status = 'delivered', delivered_at = $2, attempts = attempts + 1 WHERE id = $1 AND status = 'pending'", [outboxId, at]);
    await releaseOutboxSql(tx, outboxId);
  });
}

/** Also releases the row's claim, in the same transaction: a rescheduled row is due again at `nextAttemptAt`, for any worker. */
export async function markAttemptFailedSql(db: SqlSession, outboxId: number, error: string, nextAttemptAt: number | null): Promise<void> {
  const why = error.length > MAX_OUTBOX_ERROR ? `${error.slice(0, MAX_OUTBOX_ERROR - 1)}…` : error;
  await db.transaction(async (tx) => {
    if (nextAttemptAt === null) {
      await tx.run("UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = $2 WHERE id = $1 AND status = 'pending'", [outboxId, why]);
    } else {
      await tx.run('UPDATE outbox SET attempts = attempts + 1, last_error = $2, next_attempt_at = $3 WHERE id = $1 AND status = \'pending\'', [outboxId, why, nextAttemptAt]);
    }
    await releaseOutboxSql(tx, outboxId);
  });
}
