/**
 * Ids for rows inserted many at once: taken from the table's id sequence up front, so one
 * INSERT … SELECT writes every row and the caller knows which id each one got (RETURNING of a
 * multi-row insert promises no order). Tables with such ids: migrations 005 and 006.
 * @see https://duckdb.org/docs/stable/sql/statements/create_sequence
 * @see https://www.postgresql.org/docs/current/functions-info.html (pg_get_serial_sequence)
 */
import type { SqlExecutor, SqlSession } from './sql-session.js';
import { col, toNumber } from './sql-values.js';

/** `n` new ids of `table`'s `id` column, ascending. */
export async function nextIds(tx: SqlExecutor, dialect: SqlSession['dialect'], table: string, n: number): Promise<number[]> {
  if (n === 0) return [];
  const sql = dialect === 'duckdb'
    ? `SELECT nextval('${table}_id_seq') FROM range(CAST($1 AS BIGINT))`
    : `SELECT nextval(pg_get_serial_sequence('${table}', 'id')) FROM generate_series(1, CAST($1 AS BIGINT))`;
  return (await tx.all(sql, [n])).map((r) => toNumber(col(r, 0), `${table} id`)).sort((a, b) => a - b);
}
