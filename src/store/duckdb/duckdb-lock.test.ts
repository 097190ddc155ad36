import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDbStore } from './duckdb-store.js';

test('duckdb store - a file held by another process gives StoreLockedError naming file, pid and what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-lock-'));
  const file = join(dir, 'held.duckdb');
  // A real second process holds the file, as `tickerflow up` would.
  const holder = spawn(
    process.execPath,
    ['-e', `require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(file)}).then(() => { console.log('held'); setInterval(() => {}, 1000); })`],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: fileURLToPath(new URL('../../../', import.meta.url)) },
  );
  try {
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', () => resolve());
      holder.on('exit', (code) => reject(new Error(`holder exited with ${code}`)));
    });
    await assert.rejects(DuckDbStore.open(file), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'STORE_LOCKED');
      assert.ok(err.message.includes(file), err.message);
      assert.ok(err.message.includes(`pid ${holder.pid}`), err.message);
      assert.match(err.message, /--db postgres:\/\//);
      return true;
    });
  } finally {
    holder.kill();
    rmSync(dir, { recursive: true, force: true });
  }
});
