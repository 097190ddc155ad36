import { test } from 'node:test';
import { killMidWriteAndCheck } from '../test-support/crash-check.js';
import { createTempDatabase } from '../test-support/temp-postgres.js';

test('postgres store - kill -9 during writes leaves each batch whole with its manifest, or absent', async () => {
  const db = await createTempDatabase();
  try {
    await killMidWriteAndCheck(db.url);
  } finally {
    await db.drop();
  }
});
