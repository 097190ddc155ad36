import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from './open-store.js';

test('openStore - a path opens a migrated DuckDB file, creating its folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-open-'));
  try {
    const store = await openStore(join(dir, 'nested', 'x.duckdb'));
    assert.equal(store.kind, 'duckdb');
    assert.equal(store.location, join(dir, 'nested', 'x.duckdb'));
    assert.deepEqual(await store.listJobs(10), []);
    await store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('openStore - other URL schemes are a ConfigError that hides credentials', async () => {
  await assert.rejects(openStore('mysql://root:hunter2@localhost/db'), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'CONFIG');
    assert.match(err.message, /postgres:\/\//);
    assert.ok(!err.message.includes('hunter2'));
    return true;
  });
  await assert.rejects(openStore(''), { code: 'CONFIG' });
});
