import { test } from 'node:test';
import { killMidWriteAndCheck } from '../test-support/crash-check.js';
import { createTempDatabase } from '../test-support/temp-postgres.js';

test('postgres store - kill -9 inside write transactions leaves each batch whole with its manifest, or absent', async () => {
  const db = await createTempDatabase();
  try {
    // Three kills into one database, each inside a different write, each checked on reopening.
    for (const pausedAt of [0, 2, 1]) await killMidWriteAndCheck(db.url, pausedAt);
  } finally {
    await db.drop();
  }
});
