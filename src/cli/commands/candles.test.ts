import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { columnsFromCandles } from '../../core/candle.js';
import { concatRows } from '../../store/contract/contract-helpers.js';
import { openStore } from '../../store/open-store.js';
import { btcusdtDay } from '../../store/test-support/fixture-candles.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', timeout: 120_000 });

/** A DuckDB store holding the demo data, the 4,320 real BTCUSDT minutes of 2020-01-01 … 03. */
async function demoStore(): Promise<{ dir: string; db: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-candles-'));
  const db = join(dir, 'x.duckdb');
  const store = await openStore(db);
  await store.writeCandles({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }, concatRows(btcusdtDay(1), btcusdtDay(2), btcusdtDay(3)), 'archive');
  await store.close();
  return { dir, db };
}

test('candles and indicators - a reader that goes away (| head) ends the export quietly with exit 0', async () => {
  const { dir, db } = await demoStore();
  try {
    for (const cmd of ['candles BTCUSDT', 'indicators BTCUSDT --interval 1m', 'candles BTCUSDT --format table', 'candles BTCUSDT --format json']) {
      // 4,320 rows are ~500 kB of text, far more than a pipe holds: the writes after head exits fail with EPIPE.
      const r = spawnSync('bash', ['-c', `set -o pipefail; "${process.execPath}" --import tsx "${MAIN}" --db "${db}" ${cmd} --from 2020-01-01 --to 2020-01-04 ${cmd.includes("--format") ? "" : "--format csv"} | head -c 300`], { encoding: 'utf8', timeout: 120_000 });
      assert.equal(r.status, 0, `${cmd}: ${r.stderr}`);
      assert.equal(r.stderr, '', cmd);
      assert.equal(r.stdout.length, 300, cmd);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('candles --output - the file holds exactly what stdout gets; parquet needs --output; a bad path says which', async () => {
  const { dir, db } = await demoStore();
  try {
    const window = ['--interval', '15m', '--from', '2020-01-01', '--to', '2020-01-04'];
    const stdout = cli(['--db', db, 'candles', 'BTCUSDT', ...window, '--format', 'json']);
    assert.equal(stdout.status, 0, stdout.stderr);
    const file = join(dir, 'out.json');
    const written = cli(['--db', db, 'candles', 'BTCUSDT', ...window, '--format', 'json', '--output', file]);
    assert.equal(written.status, 0, written.stderr);
    assert.equal(written.stdout, '');
    assert.equal(readFileSync(file, 'utf8'), stdout.stdout);
    assert.equal((JSON.parse(stdout.stdout) as unknown[]).length, 288);
    const parquet = cli(['--db', db, 'indicators', 'BTCUSDT', '--from', '2020-01-02', '--to', '2020-01-04', '--format', 'parquet']);
    assert.equal(parquet.status, 1);
    assert.equal(parquet.stderr, 'tickerflow: --format parquet writes a file: give --output FILE\n');
    const pq = cli(['--db', db, 'indicators', 'BTCUSDT', '--from', '2020-01-02', '--to', '2020-01-04', '--ind', 'macd,td', '--format', 'parquet', '--output', join(dir, 'ind.parquet')]);
    assert.equal(pq.status, 0, pq.stderr);
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('.')), []);
    const bad = cli(['--db', db, 'candles', 'BTCUSDT', ...window, '--format', 'csv', '--output', join(dir, 'missing', 'x.csv')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /^tickerflow: --output .*missing\/x\.csv: ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('candles --help - says what --from and --to default to and what complete means', () => {
  const r = cli(['candles', '--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /--to defaults to now; --from to one day before --to at 1m, 500 bars before it at other intervals/);
  assert.match(r.stdout, /complete/);
  assert.match(cli(['indicators', '--help']).stdout, /--to defaults to now/);
});

test('candles --exchange bitvavo - Bitvavo\'s hyphenated symbol reads its stream bars; the hyphen is refused on binance', async () => {
  const { dir, db } = await demoStore();
  try {
    const store = await openStore(db);
    // One stream bar as the replay's Bitvavo capture makes them: 60 trades of the docs' example (sell 0.00096361 at 9311.2).
    const t = Date.parse('2026-09-23T01:39:00Z');
    const bar = { openTime: t, open: 9311.2, high: 9311.2, low: 9311.2, close: 9311.2, volume: 0.0578166, closeTime: t + 59_999, quoteVolume: 538.33, trades: 60, takerBuyBase: 0, takerBuyQuote: 0 };
    await store.writeCandles({ exchange: 'bitvavo', symbol: 'BTC-EUR', interval: '1m' }, columnsFromCandles([bar]), 'stream');
    await store.close();
    const r = cli(['--db', db, 'candles', 'btc-eur', '--exchange', 'bitvavo', '--from', '2026-09-23T01:39:00Z', '--to', '2026-09-23T01:40:00Z', '--format', 'csv']);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.split('\n')[1], `${t},9311.2,9311.2,9311.2,9311.2,0.0578166,${t + 59_999},538.33,60,0,0,true`);
    const refused = cli(['--db', db, 'candles', 'BTC-EUR', '--from', '2026-09-23', '--to', '2026-09-24']);
    assert.equal(refused.status, 1);
    assert.equal(refused.stderr, 'tickerflow: "BTC-EUR" is not a binance symbol such as BTCUSDT\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('candles - an empty export says what is stored of the symbol, and fails for a symbol with nothing stored', async () => {
  const { dir, db } = await demoStore();
  try {
    const outside = cli(['--db', db, 'candles', 'BTCUSDT', '--from', '2021-01-01', '--to', '2021-01-02', '--format', 'csv']);
    assert.equal(outside.status, 0, outside.stderr);
    assert.equal(outside.stdout.trim().split('\n').length, 1, 'the header alone');
    assert.equal(outside.stderr, 'tickerflow: no 1m candles of BTCUSDT in this window; stored: 1m 2020-01-01 00:00 … 2020-01-03 23:59\n');
    const unknown = cli(['--db', db, 'candles', 'ETHUSDT', '--from', '2020-01-01', '--to', '2020-01-02']);
    assert.equal(unknown.status, 1);
    assert.equal(unknown.stderr, 'tickerflow: nothing of ETHUSDT is stored on binance (`tickerflow backfill ETHUSDT` loads it)\n');
    const exchange = cli(['--db', db, 'candles', 'BTCUSDT', '--exchange', 'foo']);
    assert.equal(exchange.status, 1);
    assert.match(exchange.stderr, /argument 'foo' is invalid\. Allowed choices are binance, gemini, bitvavo, btcturk/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
