import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseTime } from '../src/core/time.js';
import { openStore } from '../src/store/open-store.js';
import { btcusdtDay } from '../src/store/test-support/fixture-candles.js';
import { runCli } from './support/run-cli.js';
import { spawnUp } from './support/spawn-up.js';

const D1 = parseTime('2020-01-01');

test('cli through up - while up holds the DuckDB file, candles, jobs and gaps --list read through its API; what they print equals a direct read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-up-api-'));
  const db = join(dir, 'x.duckdb');
  const config = join(dir, 'tickerflow.toml');
  // No universe refresh and no symbol to sync: the store stays as seeded while up runs.
  writeFileSync(config, '[universe]\ntop = 0\nsymbols = []\n\n[schedule]\nuniverse_every_hours = 1000\n');
  const store = await openStore(db);
  const series = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
  await store.upsertInstruments([{ exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: D1, tickSize: '0.01000000', stepSize: '0.00000100' }]);
  for (const day of [1, 2, 3] as const) await store.writeCandles(series, btcusdtDay(day), 'archive');
  const job = await store.startJob('seeded', { by: 'test' });
  const task = await store.startTask(job, 'seeded task');
  await store.appendTaskLog({ taskId: task, at: D1, level: 'info', message: 'a line the API carries' });
  await store.finishTask(task, 'ok', 7, null);
  await store.finishJob(job, 'ok', 7, 'seeded by the test');
  await store.recordGaps([{ ...series, from: D1 + 60_000, to: D1 + 60_000, kind: 'hole', status: 'open', detectedAt: D1, note: null }]);
  await store.close();

  const base = ['--config', config, '--db', db];
  const up = await spawnUp(base, db, dir);
  try {
    const addressFile = up.addressFile;
    assert.ok(existsSync(addressFile), `up wrote no address file: ${up.output()}`);
    assert.equal(statSync(addressFile).mode & 0o777, 0o600);
    assert.match(up.output(), /API and dashboard at http:\/\/127\.0\.0\.1:\d+/);
    const { url, token } = JSON.parse(readFileSync(addressFile, 'utf8')) as { url: string; token: string };
    const health = (await (await fetch(`${url}/api/v1/health`)).json()) as { ok: boolean; store: string };
    assert.deepEqual([health.ok, health.store], [true, 'duckdb']);

    const csvArgs = [...base, 'candles', 'BTCUSDT', '--from', '2020-01-02T10:00:00Z', '--to', '2020-01-03T02:00:00Z', '--format', 'csv'];
    const tableArgs = [...base, 'candles', 'BTCUSDT', '--interval', '1h', '--from', '2020-01-01', '--to', '2020-01-04'];
    const remoteCsv = runCli(csvArgs, { cwd: dir });
    assert.equal(remoteCsv.code, 0, remoteCsv.stderr);
    const remoteTable = runCli(tableArgs, { cwd: dir });
    assert.equal(remoteTable.code, 0, remoteTable.stderr);
    const jobs = runCli([...base, 'jobs'], { cwd: dir });
    assert.equal(jobs.code, 0, jobs.stderr);
    assert.match(jobs.stdout, new RegExp(`^\\s*${job}\\s+seeded\\s+ok\\b.*7 rows\\s+seeded by the test$`, 'm'));
    const shown = runCli([...base, 'jobs', 'show', String(job)], { cwd: dir });
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /task \d+ ok .* 7 rows {2}seeded task\n.*info {2}a line the API carries/);
    const missing = runCli([...base, 'jobs', 'show', '99999'], { cwd: dir });
    assert.notEqual(missing.code, 0);
    assert.equal(missing.stderr.trim(), 'tickerflow: no job run with id 99999');
    const gaps = runCli([...base, 'gaps', '--list', 'BTCUSDT'], { cwd: dir });
    assert.equal(gaps.code, 0, gaps.stderr);
    // Expected counts the minutes closed on up's replay clock, which has moved on from 00:00:30 by now.
    assert.match(gaps.stdout, /^BTCUSDT\s+2020-01-01 00:00\s+2020-01-01 00:00\s+2020-01-03 23:59\s+4320\s+432\d\s+\d+\.\d %\s+hole 1 \(1 candles\)\s+-$/m);
    // An unknown token is refused: the CLI does not get in on the file's word alone.
    const refused = await fetch(`${url}/api/v1/jobs`, { headers: { authorization: `Bearer ${token}x` } });
    assert.equal(refused.status, 401);

    up.child.kill('SIGINT');
    assert.equal(await up.exited, 0, up.output());
    assert.ok(!existsSync(addressFile), 'the address file outlived up');
    assert.match(up.output(), /tickerflow up: stopped/);

    // The same commands reading the file directly print the same bytes.
    const localCsv = runCli(csvArgs, { cwd: dir });
    assert.equal(localCsv.code, 0, localCsv.stderr);
    assert.equal(remoteCsv.stdout, localCsv.stdout);
    assert.equal(remoteCsv.stdout.trimEnd().split('\n').length, 1 + 16 * 60);
    assert.equal(remoteTable.stdout, runCli(tableArgs, { cwd: dir }).stdout);
    assert.match(remoteTable.stdout, /72 candles/);
    // The local token was revoked when up stopped.
    const after = await openStore(db);
    try {
      const admin = (await after.listUsers()).find((u) => u.role === 'admin');
      assert.ok(admin !== undefined);
      const local = (await after.listApiTokens(admin.id)).filter((t) => t.label === 'local up');
      assert.equal(local.length, 1);
      assert.notEqual(local[0]!.revokedAt, null);
    } finally {
      await after.close();
    }
  } finally {
    if (up.child.exitCode === null) up.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
