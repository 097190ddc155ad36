/**
 * One evaluation's result (rule states, firings and their outbox rows) written in one
 * transaction, and the firing history read back; shared by both SQL backends.
 */
import type { NewFiring, StoredFiring, StoredRuleState } from '../alert-records.js';
import { insertReturningId } from './insert-returning-id.js';
import type { SqlExecutor, SqlParam, SqlSession } from './sql-session.js';
import { col, fromJsonText, toBool, toJsonText, toNumber, toText } from './sql-values.js';
import { insertValues, valuesChunks } from './values-tuples.js';

/** The key a channel may pass on (webhooks send it as a header) so a repeated delivery is recognised. */
export function outboxIdempotencyKey(firingId: number, channel: string): string {
  return `firing-${firingId}-${channel}`;
}

/** The owner of each of `ruleIds` that still exists. */
async function ruleOwners(tx: SqlExecutor, ruleIds: readonly number[]): Promise<Map<number, number>> {
  const owners = new Map<number, number>();
  for (const chunk of valuesChunks([...new Set(ruleIds)].map((id) => [id]))) {
    const rows = await tx.all(`SELECT id, user_id FROM rules WHERE id IN (${chunk.tuples})`, chunk.params);
    for (const r of rows) owners.set(toNumber(col(r, 0), 'rule id'), toNumber(col(r, 1), 'rule user_id'));
  }
  return owners;
}

/**
 * States are upserted (the last one per rule wins). A firing whose rule no longer exists or is not
 * its user's (deleted while the evaluation ran) is dropped, outbox rows with it, and not returned.
 * Any refused row (the firings table's checks) rolls everything back.
 */
export async function recordEvaluationSql(db: SqlSession, states: readonly StoredRuleState[], firings: readonly NewFiring[]): Promise<StoredFiring[]> {
  const latest = new Map<number, StoredRuleState>();
  for (const s of states) latest.set(s.ruleId, s);
  const stateRows = [...latest.values()].map((s): SqlParam[] => [s.ruleId, toJsonText(s.state, `state of rule ${s.ruleId}`), s.updatedAt]);
  const inputs = firings.map((f, i) => toJsonText(f.inputs, `inputs of firing ${i} (rule ${f.ruleId})`));
  return db.transaction(async (tx) => {
    await insertValues(tx, 'INSERT INTO rule_states (rule_id, state, updated_at)', stateRows,
      'ON CONFLICT (rule_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at');
    const owners = firings.length > 0 ? await ruleOwners(tx, firings.map((f) => f.ruleId)) : new Map<number, number>();
    const stored: StoredFiring[] = [];
    const outboxRows: SqlParam[][] = [];
    for (const [i, f] of firings.entries()) {
      if (owners.get(f.ruleId) !== f.userId) continue;
      const id = await insertReturningId(tx,
        `INSERT INTO firings (rule_id, user_id, exchange, symbol, "interval", bar_open_time, fired_at, inputs, incomplete, message)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [f.ruleId, f.userId, f.exchange, f.symbol, f.interval, f.barOpenTime, f.firedAt, inputs[i] ?? null, f.incomplete, f.message]);
      for (const channel of new Set(f.channels)) {
        outboxRows.push([id, f.userId, channel, outboxIdempotencyKey(id, channel), 'pending', 0, f.firedAt]);
      }
      const { channels: _channels, ...firing } = f;
      stored.push({ ...firing, inputs: JSON.parse(inputs[i] ?? 'null') as unknown, id });
    }
    // Due at once: a firing's deliveries are tried as soon as the worker sees them.
    await insertValues(tx, 'INSERT INTO outbox (firing_id, user_id, channel, idempotency_key, status, attempts, next_attempt_at)', outboxRows);
    return stored;
  });
}

const FIRING_COLUMNS = 'id, rule_id, user_id, exchange, symbol, "interval", bar_open_time, fired_at, inputs, incomplete, message';

function firingFromRow(r: unknown[]): StoredFiring {
  return {
    id: toNumber(col(r, 0), 'firing id'),
    ruleId: toNumber(col(r, 1), 'firing rule_id'),
    userId: toNumber(col(r, 2), 'firing user_id'),
    exchange: toText(col(r, 3), 'firing exchange'),
    symbol: toText(col(r, 4), 'firing symbol'),
    interval: toText(col(r, 5), 'firing interval'),
    barOpenTime: toNumber(col(r, 6), 'firing bar_open_time'),
    firedAt: toNumber(col(r, 7), 'firing fired_at'),
    inputs: fromJsonText(col(r, 8), 'firing inputs'),
    incomplete: toBool(col(r, 9), 'firing incomplete'),
    message: toText(col(r, 10), 'firing message'),
  };
}

/** The user's firings, newest first. */
export async function listFiringsSql(db: SqlExecutor, userId: number, filter: { ruleId?: number; since?: number; limit: number }): Promise<StoredFiring[]> {
  const params: SqlParam[] = [userId];
  const where = ['user_id = $1'];
  if (filter.ruleId !== undefined) where.push(`rule_id = $${params.push(filter.ruleId)}`);
  if (filter.since !== undefined) where.push(`fired_at >= $${params.push(filter.since)}`);
  params.push(Math.max(0, Math.floor(filter.limit)));
  const rows = await db.all(`SELECT ${FIRING_COLUMNS} FROM firings WHERE ${where.join(' AND ')} ORDER BY fired_at DESC, id DESC LIMIT $${params.length}`, params);
  return rows.map(firingFromRow);
}

export async function getFiringSql(db: SqlExecutor, id: number): Promise<StoredFiring | null> {
  const rows = await db.all(`SELECT ${FIRING_COLUMNS} FROM firings WHERE id = $1`, [id]);
  return rows[0] ? firingFromRow(rows[0]) : null;
}
