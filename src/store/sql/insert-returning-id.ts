/** An INSERT of one row that hands back the id the database gave it (both engines support RETURNING). */
import { StoreError } from '../../core/errors.js';
import type { SqlExecutor, SqlParam } from './sql-session.js';
import { col, toNumber } from './sql-values.js';

export async function insertReturningId(db: SqlExecutor, sql: string, values: readonly SqlParam[]): Promise<number> {
  const rows = await db.all(`${sql} RETURNING id`, values);
  const r = rows[0];
  if (!r) throw new StoreError('insert returned no id');
  return toNumber(col(r, 0), 'id');
}
