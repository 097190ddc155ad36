import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStoreContract } from '../store.contract.js';
import { btcusdtDay } from '../test-support/fixture-candles.js';
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

test('duckdb store - memory_limit and threads are bounded by default and settable, a bad value is refused naming it', async () => {
  const a = await DuckDbStore.open(join(dir, 'settings-a.duckdb'));
  // DuckDB prints 512MB as 488.2 MiB (512·10^6 bytes in binary units).
  assert.deepEqual(await a.settings(), { memoryLimit: '488.2 MiB', threads: 2 });
  await a.close();
  const b = await DuckDbStore.open(join(dir, 'settings-b.duckdb'), { memoryLimit: '256MiB', threads: 1 });
  assert.deepEqual(await b.settings(), { memoryLimit: '256.0 MiB', threads: 1 });
  await b.close();
  await assert.rejects(DuckDbStore.open(join(dir, 'settings-c.duckdb'), { memoryLimit: 'lots' }), (err: Error & { code?: string }) => {
    assert.equal(err.code, 'STORE');
    assert.match(err.message, /memory_limit lots/);
    return true;
  });
  await assert.rejects(DuckDbStore.open(join(dir, 'settings-d.duckdb'), { threads: 0 }), /threads must be a positive integer, got 0/);
});

test('duckdb store - storageStats gives the file size, candle rows and bytes per row', async () => {
  const store = await fresh();
  await store.writeCandles({ exchange: 'stats', symbol: 'BTCUSDT', interval: '1m' }, btcusdtDay(1), 'archive');
  await store.close();
  const again = await DuckDbStore.open(join(dir, `store-${n}.duckdb`));
  const stats = await again.storageStats();
  await again.close();
  const bytes = statSync(join(dir, `store-${n}.duckdb`)).size;
  assert.deepEqual(stats, { bytes, candleRows: 1440, bytesPerRow: bytes / 1440 });
});
