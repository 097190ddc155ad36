/**
 * Symbols named on the command line are checked against the exchange's instrument list before
 * any job starts: a mistyped one is a bad argument (exit 1, one line naming it, no job, nothing
 * written), not a job that "fails" while the command exits 0. Run against the replay server,
 * whose exchangeInfo is the recorded one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startReplayServer } from '../src/replay/index.js';
import { openStore } from '../src/store/open-store.js';
import { replayConfigToml } from './support/pipeline-harness.js';
import { spawnTickerflow } from './support/spawn-tickerflow.js';

test('backfill, sync and gaps refuse a symbol the exchange does not list, before any job; gaps --list needs no exchange', async () => {
  const replay = await startReplayServer({ now: '2020-01-03T12:00:00Z', speed: 0, publicationLagMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'tf-named-'));
  let closed = false;
  try {
    const config = join(dir, 'tickerflow.toml');
    const db = join(dir, 'named.duckdb');
    writeFileSync(config, replayConfigToml(replay, ['BTCUSDT']));
    for (const command of ['backfill', 'sync', 'gaps']) {
      const r = await spawnTickerflow(['--config', config, '--db', db, command, 'btcusdt', 'NOTACOIN', 'NOPEUSDT']).exit;
      assert.equal(r.code, 1, `${command}: ${r.stderr}`);
      assert.equal(r.stdout, '', command);
      assert.match(r.stderr, /not listed on binance: NOTACOIN NOPEUSDT \(check the spelling/, command);
      assert.equal(r.stderr.trim().split('\n').length, 1, `${command}: one line`);
    }
    const store = await openStore(db);
    try {
      assert.deepEqual(await store.listJobs(10), [], 'no job was started');
      assert.equal(await store.seriesStats({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }), null);
    } finally {
      await store.close();
    }
    // The listed symbol alone goes through (lower case is upper-cased, as before).
    const ok = await spawnTickerflow(['--config', config, '--db', db, 'backfill', 'btcusdt']).exit;
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /^BTCUSDT: 2 archive files \(2880 rows\), 720 REST rows$/m);

    // `gaps --list` reads the store only: with the exchange gone it still lists the stored symbol.
    await replay.close();
    closed = true;
    const list = await spawnTickerflow(['--config', config, '--db', db, 'gaps', '--list', 'BTCUSDT', '--since', '2020-01-01']).exit;
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^BTCUSDT +2020-01-01 00:00 +2020-01-01 00:00 +2020-01-03 11:59 +3600 /m);
  } finally {
    if (!closed) await replay.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
