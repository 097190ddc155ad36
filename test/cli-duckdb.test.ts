import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliScenario } from './cli.scenario.js';
import { INDICATOR_CATALOG, parseIndicatorSpecs, specText } from '../src/indicators/catalog.js';
import { filterRows } from '../src/store/contract/contract-helpers.js';
import { openStore } from '../src/store/open-store.js';
import { btcusdtDay } from '../src/store/test-support/fixture-candles.js';
import { runCli } from './support/run-cli.js';

cliScenario('DuckDB', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-cli-'));
  return { db: join(dir, 'tickerflow.duckdb'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
});

test('cli - bad arguments give a one-line reason and a non-zero exit', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-cli-bad-'));
  const db = join(dir, 'x.duckdb');
  const cases: Array<[string[], RegExp]> = [
    [['--db', db, 'candles', 'BTCUSDT', '--from', 'yesterday', '--to', '2020-01-02'], /--from.*"yesterday" is not an ISO-8601/],
    [['--db', db, 'candles', 'BTCUSDT', '--interval', '7m', '--from', '2020-01-01', '--to', '2020-01-02'], /'7m' is invalid. Allowed choices are 1m, 5m, 15m, 1h, 4h, 1d/],
    [['--db', db, 'candles', 'BTC-USDT', '--from', '2020-01-01', '--to', '2020-01-02'], /"BTC-USDT" is not a binance symbol such as BTCUSDT/],
    [['--db', db, 'candles', 'BTCUSDT', '--from', '2020-01-02', '--to', '2020-01-01'], /--to .* must be after --from/],
    [['--db', db, 'indicators', 'BTCUSDT', '--from', '2020-01-01', '--to', '2020-01-02', '--ind', 'rsi:1'], /rsi: period must be a whole number from 2/],
    [['--db', db, 'indicators', 'BTCUSDT', '--from', '2020-01-01', '--to', '2020-01-02', '--warmup', '9007199254740993'], /--warmup <bars>' argument '9007199254740993' is invalid. "9007199254740993" is more than 10,000,000/],
    [['--db', 'mysql://x', 'jobs'], /mysql/],
    [['--config', join(dir, 'missing.toml'), 'jobs'], /missing\.toml does not exist/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['--db', db, 'worker'], /worker needs --bus nats:\/\/host\[:port\]/],
    [['--db', db, 'worker', '--bus', 'nats://127.0.0.1:4222'], /worker needs a store every process can reach: --db postgres:\/\/…, not ".*x\.duckdb"/],
    [['--db', db, 'backfill', '--bus', 'nats://127.0.0.1:4222', 'BTCUSDT'], /backfill --bus needs a store every process can reach/],
    [['--db', db, 'up', '--bus', 'nats://127.0.0.1:4222'], /up --bus needs a store every process can reach: --db postgres:\/\/…, not ".*x\.duckdb"/],
  ];
  for (const [args, reason] of cases) {
    const r = runCli(args);
    assert.notEqual(r.code, 0, args.join(' '));
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `one line for ${args.join(' ')}: ${r.stderr}`);
    assert.match(lines[0] ?? '', reason);
  }
  assert.equal(existsSync(db), false, 'no refused command created the store');
  rmSync(dir, { recursive: true, force: true });
});

test('cli - indicators --help lists every catalog entry with defaults that parse back to themselves', () => {
  const r = runCli(['indicators', '--help']);
  assert.equal(r.code, 0, r.stderr);
  const list = r.stdout.slice(r.stdout.indexOf('Indicators (name:parameters, defaults shown):'));
  const lines = list.split('\n').slice(1).filter((l) => l.startsWith('  '));
  assert.deepEqual(lines.map((l) => l.trim().split(/[\s:]/)[0]), Object.keys(INDICATOR_CATALOG));
  for (const line of lines) {
    const [spec = ''] = line.trim().split(/\s+/);
    const [name = ''] = spec.split(':');
    // The spec shown, parameters spelled out, means the same as the bare name.
    assert.deepEqual(parseIndicatorSpecs(spec), parseIndicatorSpecs(name), line);
    assert.equal(spec, specText(parseIndicatorSpecs(name)[0]!), line);
  }
});

test('cli - indicators says which 1m candles are missing under the bars it printed', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-cli-hole-'));
  const db = join(dir, 'x.duckdb');
  const store = await openStore(db);
  // 2020-01-01 without 12:30–12:59 and 18:05: the 12:00 and 18:00 hourly bars are built from fewer minutes.
  await store.writeCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, filterRows(btcusdtDay(1), (i) => (i < 750 || i >= 780) && i !== 1085), 'archive');
  await store.close();
  const r = runCli(['--db', db, 'indicators', 'BTCUSDT', '--from', '2020-01-01', '--to', '2020-01-02']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.split('\n').filter((l) => l.startsWith('2020-01-01 ')).length, 24);
  assert.equal(
    r.stderr,
    'note: 31 1m candles of BTCUSDT missing in the data read (2020-01-01 12:30–2020-01-01 12:59, 2020-01-01 18:05); ' +
      'bars over them are built from the minutes present. `tickerflow gaps BTCUSDT` classifies and repairs them.\n',
  );
  // Outside the hole, nothing to say.
  const whole = runCli(['--db', db, 'indicators', 'BTCUSDT', '--interval', '1m', '--from', '2020-01-01T13:00:00Z', '--to', '2020-01-01T18:00:00Z', '--warmup', '0']);
  assert.equal(whole.code, 0, whole.stderr);
  assert.equal(whole.stderr, '');
  rmSync(dir, { recursive: true, force: true });
});
