/**
 * One evaluation's result (rule states, firings and their outbox rows) written in one
 * transaction, and the firing history read back; shared by both SQL backends.
 */
import type { EvaluationMark, NewFiring, StoredFiring, StoredRuleState } from '../alert-records.js';
import { jsonRowsSource } from './json-rows.js';
import { nextIds } from './sequence-ids.js';
import type { SqlExecutor, SqlParam, SqlSession } from './sql-session.js';
import { col, fromJsonText, toBool, toJsonText, toNumber, toText } from './sql-values.js';

/** The key a channel may pass on (webhooks send it as a header) so a repeated delivery is recognised. */
export function outboxIdempotencyKey(firingId: number, channel: string): string {
  return `firing-${firingId}-${channel}`;
}

const STATE_COLUMNS = { rule_id: 'BIGINT', state: 'VARCHAR', updated_at: 'BIGINT' } as const;
const FIRING_ROW = {
  id: 'BIGINT', rule_id: 'BIGINT', user_id: 'BIGINT', exchange: 'VARCHAR', symbol: 'VARCHAR', interval: 'VARCHAR',
  bar_open_time: 'BIGINT', fired_at: 'BIGINT', inputs: 'VARCHAR', incomplete: 'BOOLEAN', message: 'VARCHAR',
} as const;
const FIRING_KEY = { rule_id: 'BIGINT', symbol: 'VARCHAR', interval: 'VARCHAR', bar_open_time: 'BIGINT' } as const;
const MARK_ROW = { exchange: 'VARCHAR', symbol: 'VARCHAR', interval: 'VARCHAR', evaluated_until: 'BIGINT' } as const;
const OUTBOX_ROW = { firing_id: 'BIGINT', user_id: 'BIGINT', channel: 'VARCHAR', idempotency_key: 'VARCHAR', next_attempt_at: 'BIGINT' } as const;

/** The owner of each of `ruleIds` that still exists. */
async function ruleOwners(tx: SqlExecutor, dialect: SqlSession['dialect'], ruleIds: readonly number[]): Promise<Map<number, number>> {
  const wanted = JSON.stringify([...new Set(ruleIds)].map((id) => ({ id })));
  const rows = await tx.all(`SELECT id, user_id FROM rules WHERE id IN (SELECT id FROM ${jsonRowsSource(dialect, { id: 'BIGINT' })})`, [wanted]);
  return new Map(rows.map((r) => [toNumber(col(r, 0), 'rule id'), toNumber(col(r, 1), 'rule user_id')]));
}

/** A firing's key: one firing per rule and bar (migration 12's unique index). */
function firingKey(ruleId: number, symbol: string, interval: string, barOpenTime: number): string {
  return `${ruleId}|${symbol}|${interval}|${barOpenTime}`;
}

/** The keys of `firings` already stored. */
async function storedFiringKeys(tx: SqlExecutor, dialect: SqlSession['dialect'], firings: readonly NewFiring[]): Promise<Set<string>> {
  const wanted = JSON.stringify(firings.map((f) => ({ rule_id: f.ruleId, symbol: f.symbol, interval: f.interval, bar_open_time: f.barOpenTime })));
  const rows = await tx.all(
    `SELECT f.rule_id, f.symbol, f."interval", f.bar_open_time FROM firings f WHERE EXISTS (SELECT 1 FROM ${jsonRowsSource(dialect, FIRING_KEY)}
       WHERE f.rule_id = rule_id AND f.symbol = symbol AND f."interval" = "interval" AND f.bar_open_time = bar_open_time)`,
    [wanted],
  );
  return new Set(rows.map((r) => firingKey(toNumber(col(r, 0), 'firing rule_id'), toText(col(r, 1), 'firing symbol'), toText(col(r, 2), 'firing interval'), toNumber(col(r, 3), 'firing bar_open_time'))));
}

/**
 * States are upserted (the last one per rule wins). A firing whose rule no longer exists or is not
 * its user's (deleted while the evaluation ran) is dropped, outbox rows with it, and not returned.
 * A firing of a rule and bar already stored (or twice in `firings`) is dropped after its first:
 * another evaluator, or this one before a crash, stored it. Two evaluators writing the same new
 * firing at once: the unique index fails the second transaction, which is evaluated again.
 * Marks are upserted, never moving back. Any refused row (the firings table's checks) rolls everything back.
 */
export async function recordEvaluationSql(db: SqlSession, states: readonly StoredRuleState[], firings: readonly NewFiring[], marks: readonly EvaluationMark[] = []): Promise<StoredFiring[]> {
  const latest = new Map<number, StoredRuleState>();
  for (const s of states) latest.set(s.ruleId, s);
  const stateRows = [...latest.values()].map((s) => ({ rule_id: s.ruleId, state: toJsonText(s.state, `state of rule ${s.ruleId}`), updated_at: s.updatedAt }));
  const inputs = firings.map((f, i) => toJsonText(f.inputs, `inputs of firing ${i} (rule ${f.ruleId})`));
  return db.transaction(async (tx) => {
    if (stateRows.length > 0) {
      // Every state at a bar close (thousands of rules), so one JSON parameter instead of three per row.
      await tx.run(
        `INSERT INTO rule_states (rule_id, state, updated_at) SELECT rule_id, state, updated_at FROM ${jsonRowsSource(db.dialect, STATE_COLUMNS)}
         ON CONFLICT (rule_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
        [JSON.stringify(stateRows)],
      );
    }
    const owners = firings.length > 0 ? await ruleOwners(tx, db.dialect, firings.map((f) => f.ruleId)) : new Map<number, number>();
    const seen = firings.length > 0 ? await storedFiringKeys(tx, db.dialect, firings) : new Set<string>();
    const kept = firings.flatMap((f, i) => {
      const key = firingKey(f.ruleId, f.symbol, f.interval, f.barOpenTime);
      if (owners.get(f.ruleId) !== f.userId || seen.has(key)) return [];
      seen.add(key);
      return [{ f, inputs: inputs[i] ?? 'null' }];
    });
    const ids = await nextIds(tx, db.dialect, 'firings', kept.length);
    const stored: StoredFiring[] = [];
    const firingRows: Array<Record<string, string | number | boolean>> = [];
    const outboxRows: Array<Record<string, string | number>> = [];
    for (const [k, { f, inputs: json }] of kept.entries()) {
      const id = ids[k] ?? -1;
      firingRows.push({
        id, rule_id: f.ruleId, user_id: f.userId, exchange: f.exchange, symbol: f.symbol, interval: f.interval,
        bar_open_time: f.barOpenTime, fired_at: f.firedAt, inputs: json, incomplete: f.incomplete, message: f.message,
      });
      // Due at once: a firing's deliveries are tried as soon as the worker sees them.
      for (const channel of new Set(f.channels)) {
        outboxRows.push({ firing_id: id, user_id: f.userId, channel, idempotency_key: outboxIdempotencyKey(id, channel), next_attempt_at: f.firedAt });
      }
      const { channels: _channels, ...firing } = f;
      stored.push({ ...firing, inputs: JSON.parse(json) as unknown, id });
    }
    // A screener rule over the top-200 can fire on many symbols at one close: one statement each table.
    if (firingRows.length > 0) {
      await tx.run(
        `INSERT INTO firings (id, rule_id, user_id, exchange, symbol, "interval", bar_open_time, fired_at, inputs, incomplete, message)
         SELECT id, rule_id, user_id, exchange, symbol, "interval", bar_open_time, fired_at, inputs, incomplete, message FROM ${jsonRowsSource(db.dialect, FIRING_ROW)}`,
        [JSON.stringify(firingRows)],
      );
    }
    if (outboxRows.length > 0) {
      await tx.run(
        `INSERT INTO outbox (firing_id, user_id, channel, idempotency_key, status, attempts, next_attempt_at)
         SELECT firing_id, user_id, channel, idempotency_key, 'pending', 0, next_attempt_at FROM ${jsonRowsSource(db.dialect, OUTBOX_ROW)}`,
        [JSON.stringify(outboxRows)],
      );
    }
    if (marks.length > 0) {
      const markRows = new Map<string, EvaluationMark>();
      for (const m of marks) {
        const key = `${m.exchange}|${m.symbol}|${m.interval}`;
        if ((markRows.get(key)?.evaluatedUntil ?? -Infinity) < m.evaluatedUntil) markRows.set(key, m);
      }
      await tx.run(
        `INSERT INTO evaluation_marks (exchange, symbol, "interval", evaluated_until)
         SELECT exchange, symbol, "interval", evaluated_until FROM ${jsonRowsSource(db.dialect, MARK_ROW)}
         ON CONFLICT (exchange, symbol, "interval") DO UPDATE SET evaluated_until = GREATEST(evaluation_marks.evaluated_until, excluded.evaluated_until)`,
        [JSON.stringify([...markRows.values()].map((m) => ({ exchange: m.exchange, symbol: m.symbol, interval: m.interval, evaluated_until: m.evaluatedUntil })))],
      );
    }
    return stored;
  });
}

export async function listEvaluationMarksSql(db: SqlSession, exchange: string): Promise<EvaluationMark[]> {
  const rows = await db.all('SELECT symbol, "interval", evaluated_until FROM evaluation_marks WHERE exchange = $1 ORDER BY symbol, "interval"', [exchange]);
  return rows.map((r) => ({ exchange, symbol: toText(col(r, 0), 'mark symbol'), interval: toText(col(r, 1), 'mark interval'), evaluatedUntil: toNumber(col(r, 2), 'mark evaluated_until') }));
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
