import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseTime } from '../src/core/time.js';
import { openStore } from '../src/store/open-store.js';
import { btcusdtDay } from '../src/store/test-support/fixture-candles.js';
import { runCli } from './support/run-cli.js';
import { spawnUp } from './support/spawn-up.js';

const D1 = parseTime('2020-01-01');

test('cli through up - indicators and universe --list read through its API; users, backfill and a universe refresh are refused with what to do', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-up-cmds-'));
  const db = join(dir, 'x.duckdb');
  const config = join(dir, 'tickerflow.toml');
  writeFileSync(config, '[universe]\ntop = 0\nsymbols = []\n\n[schedule]\nuniverse_every_hours = 1000\n');
  const store = await openStore(db);
  const series = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };
  await store.upsertInstruments([{ exchange: 'binance', symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: D1, tickSize: '0.01000000', stepSize: '0.00000100' }]);
  const days = [btcusdtDay(1), btcusdtDay(2), btcusdtDay(3)];
  for (const c of days) await store.writeCandles(series, c, 'archive');
  await store.saveUniverse({ date: '2020-01-01', exchange: 'binance', entries: [{ rank: 1, coingeckoId: 'bitcoin', coinSymbol: 'btc', marketCap: null, volume: null, symbol: 'BTCUSDT', manual: false }] });
  await store.close();

  const base = ['--config', config, '--db', db];
  const indCsv = [...base, 'indicators', 'BTCUSDT', '--interval', '1h', '--from', '2020-01-02', '--to', '2020-01-04', '--ind', 'rsi:14,ema:20,td', '--warmup', '24', '--format', 'csv'];
  const indTable = [...base, 'indicators', 'BTCUSDT', '--interval', '15m', '--from', '2020-01-03T12:00:00Z', '--to', '2020-01-03T18:00:00Z', '--ind', 'macd,sr'];
  const up = await spawnUp(base, db, dir);
  try {
    const remoteCsv = runCli(indCsv, { cwd: dir });
    assert.equal(remoteCsv.code, 0, remoteCsv.stderr);
    const remoteTable = runCli(indTable, { cwd: dir });
    assert.equal(remoteTable.code, 0, remoteTable.stderr);

    // Up's clock is 2020-01-04 00:00:30: the last 1h bar is 2020-01-03 23:00, closed at minute 23:59.
    const listed = runCli([...base, 'universe', '--list'], { cwd: dir });
    assert.equal(listed.code, 0, listed.stderr);
    const close = (c: (typeof days)[number]): number => c.close[c.length - 1] as number;
    const change = ((close(days[2]!) - close(days[1]!)) / close(days[1]!)) * 100;
    assert.match(listed.stdout, new RegExp(`^BTCUSDT\\s+1\\s+${close(days[2]!).toFixed(2)}\\s+${change >= 0 ? '\\+' : '-'}${Math.abs(change).toFixed(2)} %\\s+\\d+\\.\\d\\s+\\S`, 'm'));

    for (const [args, hint] of [
      [['users', 'list'], /holds .*x\.duckdb: users are managed only by the process that holds the store: stop up/],
      [['users', 'add', 'zoe', '--password-stdin'], /stop up \(Ctrl-C\), run `tickerflow users …`, then start up again/],
      [['backfill', 'BTCUSDT'], /up backfills every symbol that enters the universe by itself/],
      [['universe'], /`tickerflow universe --list` shows it now/],
    ] as const) {
      const r = runCli([...base, ...args], { cwd: dir, input: 'a-long-enough-password\n' });
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, hint);
      assert.doesNotMatch(r.stderr, /file in use|could not set lock|conflicting lock/i, 'not the database lock');
    }

    up.child.kill('SIGINT');
    assert.equal(await up.exited, 0, up.output());

    // The same commands reading the file directly print the same bytes.
    assert.equal(remoteCsv.stdout, runCli(indCsv, { cwd: dir }).stdout);
    assert.equal(remoteCsv.stdout.trimEnd().split('\n').length, 1 + 48);
    assert.equal(remoteTable.stdout, runCli(indTable, { cwd: dir }).stdout);
    assert.match(remoteTable.stdout, /macd/);
    const users = runCli([...base, 'users', 'list'], { cwd: dir });
    assert.equal(users.code, 0, users.stderr);
    assert.doesNotMatch(users.stdout, /zoe/, 'the refused add added nobody');
  } finally {
    if (up.child.exitCode === null) up.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
