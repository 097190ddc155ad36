import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreContract } from '../store.contract.js';
import { DuckDbStore } from './duckdb-store.js';

const dir = mkdtempSync(join(tmpdir(), 'tickerflow-duckdb-'));
let n = 0;

async function fresh(): Promise<DuckDbStore> {
  const store = await DuckDbStore.open(join(dir, `store-${++n}.duckdb`));
  await store.migrate();
  return store;
}

test.after(() => rmSync(dir, { recursive: true, force: true }));

runStoreContract('duckdb', fresh);

test('duckdb store - location is the absolute file path and data survives reopening', async () => {
  const file = join(dir, 'reopen.duckdb');
  const a = await DuckDbStore.open(file);
  await a.migrate();
  assert.equal(a.location, file);
  const job = await a.startJob('universe', {});
  await a.close();
  const b = await DuckDbStore.open(file);
  await b.migrate();
  assert.equal((await b.listJobs(5))[0]?.id, job);
  await b.close();
});
