/**
 * Ctrl-C of `tickerflow backfill`: it stops between files within seconds, says so, exits 130 and
 * closes its job (not left `running` to be found abandoned later); only whole files are stored,
 * and a rerun loads the rest, exactly.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { startReplayServer } from '../src/replay/index.js';
import { openStore } from '../src/store/open-store.js';
import { replayConfigToml } from './support/pipeline-harness.js';
import { spawnTickerflow } from './support/spawn-tickerflow.js';

test('backfill - Ctrl-C stops between files, exits 130 and closes its job; a rerun completes it', async () => {
  // Every request waits 1.5 s, so the SIGINT lands while the job's requests are in flight.
  const replay = await startReplayServer({ now: '2020-01-03T12:00:00Z', speed: 0, publicationLagMs: 0, faults: { latencyMs: 1500 } });
  const dir = mkdtempSync(join(tmpdir(), 'tf-backfill-stop-'));
  try {
    const config = join(dir, 'tickerflow.toml');
    const db = join(dir, 'stop.duckdb');
    writeFileSync(config, replayConfigToml(replay, ['BTCUSDT']));
    const run = spawnTickerflow(['--config', config, '--db', db, 'backfill', 'BTCUSDT']);
    // The job has started once it asks for more than the clock and the instrument list (the
    // archive listing, the files): the signal then reaches the job, whatever the machine's load.
    while (replay.stats().requests < 4) {
      assert.equal(run.child.exitCode, null, 'backfill ended before it was stopped');
      await sleep(100);
    }
    const sent = Date.now();
    run.child.kill('SIGINT');
    const stopped = await run.exit;
    assert.ok(Date.now() - sent < 10_000, `stopped ${Date.now() - sent} ms after the signal`);
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /tickerflow backfill: stopping after the files being written/);
    assert.match(stopped.stdout, /^backfill job (\d+) stopped on request after [\d.]+ s; a rerun goes on/m);

    const store = await openStore(db);
    let before: number;
    try {
      const [job] = await store.listJobs(1);
      assert.equal(job?.kind, 'backfill');
      assert.notEqual(job?.status, 'running');
      assert.notEqual(job?.status, 'abandoned');
      assert.match(job?.summary ?? '', /stopped on request before the end/);
      before = (await store.seriesStats({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }))?.count ?? 0;
      assert.equal(before % 1440, 0, `whole daily files only: ${before} rows`);
      assert.ok(before < 2880 + 720, 'stopped before the end');
    } finally {
      await store.close();
    }

    const rerun = await spawnTickerflow(['--config', config, '--db', db, 'backfill', 'BTCUSDT']).exit;
    assert.equal(rerun.code, 0, rerun.stderr);
    const after = await openStore(db);
    try {
      const stats = await after.seriesStats({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' });
      // 2020-01-01 and 02 from their archive files, 00:00–11:59 of the 3rd over REST.
      assert.deepEqual([stats?.count, stats?.first, stats?.last], [2880 + 720, Date.UTC(2020, 0, 1), Date.UTC(2020, 0, 3, 11, 59)]);
    } finally {
      await after.close();
    }
  } finally {
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
