/**
 * A pg Pool as a SqlSession: rows as arrays, BIGINT read as JS numbers (epoch ms and counts stay
 * far below 2^53), and transactions on one pooled client.
 */
import pg from 'pg';
import { StoreError } from '../../core/errors.js';
import type { BeforeCommitHook, SqlExecutor, SqlParam, SqlSession } from '../sql/sql-session.js';

const INT8_OID = 20;
const NUMERIC_OID = 1700;

/** Per-pool type parsers; the global pg.types registry is left alone for other users of pg. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid, 'text');
  }) as typeof pg.types.getTypeParser,
};

function wrap(err: unknown, sql: string): StoreError {
  if (err instanceof StoreError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StoreError(`PostgreSQL: ${message} (in: ${sql.trim().split(/\s+/).slice(0, 4).join(' ')} …)`, { cause: err });
}

/** A checked-out client's connection error: surfaced by its next query instead. */
function ignoreError(): void {}

interface Queryable {
  query(config: { text: string; values: unknown[]; rowMode: 'array' }): Promise<pg.QueryArrayResult>;
}

function executor(q: Queryable): SqlExecutor {
  return {
    async all(sql, params: readonly SqlParam[] = []) {
      try {
        return (await q.query({ text: sql, values: params.slice(), rowMode: 'array' })).rows;
      } catch (err) {
        throw wrap(err, sql);
      }
    },
    async run(sql, params: readonly SqlParam[] = []) {
      try {
        return (await q.query({ text: sql, values: params.slice(), rowMode: 'array' })).rowCount ?? 0;
      } catch (err) {
        throw wrap(err, sql);
      }
    },
  };
}

export class PostgresSession implements SqlSession {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  beforeCommit?: BeforeCommitHook;
  private readonly exec: SqlExecutor;

  constructor(connectionString: string, max = 10) {
    this.pool = new pg.Pool({ connectionString, max, types: TYPES });
    // An idle client losing its connection must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
    this.exec = executor(this.pool);
  }

  all(sql: string, params?: readonly SqlParam[]): Promise<unknown[][]> {
    return this.exec.all(sql, params);
  }

  run(sql: string, params?: readonly SqlParam[]): Promise<number> {
    return this.exec.run(sql, params);
  }

  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    return this.inTransaction('plain', (tx) => fn(tx));
  }

  /** A transaction that also hands over its client, for COPY. */
  transactionWithClient<T>(fn: (tx: SqlExecutor, client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.inTransaction('bulk', fn);
  }

  private async inTransaction<T>(kind: 'bulk' | 'plain', fn: (tx: SqlExecutor, client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw wrap(err, 'connect');
    }
    const tx = executor(client);
    let broken = false;
    // The pool listens for errors on idle clients only: a checked-out one whose connection the
    // server ends between two queries (a restart) must not crash the process; its next query fails.
    client.on('error', ignoreError);
    try {
      await tx.run('BEGIN');
      const out = await fn(tx, client);
      if (this.beforeCommit) await this.beforeCommit(kind);
      await tx.run('COMMIT');
      return out;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw wrap(err, 'transaction');
    } finally {
      client.off('error', ignoreError);
      client.release(broken);
    }
  }

  /** Runs `fn` on one pooled client outside any transaction, e.g. for COPY … TO STDOUT. */
  async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw wrap(err, 'connect');
    }
    let broken = false;
    client.on('error', ignoreError); // as in inTransaction
    try {
      return await fn(client);
    } catch (err) {
      broken = true; // a failed COPY may leave the protocol mid-stream: do not reuse the connection
      throw wrap(err, 'query');
    } finally {
      client.off('error', ignoreError);
      client.release(broken);
    }
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
