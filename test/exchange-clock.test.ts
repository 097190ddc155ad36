/**
 * "Closed" is the exchange's call: with the local clock 5 minutes ahead of the exchange (the replay
 * server's simulated clock), backfill and sync store only candles closed on the exchange's clock,
 * never the one still forming.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../src/core/config.js';
import { parseTime } from '../src/core/time.js';
import { runBackfillJob } from '../src/pipeline/backfill-job.js';
import { createReplaySources } from '../src/pipeline/create-sources.js';
import { runSyncJob } from '../src/pipeline/sync-job.js';
import { startReplayServer } from '../src/replay/index.js';
import { openStore } from '../src/store/open-store.js';
import { silentLogger } from './support/pipeline-harness.js';

const BTC = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
const AHEAD_MS = 5 * 60_000;

test('exchange clock - a local clock 5 minutes ahead: sync stores up to the last candle closed on the exchange, not the forming one', async () => {
  const replay = await startReplayServer({ now: '2020-01-03T12:00:30Z', speed: 0, publicationLagMs: 0 });
  const store = await openStore(':memory:');
  const config = configSchema.parse({});
  const localClock = (): number => replay.clock.now() + AHEAD_MS;
  try {
    const backfill = await runBackfillJob(store, createReplaySources(config, replay, { clock: localClock }), silentLogger, { symbols: ['BTCUSDT'], interval: '1m' });
    assert.deepEqual(backfill.results[0], { symbol: 'BTCUSDT', archiveFiles: 2, archiveRows: 2880, restRows: 720, rejectedFiles: [] });
    assert.equal((await store.seriesStats(BTC))?.last, parseTime('2020-01-03T11:59:00Z'));

    // A fresh process (no offset learned yet), 90 exchange minutes later: 13:30 is forming on the exchange.
    replay.clock.setNow(parseTime('2020-01-03T13:30:30Z'));
    const sources = createReplaySources(config, replay, { clock: localClock });
    const sync = await runSyncJob(store, sources, silentLogger, { symbols: ['BTCUSDT'], interval: '1m' });
    assert.equal(sync.rows, 90, '12:00 .. 13:29 closed; 13:30 still forming on the exchange');
    const stats = await store.seriesStats(BTC);
    assert.equal(stats?.last, parseTime('2020-01-03T13:29:00Z'));
    assert.equal(stats?.count, 2880 + 720 + 90);
    assert.equal(sources.exchange.now(), replay.clock.now(), "exchange.now() is the exchange's clock, learned from its Date header");
  } finally {
    await store.close();
    await replay.close();
  }
});

test('exchange clock - syncClock learns the offset from /api/v3/time before any other request', async () => {
  const replay = await startReplayServer({ now: '2020-01-03T12:00:30.250Z', speed: 0 });
  try {
    const sources = createReplaySources(configSchema.parse({}), replay, { clock: () => replay.clock.now() + AHEAD_MS });
    assert.equal(sources.exchange.now(), replay.clock.now() + AHEAD_MS, 'nothing learned yet');
    await sources.syncClock();
    assert.equal(sources.exchange.now(), parseTime('2020-01-03T12:00:30.250Z'), 'to the millisecond');
    assert.equal(replay.stats().binance.weight, 1);
  } finally {
    await replay.close();
  }
});
