import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { assertSameAsV1, writeV1Store } from '../test-support/v1-store.js';
import { DuckDbSession } from './duckdb-session.js';
import { DuckDbStore } from './duckdb-store.js';

test('duckdb store - a v1 file (text-keyed candles) is migrated in place on first open, every row kept', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-v1-'));
  const file = join(dir, 'v1.duckdb');
  try {
    const instance = await DuckDBInstance.create(file);
    const conn = await instance.connect();
    await writeV1Store(new DuckDbSession(conn));
    conn.closeSync();
    instance.closeSync();

    const store = await DuckDbStore.open(file);
    await store.migrate();
    try {
      await assertSameAsV1(store);
    } finally {
      await store.close();
    }
    // Reopening applies nothing more and keeps the data.
    const again = await DuckDbStore.open(file);
    await again.migrate();
    assert.equal((await again.storageStats()).candleRows, 3 * 1440);
    await again.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
