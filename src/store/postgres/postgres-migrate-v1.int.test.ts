import { test } from 'node:test';
import { createTempDatabase } from '../test-support/temp-postgres.js';
import { assertSameAsV1, writeV1Store } from '../test-support/v1-store.js';
import { PostgresSession } from './postgres-session.js';
import { PostgresStore } from './postgres-store.js';

test('postgres store - a v1 database (text-keyed candles) is migrated in place on first open, every row kept', async () => {
  const db = await createTempDatabase();
  try {
    const v1 = new PostgresSession(db.url);
    await writeV1Store(v1);
    await v1.end();
    const store = PostgresStore.open(db.url);
    await store.migrate();
    try {
      await assertSameAsV1(store);
    } finally {
      await store.close();
    }
  } finally {
    await db.drop();
  }
});
