import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killMidWriteAndCheck } from '../test-support/crash-check.js';

test('duckdb store - kill -9 inside write transactions leaves each batch whole with its manifest, or absent', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-crash-'));
  try {
    // Three kills into one file, each inside a different write, each checked on reopening.
    for (const pausedAt of [0, 2, 1]) await killMidWriteAndCheck(join(dir, 'crash.duckdb'), pausedAt);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
