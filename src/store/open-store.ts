/**
 * Opens the store a `--db` value names and brings its schema up to date. Each backend's module
 * (with its driver) is imported only when a store of its kind is opened: pg's took 0.18 s of CPU
 * at the start of every DuckDB command.
 */
import { ConfigError } from '../core/errors.js';
import type { DuckDbStore } from './duckdb/duckdb-store.js';
import type { PostgresStore } from './postgres/postgres-store.js';
import type { BeforeCommitHook } from './sql/sql-session.js';
import type { Store } from './store.js';

/** The `[store]` settings besides `db`; each DuckDB one falls back to DUCKDB_DEFAULTS. */
export interface OpenStoreOptions {
  /** Test-only pause between a transaction's rows and its COMMIT, set after migrating (crash tests). */
  beforeCommit?: BeforeCommitHook;
  /** How long finished job runs are kept (default 30 days); older ones are pruned when a job starts. */
  keepJobsMs?: number;
  duckdbMemoryLimit?: string;
  duckdbThreads?: number;
}

/**
 * `undefined` → the embedded DuckDB file `./tickerflow-data/tickerflow.duckdb`; a file path →
 * that DuckDB file; `postgres://…` or `postgresql://…` → PostgreSQL. Runs `migrate()`.
 * @throws ConfigError for anything else (another URL scheme, an empty value).
 * @throws StoreLockedError when another process holds the DuckDB file.
 */
export async function openStore(db: string | undefined, options: OpenStoreOptions = {}): Promise<Store> {
  const duck = { memoryLimit: options.duckdbMemoryLimit, threads: options.duckdbThreads };
  let store: DuckDbStore | PostgresStore;
  if (db === undefined) {
    store = await (await import('./duckdb/duckdb-store.js')).DuckDbStore.open(undefined, duck);
  } else if (/^postgres(ql)?:\/\//i.test(db)) {
    store = (await import('./postgres/postgres-store.js')).PostgresStore.open(db);
  } else if (db.trim() === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(db)) {
    throw new ConfigError(
      `--db "${db.replace(/\/\/[^@/]*@/, '//***@')}" is neither a DuckDB file path nor a postgres:// or postgresql:// URL`,
    );
  } else {
    store = await (await import('./duckdb/duckdb-store.js')).DuckDbStore.open(db, duck);
  }
  try {
    await store.migrate();
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
  store.pauseBeforeCommit(options.beforeCommit);
  if (options.keepJobsMs !== undefined) store.keepJobsFor(options.keepJobsMs);
  return store;
}
