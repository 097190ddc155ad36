import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { runScheduler } from './scheduler.js';
import type { Sources } from './sources.js';

const DAY = 86_400_000;

test('scheduler - each cycle prunes finished job runs older than the retention, keeping newer and running ones', async () => {
  let clock = Date.UTC(2024, 0, 1);
  const store = await DuckDbStore.open(':memory:', { now: () => clock });
  await store.migrate();
  try {
    const old = await store.startJob('sync', {});
    await store.finishJob(old, 'ok', 1, 'old');
    const oldRunning = await store.startJob('backfill', {});
    clock += 20 * DAY;
    const recent = await store.startJob('sync', {});
    await store.finishJob(recent, 'ok', 1, 'recent');
    clock += 15 * DAY;

    const abort = new AbortController();
    const unreachable = (): never => {
      throw new Error('no network in this test');
    };
    // Only what one cycle touches before its first job fails: the clock and the exchange name.
    const sources: Sources = {
      marketCaps: { topByMarketCap: unreachable },
      exchange: { exchange: 'binance', now: () => clock, instruments: unreachable, firstCandleTime: unreachable, klines: unreachable },
      archive: { listFiles: unreachable, load: unreachable },
    };
    await runScheduler(store, sources, pino({ level: 'silent' }), {
      interval: '1m', universe: { top: 0, vsCurrency: 'usd', quotePreference: ['USDT'], manualSymbols: [] },
      syncEveryMs: 60_000, gapsEveryMs: 3_600_000, universeEveryMs: DAY, keepJobsMs: 30 * DAY,
      sleep: async () => abort.abort(),
    }, abort.signal);

    const left = (await store.listJobs(100)).map((j) => j.id);
    assert.ok(!left.includes(old), 'the 35-day-old finished run is pruned');
    assert.ok(left.includes(recent), 'the 15-day-old run is kept');
    assert.ok(left.includes(oldRunning), 'a running job is never pruned');
  } finally {
    await store.close();
  }
});
