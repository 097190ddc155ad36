import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONFIG_TEMPLATE, loadConfig } from './load-config.js';

function withFile(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'tf-config-'));
  const p = join(dir, 'tickerflow.toml');
  writeFileSync(p, text);
  return p;
}

test('config - the init template parses to the documented defaults', () => {
  const { config } = loadConfig({ config: withFile(CONFIG_TEMPLATE) }, {});
  assert.equal(config.universe.top, 20);
  assert.equal(config.store.db, './tickerflow-data/tickerflow.duckdb');
  assert.equal(config.store.keep_job_days, 30);
  assert.deepEqual([config.store.duckdb_memory_limit, config.store.duckdb_threads], ['512MB', 2]);
  assert.deepEqual(loadConfig({ config: withFile('') }, {}).config.store, config.store, 'the defaults (job retention bounded) equal the template');
  assert.deepEqual(config.universe.quote_preference, ['USDT', 'FDUSD', 'USDC', 'BUSD', 'BTC']);
  assert.equal(config.telegram.api_root, 'https://api.telegram.org');
  assert.deepEqual(loadConfig({ config: withFile('') }, {}).config.telegram, config.telegram);
});

test('config - [telegram] api_root must be a URL and names the key', () => {
  assert.throws(() => loadConfig({ config: withFile('[telegram]\napi_root = "not a url"\n') }, {}), /telegram\.api_root/);
});

test('config - a DuckDB memory limit that is not a size names the key', () => {
  assert.throws(() => loadConfig({ config: withFile('[store]\nduckdb_memory_limit = "lots"\n') }, {}), /store\.duckdb_memory_limit: expected a size/);
});

test('config - a wrong type names the key', () => {
  assert.throws(() => loadConfig({ config: withFile('[universe]\ntop = "many"\n') }, {}), /universe\.top/);
});

test('config - a job retention below one day is refused, naming the key', () => {
  assert.throws(() => loadConfig({ config: withFile('[store]\nkeep_job_days = 0\n') }, {}), /store\.keep_job_days/);
});

test('config - an unknown key is rejected rather than ignored', () => {
  assert.throws(() => loadConfig({ config: withFile('[universe]\ntpo = 5\n') }, {}), /tpo/);
});

test('config - --db overrides the file and the environment supplies secrets', () => {
  const { config, secrets } = loadConfig({ config: withFile(''), db: 'postgres://u@h/db' }, { COINGECKO_API_KEY: 'k' });
  assert.equal(config.store.db, 'postgres://u@h/db');
  assert.equal(secrets.coingeckoApiKey, 'k');
});

test('config - broken TOML is reported with the file name, line and column', () => {
  const p = withFile('[universe]\ntop = 5\n[universe\n');
  assert.throws(() => loadConfig({ config: p }, {}), new RegExp(`${p.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:3:\\d+: not valid TOML`));
  // A directory where the file should be is said as such, not as bad TOML.
  assert.throws(() => loadConfig({ config: join(p, '..') }, {}), /^ConfigError: config file .*: EISDIR/);
});

test('config - a bare TOML date is read as its text, like a quoted one', () => {
  const p = withFile('[history]\nsince = 2024-01-01\n');
  assert.equal(loadConfig({ config: p }, {}).config.history.since, '2024-01-01');
});

test('config - universe.exchange other than "binance" is refused naming the key and the one supported value', () => {
  assert.throws(() => loadConfig({ config: withFile('[universe]\nexchange = "kraken"\n') }, {}), (e: unknown) => {
    assert.equal((e as Error).message.replace(/^.*?: /, ''), 'universe.exchange: only "binance" is supported (the one exchange connector there is)');
    return true;
  });
});

test('config - history.interval 1h is accepted; an interval the grid does not know is refused naming the key', () => {
  assert.equal(loadConfig({ config: withFile('[history]\ninterval = "1h"\n') }, {}).config.history.interval, '1h');
  assert.throws(() => loadConfig({ config: withFile('[history]\ninterval = "7m"\n') }, {}), /history\.interval: not a supported interval/);
});
