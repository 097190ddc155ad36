/**
 * Test helper: a fresh, empty PostgreSQL database for one test file, created through
 * TICKERFLOW_TEST_PG_URL and dropped at the end. Integration tests never skip: if PostgreSQL is
 * not reachable, creating the database fails the test file.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_TEST_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TempDatabase {
  /** Connection URL of the new database. */
  url: string;
  name: string;
  /** Drops the database, closing any connections still open to it. */
  drop(): Promise<void>;
}

async function admin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates `tickerflow_test_<random>` on the server of `adminUrl` (default: the test env var). */
export async function createTempDatabase(adminUrl = process.env.TICKERFLOW_TEST_PG_URL ?? DEFAULT_TEST_PG_URL): Promise<TempDatabase> {
  const name = `tickerflow_test_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, (c) => c.query(`CREATE DATABASE ${name}`));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: () => admin(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
