/**
 * One DuckDB connection behind a queue. A DuckDB connection runs one statement at a time and
 * its transaction is connection-wide, so every caller waits its turn; a transaction holds the
 * turn from BEGIN to COMMIT.
 */
import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBValue } from '@duckdb/node-api';
import { StoreError } from '../../core/errors.js';
import { PreparedStatements } from './duckdb-prepared.js';
import type { BeforeCommitHook, SqlExecutor, SqlParam, SqlSession } from '../sql/sql-session.js';

/**
 * SqlExecutor over one DuckDB connection (e.g. a streamed read's own). A statement with
 * parameters is prepared once per connection and text, and bound again on the next call
 * (duckdb-prepared.ts); one without runs as a plain query.
 */
export function executor(conn: DuckDBConnection): SqlExecutor {
  const prepared = new PreparedStatements(conn);
  /** The kept statement for `sql`, bound to `params`; null for a text to run as it is. */
  const bound = async (sql: string, params: readonly SqlParam[]): Promise<DuckDBPreparedStatement | null> => {
    const statement = params.length > 0 ? await prepared.get(sql) : null;
    statement?.bind(params.slice());
    return statement;
  };
  const values = (params: readonly SqlParam[]): SqlParam[] | undefined => (params.length ? params.slice() : undefined);
  return {
    async all(sql: string, params: readonly SqlParam[] = []): Promise<unknown[][]> {
      const statement = await bound(sql, params);
      return (await (statement === null ? conn.runAndReadAll(sql, values(params)) : statement.runAndReadAll())).getRows();
    },
    async run(sql: string, params: readonly SqlParam[] = []): Promise<number> {
      const statement = await bound(sql, params);
      return (await (statement === null ? conn.run(sql, values(params)) : statement.run())).rowsChanged;
    },
  };
}

/** Wraps a driver error so callers see a StoreError naming the statement's first words. */
export function wrap(err: unknown, sql: string): StoreError {
  if (err instanceof StoreError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreError(`DuckDB: ${message} (in: ${sql.trim().split(/\s+/).slice(0, 4).join(' ')} …)`, { cause: err });
}

function checked(inner: SqlExecutor): SqlExecutor {
  return {
    all: (sql, params) => inner.all(sql, params).catch((e: unknown) => Promise.reject(wrap(e, sql))),
    run: (sql, params) => inner.run(sql, params).catch((e: unknown) => Promise.reject(wrap(e, sql))),
  };
}

export class DuckDbSession implements SqlSession {
  readonly dialect = 'duckdb' as const;
  beforeCommit?: BeforeCommitHook;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly exec: SqlExecutor;

  constructor(readonly connection: DuckDBConnection) {
    this.exec = checked(executor(connection));
  }

  /** Runs `fn` with the connection to itself; later callers wait until it settles. */
  exclusive<T>(fn: (db: SqlExecutor, conn: DuckDBConnection) => Promise<T>): Promise<T> {
    const result = this.tail.then(() => fn(this.exec, this.connection));
    this.tail = result.catch(() => undefined);
    return result;
  }

  all(sql: string, params?: readonly SqlParam[]): Promise<unknown[][]> {
    return this.exclusive((db) => db.all(sql, params));
  }

  run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.exclusive((db) => db.run(sql, params));
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.inTransaction('plain', (tx) => fn(tx));
  }

  /** A transaction that also hands over the raw connection, for the appender. */
  transactionWithConnection<T>(fn: (tx: SqlExecutor, conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.inTransaction('bulk', fn);
  }

  private inTransaction<T>(kind: 'bulk' | 'plain', fn: (tx: SqlExecutor, conn: DuckDBConnection) => Promise<T>): Promise<T> {
    return this.exclusive(async (db, conn) => {
      await db.run('BEGIN TRANSACTION');
      try {
        const out = await fn(db, conn);
        if (this.beforeCommit) await this.beforeCommit(kind);
        await db.run('COMMIT');
        return out;
      } catch (err) {
        await db.run('ROLLBACK').catch(() => undefined);
        throw wrap(err, 'transaction');
      }
    });
  }
}

export type { DuckDBValue };
