/**
 * `tickerflow doctor` as a check: it creates no store where none is (a mistyped --db is shown, not
 * made into an empty store), and it probes every data source's host, the archive's file host too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startReplayServer } from '../src/replay/index.js';
import { replayConfigToml } from './support/pipeline-harness.js';
import { spawnTickerflow } from './support/spawn-tickerflow.js';

test('doctor - creates no store, and fails when the archive file host is down while the others answer', async () => {
  const replay = await startReplayServer({ now: '2020-01-03T12:00:00Z', speed: 0, publicationLagMs: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'tf-doctor-'));
  try {
    const config = join(dir, 'tickerflow.toml');
    writeFileSync(config, replayConfigToml(replay, ['BTCUSDT']));
    const missing = join(dir, 'no', 'such', 'dir', 'store.duckdb');
    const ok = await spawnTickerflow(['--config', config, '--db', missing, 'doctor']).exit;
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, new RegExp(`^ok {3}store: no DuckDB file at ${missing.replaceAll('/', '\\/')} yet`, 'm'));
    assert.equal(existsSync(join(dir, 'no')), false, 'doctor created nothing');
    assert.match(ok.stdout, /^ok {3}binance archive files: HTTP 200 /m);

    // Every other source answers; the host the zips come from does not (a port just closed).
    const server = createServer().listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    server.close();
    await once(server, 'close');
    writeFileSync(config, replayConfigToml({ urls: { ...replay.urls, archiveData: `http://127.0.0.1:${port}/vision` } }, ['BTCUSDT']));
    const down = await spawnTickerflow(['--config', config, '--db', missing, 'doctor']).exit;
    assert.equal(down.code, 1, down.stdout);
    assert.match(down.stdout, new RegExp(`^FAIL binance archive files: unreachable \\(ECONNREFUSED\\) \\(http://127\\.0\\.0\\.1:${port}\\)$`, 'm'));
    assert.match(down.stdout, /^ok {3}binance archive listing: HTTP 200 /m);
  } finally {
    await replay.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
