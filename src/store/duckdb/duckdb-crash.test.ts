import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killMidWriteAndCheck } from '../test-support/crash-check.js';

test('duckdb store - kill -9 during writes leaves each batch whole with its manifest, or absent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-crash-'));
  try {
    await killMidWriteAndCheck(join(dir, 'crash.duckdb'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
