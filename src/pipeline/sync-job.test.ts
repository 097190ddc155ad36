import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import type { Store } from '../store/store.js';
import { btcusdtDay } from '../store/test-support/fixture-candles.js';
import type { Sources } from './sources.js';
import { runSyncJob } from './sync-job.js';

test('sync job - a cycle reads each series\' last open time and never counts its rows', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-sync-'));
  const store = await DuckDbStore.open(join(dir, 's.duckdb'));
  try {
    await store.migrate();
    const day = btcusdtDay(1);
    await store.writeCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, day, 'archive');
    const calls: string[] = [];
    const counted = new Proxy(store, {
      get(target, prop, receiver) {
        const v: unknown = Reflect.get(target, prop, receiver);
        if (prop === 'seriesStats' || prop === 'lastOpenTime') calls.push(prop);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as Store;
    const last = day.openTime[day.length - 1] as number;
    // Nothing is due yet: the exchange's clock is inside the minute after the last stored one.
    const sources = {
      exchange: {
        exchange: 'binance',
        now: () => last + 60_000 + 30_000,
        instruments: () => Promise.reject(new Error('not used')),
        firstCandleTime: () => Promise.reject(new Error('not used')),
        klines: () => { throw new Error('nothing is due, so no REST call'); },
      },
    } as unknown as Sources;
    const res = await runSyncJob(counted, sources, pino({ level: 'silent' }), { symbols: ['BTCUSDT', 'ETHUSDT'], interval: '1m' });
    assert.deepEqual(res.needBackfill, ['ETHUSDT']);
    assert.equal(res.rows, 0);
    assert.deepEqual(calls, ['lastOpenTime', 'lastOpenTime']);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
