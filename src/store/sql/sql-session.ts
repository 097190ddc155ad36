/**
 * The small surface both SQL backends expose to the shared store code: positional `$n`
 * parameters (DuckDB and PostgreSQL both accept them), rows as arrays, and transactions.
 */

/** A value bound to a `$n` placeholder. */
export type SqlParam = string | number | boolean | null;

export interface SqlExecutor {
  /** Runs a query and returns its rows as arrays, in column order. */
  all(sql: string, params?: readonly SqlParam[]): Promise<unknown[][]>;
  /** Runs a statement and returns the number of rows it inserted, updated or deleted. */
  run(sql: string, params?: readonly SqlParam[]): Promise<number>;
}

export interface SqlSession extends SqlExecutor {
  readonly dialect: 'duckdb' | 'postgres';
  /** Runs `fn` inside BEGIN … COMMIT; any throw rolls the whole transaction back. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}
