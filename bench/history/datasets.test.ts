import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseChecksum } from '../../src/connectors/binance-archive/checksum.js';
import { decodeArchiveFile } from '../../src/connectors/binance-archive/load-archive-file.js';
import { extractSingleCsv } from '../../src/connectors/binance-archive/zip.js';
import { parseTime } from '../../src/core/time.js';
import { prepareHistoryDatasets, type BenchDataset } from './datasets.js';

let dir: string;
let datasets: BenchDataset[];
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'tickerflow-datasets-test-'));
  datasets = prepareHistoryDatasets(dir);
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('datasets - three BTCUSDT days of 1,440 rows and a LINKUSDT February of 40,320 rows', () => {
  assert.deepEqual(datasets.map((d) => [d.symbol, d.market, d.csvHeader, d.files.map((f) => f.rows)]), [
    ['BTCUSDT', 'spot', false, [1440, 1440, 1440]],
    ['LINKUSDT', 'um', true, [40320]],
  ]);
  assert.deepEqual(datasets.map((d) => d.rows), [4320, 40320]);
});

test('datasets - the packaged LINKUSDT zip passes its computed .CHECKSUM and decodes to the whole month', () => {
  const ds = datasets[1]!;
  const f = ds.files[0]!;
  const body = readFileSync(f.zipPath);
  const checksum = parseChecksum(readFileSync(f.checksumPath), `${f.key}.CHECKSUM`);
  const { candles, manifest } = decodeArchiveFile({ body, lastModified: null, size: body.length }, checksum, f.key, '1m', 'um', 0);
  assert.equal(candles.length, 40320);
  assert.equal(candles.openTime[0], parseTime('2023-02-01'));
  assert.equal(candles.openTime[candles.length - 1], parseTime('2023-02-28T23:59:00Z'));
  // First data row of the recorded CSV: 1675209600000,6.949,6.959,6.947,6.957,30020.25,…
  assert.equal(candles.open[0], 6.949);
  assert.equal(candles.volume[0], 30020.25);
  assert.equal(manifest.rows, 40320);
  assert.equal(manifest.sha256, checksum.sha256);
});

test('datasets - the baselines read exactly the bytes inside each zip', () => {
  for (const d of datasets) {
    for (const f of d.files) assert.ok(extractSingleCsv(readFileSync(f.zipPath), f.key).equals(readFileSync(f.csvPath)), f.key);
  }
});
