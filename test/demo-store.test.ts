/**
 * `demo` keeps its recorded 2020 data out of the default store: it writes
 * ./tickerflow-data/demo.duckdb (printed in its summary), and the README's follow-up commands,
 * which name that file, read the demo's candles back.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/store/open-store.js';
import { runCli } from './support/run-cli.js';

test('demo - writes its own store, not the default one; the README follow-ups read it with --db', async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'tf-demo-'));
  try {
    // TICKERFLOW_DB names the user's real store: the demo must not write there either.
    const env = { TICKERFLOW_DB: join(cwd, 'real.duckdb') };
    const demo = runCli(['demo', '--no-serve'], { cwd, env });
    assert.equal(demo.code, 0, demo.stderr);
    assert.match(demo.stdout, /the demo's data is in its own store .*tickerflow-data\/demo\.duckdb; your default store is untouched/);
    assert.match(demo.stdout, /try: tickerflow --db \.\/tickerflow-data\/demo\.duckdb candles BTCUSDT/);
    assert.equal(existsSync(join(cwd, 'tickerflow-data', 'tickerflow.duckdb')), false, 'the default store file was not created');
    assert.equal(existsSync(join(cwd, 'real.duckdb')), false, 'the TICKERFLOW_DB store was not created');

    const store = await openStore(join(cwd, 'tickerflow-data', 'demo.duckdb'));
    try {
      assert.equal((await store.seriesStats({ exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' }))?.count, 4320);
    } finally {
      await store.close();
    }

    // The README's quick-start follow-up, verbatim but for `npx`.
    const csv = runCli(['candles', 'BTCUSDT', '--interval', '1m', '--from', '2020-01-01T00:00:00Z', '--to', '2020-01-04T00:00:00Z', '--format', 'csv', '--db', './tickerflow-data/demo.duckdb'], { cwd, env: {} });
    assert.equal(csv.code, 0, csv.stderr);
    assert.equal(csv.stdout.trim().split('\n').length, 4321);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
});
