import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDbSession } from '../duckdb/duckdb-session.js';
import { PostgresSession } from '../postgres/postgres-session.js';
import type { SqlSession } from '../sql/sql-session.js';
import { createTempDatabase, type TempDatabase } from '../test-support/temp-postgres.js';
import { runMigrations } from './run-migrations.js';

const T0 = 1_704_067_200_000;

/** A firing row and its outbox row with explicit ids (rule 7 on BTCUSDT 1h unless told). */
async function insertFiring(db: SqlSession, id: number, barOpenTime: number, symbol = 'BTCUSDT'): Promise<void> {
  await db.run(
    `INSERT INTO firings (id, rule_id, user_id, exchange, symbol, "interval", bar_open_time, fired_at, inputs, incomplete, message)
     VALUES ($1, 7, 1, 'binance', $2, '1h', $3, $4, '{}', false, 'm')`,
    [id, symbol, barOpenTime, barOpenTime + 3_600_000],
  );
  await db.run(`INSERT INTO outbox (id, firing_id, user_id, channel, idempotency_key, status, attempts, next_attempt_at) VALUES ($1, $1, 1, 'dashboard', $2, 'pending', 0, 0)`, [id, `firing-${id}-dashboard`]);
}

/** Migration 012 over firings stored twice before it: the first of each rule and bar is kept, with its outbox row; the copies go. */
function dedupeCase(name: string, open: () => Promise<{ db: SqlSession; close: () => Promise<void> }>): void {
  test(`${name} - migration 012 keeps the first firing of each rule and bar and deletes later copies with their deliveries`, async () => {
    const { db, close } = await open();
    try {
      await runMigrations(db);
      // Back to the schema before 012, with firings as an evaluator stored them twice then.
      await db.run('DROP INDEX firings_rule_bar');
      await db.run('DROP TABLE evaluation_marks');
      await db.run('DELETE FROM schema_migrations WHERE version = 12');
      await insertFiring(db, 101, T0);
      await insertFiring(db, 102, T0 + 3_600_000);
      await insertFiring(db, 103, T0);
      await insertFiring(db, 104, T0, 'ETHUSDT');
      await insertFiring(db, 105, T0);

      assert.deepEqual(await runMigrations(db), [12]);
      const firings = await db.all('SELECT id FROM firings ORDER BY id');
      assert.deepEqual(firings.map((r) => Number(r[0])), [101, 102, 104]);
      const outbox = await db.all('SELECT firing_id FROM outbox ORDER BY firing_id');
      assert.deepEqual(outbox.map((r) => Number(r[0])), [101, 102, 104]);
      await assert.rejects(insertFiring(db, 106, T0 + 3_600_000), /duplicate|unique|constraint/i, 'the index refuses a second firing of a rule and bar');
    } finally {
      await close();
    }
  });
}

describe('migration 012: evaluation marks, one firing per rule and bar', () => {
  let pg: TempDatabase;
  before(async () => {
    pg = await createTempDatabase();
  });
  after(() => pg.drop());
  dedupeCase('DuckDB', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    return { db: new DuckDbSession(connection), close: async () => connection.closeSync() };
  });
  dedupeCase('PostgreSQL', async () => {
    const session = new PostgresSession(pg.url);
    return { db: session, close: () => session.end() };
  });
});
