/** Applies pending migrations, one transaction each, recording them in `schema_migrations`. */
import type { SqlSession } from '../sql/sql-session.js';
import { MIGRATIONS } from './migrations.js';

/** Any fixed number: it only has to be the same in every tickerflow process. */
const PG_MIGRATION_LOCK = 7_346_001;

/**
 * Brings the schema up to date. Safe to call on every start and from several processes at once:
 * on PostgreSQL an advisory lock serialises concurrent migrators, and each migration re-checks
 * whether it was applied once it holds the lock.
 * @returns the versions applied by this call.
 */
export async function runMigrations(session: SqlSession, now: () => number = Date.now): Promise<number[]> {
  const applied: number[] = [];
  for (const m of MIGRATIONS) {
    const done = await session.transaction(async (tx) => {
      if (session.dialect === 'postgres') await tx.run(`SELECT pg_advisory_xact_lock(${PG_MIGRATION_LOCK})`);
      await tx.run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
      );
      const rows = await tx.all('SELECT version FROM schema_migrations WHERE version = $1', [m.version]);
      if (rows.length > 0) return false;
      for (const sql of m.statements(session.dialect)) await tx.run(sql);
      await tx.run('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, now()]);
      return true;
    });
    if (done) applied.push(m.version);
  }
  return applied;
}
