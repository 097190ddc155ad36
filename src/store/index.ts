// store: the Store contract, its DuckDB and PostgreSQL backends, migrations and shared contract suite; must not know about exchanges.
export * from './store.js';
export { openStore } from './open-store.js';
export { DuckDbStore, DEFAULT_DUCKDB_FILE } from './duckdb/duckdb-store.js';
export { PostgresStore } from './postgres/postgres-store.js';
export { redactUrl } from './postgres/redact-url.js';
export { runMigrations } from './migrations/run-migrations.js';
export * from './lake/index.js';
