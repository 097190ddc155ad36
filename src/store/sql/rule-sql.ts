/**
 * Alert rules and their fire states, shared by both SQL backends. Every user-scoped statement
 * filters by `user_id`, so another user's rule reads as absent (alert-records.ts).
 */
import type { StoredRule, StoredRuleState } from '../alert-records.js';
import type { SqlExecutor, SqlParam, SqlSession } from './sql-session.js';
import { insertReturningId } from './insert-returning-id.js';
import { col, fromJsonText, toBool, toJsonText, toNumber, toNumberOrNull, toText } from './sql-values.js';

export type RuleChange = Partial<Pick<StoredRule, 'name' | 'definition' | 'enabled' | 'mutedUntil'>>;

const RULE_COLUMNS = 'id, user_id, name, definition, enabled, muted_until, created_at, updated_at';

function ruleFromRow(r: unknown[]): StoredRule {
  return {
    id: toNumber(col(r, 0), 'rule id'),
    userId: toNumber(col(r, 1), 'rule user_id'),
    name: toText(col(r, 2), 'rule name'),
    definition: fromJsonText(col(r, 3), 'rule definition'),
    enabled: toBool(col(r, 4), 'rule enabled'),
    mutedUntil: toNumberOrNull(col(r, 5), 'rule muted_until'),
    createdAt: toNumber(col(r, 6), 'rule created_at'),
    updatedAt: toNumber(col(r, 7), 'rule updated_at'),
  };
}

export async function createRuleSql(db: SqlExecutor, userId: number, name: string, definition: unknown, now: number): Promise<StoredRule> {
  const json = toJsonText(definition, 'rule definition');
  const id = await insertReturningId(
    db,
    'INSERT INTO rules (user_id, name, definition, enabled, muted_until, created_at, updated_at) VALUES ($1, $2, $3, true, NULL, $4, $4)',
    [userId, name, json, now],
  );
  return { id, userId, name, definition: JSON.parse(json) as unknown, enabled: true, mutedUntil: null, createdAt: now, updatedAt: now };
}

export async function updateRuleSql(db: SqlExecutor, userId: number, id: number, change: RuleChange, now: number): Promise<StoredRule | null> {
  const sets: string[] = [];
  const params: SqlParam[] = [userId, id, now];
  const set = (column: string, value: SqlParam): void => {
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  };
  if (change.name !== undefined) set('name', change.name);
  if (change.definition !== undefined) set('definition', toJsonText(change.definition, 'rule definition'));
  if (change.enabled !== undefined) set('enabled', change.enabled);
  if (change.mutedUntil !== undefined) set('muted_until', change.mutedUntil);
  const rows = await db.all(
    `UPDATE rules SET ${[...sets, 'updated_at = $3'].join(', ')} WHERE user_id = $1 AND id = $2 RETURNING ${RULE_COLUMNS}`,
    params,
  );
  return rows[0] ? ruleFromRow(rows[0]) : null;
}

export function deleteRuleSql(db: SqlSession, userId: number, id: number): Promise<boolean> {
  return db.transaction(async (tx) => {
    const deleted = await tx.run('DELETE FROM rules WHERE user_id = $1 AND id = $2', [userId, id]);
    if (deleted === 0) return false;
    await tx.run('DELETE FROM rule_states WHERE rule_id = $1', [id]);
    return true;
  });
}

export async function getRuleSql(db: SqlExecutor, userId: number, id: number): Promise<StoredRule | null> {
  const rows = await db.all(`SELECT ${RULE_COLUMNS} FROM rules WHERE user_id = $1 AND id = $2`, [userId, id]);
  return rows[0] ? ruleFromRow(rows[0]) : null;
}

export async function listRulesSql(db: SqlExecutor, userId: number): Promise<StoredRule[]> {
  return (await db.all(`SELECT ${RULE_COLUMNS} FROM rules WHERE user_id = $1 ORDER BY id`, [userId])).map(ruleFromRow);
}

export async function listEnabledRulesSql(db: SqlExecutor): Promise<StoredRule[]> {
  return (await db.all(`SELECT ${RULE_COLUMNS} FROM rules WHERE enabled ORDER BY id`)).map(ruleFromRow);
}

/** States of existing rules only: one written by an evaluation that raced the rule's deletion is left out. */
export async function listRuleStatesSql(db: SqlExecutor): Promise<StoredRuleState[]> {
  const rows = await db.all('SELECT s.rule_id, s.state, s.updated_at FROM rule_states s JOIN rules r ON r.id = s.rule_id ORDER BY s.rule_id');
  return rows.map((r) => ({
    ruleId: toNumber(col(r, 0), 'state rule_id'),
    state: fromJsonText(col(r, 1), 'rule state'),
    updatedAt: toNumber(col(r, 2), 'state updated_at'),
  }));
}
