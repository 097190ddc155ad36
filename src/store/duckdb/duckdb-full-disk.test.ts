/**
 * A full disk during a write: a small tmpfs (mounted here; tests run as root locally and in CI)
 * holds the DuckDB file. A write that does not fit must fail with a StoreError naming the cause,
 * and the reopened store must hold exactly what it held before. If the mount fails, the test
 * fails: it never skips.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allocateColumns, CANDLE_FIELDS, type CandleColumns } from '../../core/candle.js';
import { StoreError } from '../../core/errors.js';
import { seededRandom } from '../../core/seeded-random.js';
import { parseTime } from '../../core/time.js';
import type { ArchiveManifestEntry } from '../store.js';
import { btcusdtDay } from '../test-support/fixture-candles.js';
import { DuckDbStore } from './duckdb-store.js';

const BTC = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
const manifest = (key: string, rows: number): ArchiveManifestEntry => ({ key, size: 1, sha256: '00'.repeat(32), lastModified: null, rows, ingestedAt: 1 });

/** Valid 1m candles with random prices (generated, so they do not compress away), from 2021-01-01. */
function randomCandles(n: number): CandleColumns {
  const rnd = seededRandom(15);
  const c = allocateColumns(n);
  const t0 = parseTime('2021-01-01');
  for (let i = 0; i < n; i++) {
    const p = 100 + rnd() * 10;
    c.openTime[i] = t0 + i * 60_000;
    c.closeTime[i] = t0 + i * 60_000 + 59_999;
    c.open[i] = p;
    c.high[i] = p + 1;
    c.low[i] = p - 1;
    c.close[i] = p + rnd() * 0.5;
    c.volume[i] = rnd() * 1000;
    c.quoteVolume[i] = rnd() * 1e5;
    c.trades[i] = Math.floor(rnd() * 1000);
    c.takerBuyBase[i] = 0;
    c.takerBuyQuote[i] = 0;
  }
  c.length = n;
  return c;
}

async function withTmpfs(size: string, fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-full-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir]); // throws, failing the test, if it cannot
  try {
    await fn(dir);
  } finally {
    execFileSync('umount', [dir]);
    rmSync(dir, { recursive: true, force: true });
  }
}

// Two ways the disk fills: a large batch DuckDB writes straight into the database file, and a
// smaller one that fails when its WAL is written at COMMIT.
for (const { size, rows, where } of [
  { size: '16m', rows: 1_000_000, where: 'while the rows are written' },
  { size: '3m', rows: 60_000, where: 'at COMMIT (the WAL)' },
]) {
  test(`duckdb store - a full disk ${where} fails with a StoreError and leaves the store as before the file`, () =>
    withTmpfs(size, async (dir) => {
      const file = join(dir, 'store.duckdb');
      const day = btcusdtDay(1);
      let store = await DuckDbStore.open(file);
      try {
        await store.migrate();
        await store.writeCandles(BTC, day, 'archive', manifest('day-1', day.length));
      } finally {
        await store.close();
      }

      store = await DuckDbStore.open(file);
      let err: unknown;
      try {
        await store.migrate();
        err = await store.writeCandles(BTC, randomCandles(rows), 'archive', manifest('big', rows)).then(() => null, (e: unknown) => e);
      } finally {
        await store.close().catch(() => undefined); // the engine may refuse a checkpoint on a full disk
      }
      assert.ok(err instanceof StoreError, `a StoreError, not ${String(err)}`);
      assert.equal(err.code, 'STORE');
      assert.match(err.message, /No space left on device/);
      assert.ok(err.message.includes(file), `the message names the file: ${err.message}`);

      const reopened = await DuckDbStore.open(file);
      try {
        await reopened.migrate();
        const stored = await reopened.readCandles(BTC, 0, parseTime('2030-01-01'));
        assert.equal(stored.length, day.length, 'no row of the failed write, every row from before');
        for (const f of CANDLE_FIELDS) {
          for (let i = 0; i < day.length; i++) if (stored[f][i] !== day[f][i]) assert.fail(`${f} of row ${i} changed`);
        }
        assert.deepEqual((await reopened.listManifest('')).map((m) => [m.key, m.rows]), [['day-1', 1440]]);
      } finally {
        await reopened.close();
      }
    }));
}
