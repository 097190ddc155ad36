import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ChecksumMismatchError } from '../../src/core/errors.js';
import { openStore } from '../../src/store/open-store.js';
import { prepareHistoryDatasets, type BenchDataset } from './datasets.js';
import { ingestArchiveFile, runIngestBench } from './ingest.js';

let dir: string;
let btc: BenchDataset;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tickerflow-ingest-test-'));
  btc = prepareHistoryDatasets(dir)[0]!;
});
after(() => rmSync(dir, { recursive: true, force: true }));

const series = { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' as const };

test('ingestArchiveFile - writes the day and its manifest entry with the verified SHA-256', async () => {
  const store = await openStore(':memory:');
  try {
    const f = btc.files[0]!;
    assert.equal(await ingestArchiveFile(store, series, f, 'spot'), 1440);
    const m = await store.getManifest(f.key);
    assert.equal(m?.rows, 1440);
    assert.match(m?.sha256 ?? '', /^[0-9a-f]{64}$/);
  } finally {
    await store.close();
  }
});

test('ingestArchiveFile - a zip that does not match its .CHECKSUM is rejected and writes nothing', async () => {
  const store = await openStore(':memory:');
  try {
    const [a, b] = btc.files;
    // The zip of 2020-01-01 served under the key of 2020-01-02, with 2020-01-02's real .CHECKSUM.
    const mixed = { ...a!, key: b!.key, checksumPath: b!.checksumPath };
    await assert.rejects(ingestArchiveFile(store, series, mixed, 'spot'), ChecksumMismatchError);
    assert.equal(await store.seriesStats(series), null);
    assert.equal(await store.getManifest(b!.key), null);
  } finally {
    await store.close();
  }
});

test('runIngestBench - one round on both backends gives ours and two baselines per backend, all loading every row', async () => {
  const r = await runIngestBench({ datasets: [btc], rounds: 1, workDir: join(dir, 'work') });
  assert.deepEqual(r.measurements.map((m) => [m.backend, m.rows, m.ours.length, m.baselines.map((b) => b.ms.length)]), [
    ['duckdb', 4320, 1, [1, 1]],
    ['postgres', 4320, 1, [1, 1]],
  ]);
  assert.deepEqual(r.measurements.flatMap((m) => m.baselines.map((b) => b.name)), [
    'DuckDB read_csv', 'DuckDB read_csv, INSERT with our primary key', 'psql \\copy', 'psql \\copy, table with our primary key',
  ]);
  assert.ok(r.psqlStartupMs > 0);
});
