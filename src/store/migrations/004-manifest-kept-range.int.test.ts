import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sliceColumns } from '../../core/candle.js';
import { openStore } from '../open-store.js';
import type { Store } from '../store.js';
import { btcusdtDay } from '../test-support/fixture-candles.js';
import { createTempDatabase, type TempDatabase } from '../test-support/temp-postgres.js';

const KEY = 'data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-02.zip';

/** Migration 004 on both backends: a trimmed file's kept range is stored and read back; a whole file's entry is as written. */
function keptRangeCases(name: string, open: () => Promise<Store>): void {
  test(`${name} - the manifest keeps the range a trimmed file kept, and no range for a whole file`, async () => {
    const store = await open();
    try {
      const day = btcusdtDay(2);
      const kept = sliceColumns(day, 600, day.length);
      const keptFrom = day.openTime[600] as number;
      const series = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
      const entry = { key: KEY, size: 60_000, sha256: 'cd'.repeat(32), lastModified: 1_577_926_425_000, rows: kept.length, ingestedAt: 1, keptFrom };
      assert.equal(await store.writeCandles(series, kept, 'archive', entry), 840);
      assert.deepEqual(await store.getManifest(KEY), entry);
      const whole = { key: KEY, size: 60_000, sha256: 'cd'.repeat(32), lastModified: 1_577_926_425_000, rows: day.length, ingestedAt: 2 };
      assert.equal(await store.writeCandles(series, day, 'archive', whole), 600);
      assert.deepEqual(await store.getManifest(KEY), whole);
      assert.deepEqual(await store.listManifest('data/spot/daily/klines/BTCUSDT/'), [whole]);
    } finally {
      await store.close();
    }
  });
}

describe('migration 004: archive manifest kept range', () => {
  let db: TempDatabase;
  before(async () => {
    db = await createTempDatabase();
  });
  after(() => db.drop());
  keptRangeCases('DuckDB', () => openStore(join(mkdtempSync(join(tmpdir(), 'tf-004-')), 'x.duckdb')));
  keptRangeCases('PostgreSQL', () => openStore(db.url));
});
