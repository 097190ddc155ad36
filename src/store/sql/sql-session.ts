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

/**
 * Test-only pause point, awaited after a transaction's statements ran and before its COMMIT, so
 * a crash test can kill the process while the transaction is open. `bulk` is a candle write (the
 * appender or COPY path), `plain` any other transaction.
 */
export type BeforeCommitHook = (kind: 'bulk' | 'plain') => Promise<void>;

export interface SqlSession extends SqlExecutor {
  readonly dialect: 'duckdb' | 'postgres';
  /** Unset outside crash tests; see BeforeCommitHook. */
  beforeCommit?: BeforeCommitHook;
  /** Runs `fn` inside BEGIN … COMMIT; any throw rolls the whole transaction back. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}
