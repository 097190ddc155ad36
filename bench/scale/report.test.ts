import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scaleReport, type BackendResult, type ScaleResult } from './report.js';

const MB = 1024 * 1024;
// Ten files of 100,000 rows, one a second from t = 0, RSS growing 10 MiB per file from 100 MiB.
const writes = Array.from({ length: 10 }, (_, i) => ({ t: (i + 1) * 1000, rows: 100_000 }));
const rss = Array.from({ length: 10 }, (_, i) => ({ t: (i + 1) * 1000 + 1, bytes: (100 + 10 * (i + 1)) * MB }));
const duck: BackendResult = {
  backend: 'duckdb', rows: 1_000_000, archiveFiles: 10, restRows: 0, gapsFound: 0,
  stages: { universe: 1, backfill: 10, sync: 0.5, gaps: 0.5 }, backfillCpuSeconds: 18, wallSeconds: 12, backfillStart: 0, writes, rss,
  runStart: 0, runEnd: 10_001, storeBytes: 50_000_000, storeBytesNote: 'file', writesAloneSeconds: 8, writesAloneAtOnce: 1, writesAloneCpuSeconds: 9.5,
  reads: [{ what: 'aggregate', storeSeconds: 3, anchorSeconds: 2, anchor: 'GROUP BY', rows: 1_000_000 }],
};
const result: ScaleResult = {
  command: 'npm run bench -- --only scale --size 1x10', size: { symbols: 1, months: 10 }, latencyMs: 50, replayStartSeconds: 2,
  replayBanner: '', zipFiles: 10, zipBytes: 20 * MB, downloadSeconds: 5, downloadConcurrency: 1, verifyParseSeconds: 4, verifyParseCpuSeconds: 4.2, cores: 2, backends: [duck],
};

test('scale report - per-tenth rates, the slowest stage ratio and the read ratio are computed from the results', () => {
  const md = scaleReport(result);
  assert.match(md, /\| duckdb \| 1,000,000 \| 10 \| 0 \| 1\.0 s \| 10\.0 s \| 0\.5 s \| 0\.5 s \| 12\.0 s \| 200 MiB \| 50\.0 \(file\) \|/);
  assert.match(md, /\| duckdb rows\/s \| 100,000 \| 100,000 \|.*\| 1\.00 \|/);
  // Slowest alone is the 8 s of writes; the backfill took 10 s: 1.25. Its 18 CPU seconds on 2 cores
  // take at least 9 s: 1.13 of the writes alone.
  assert.match(md, /\| duckdb \| 5\.0 s \| 4\.0 s \(4\.2 s\) \| 8\.0 s \(9\.5 s\), 1 at once \| writes 8\.0 s \| 10\.0 s \| 1\.25 \| 18\.0 s \| 9\.0 s \| 1\.13 \|/);
  assert.match(md, /\| duckdb \| aggregate \| 1,000,000 \| 3\.00 s \| GROUP BY \| 2\.00 s \| 1\.50× \|/);
});

test('scale report - extrapolation: 420.8 M rows at 50 B/row, the last rate, 9,600 downloads and RSS growth', () => {
  const md = scaleReport(result);
  // 50 B/row × 420,768,000 rows = 21.0 GB; 420,768,000 / 100,000 rows/s = 4,208 s = 1.2 h; 9,600 × 0.5 s = 1.3 h;
  // RSS 100 MiB + 10 MiB per 100,000 rows: 100 MiB per M rows → 100 + 42,077 MiB.
  assert.match(md, /\| duckdb \| 21\.0 GB \| 1\.2 h \| 1\.3 h \| 42,177 MiB \(100\.0 MiB per M rows\) \|/);
});

test('scale report - RSS that levels off at the memory limit is extrapolated from the later half of the rows', () => {
  // RSS climbs 40 MiB a file over the first five files, then stays at 300 MiB.
  const flat = Array.from({ length: 10 }, (_, i) => ({ t: (i + 1) * 1000 + 1, bytes: Math.min(300, 100 + 40 * (i + 1)) * MB }));
  const md = scaleReport({ ...result, backends: [{ ...duck, rss: flat }] });
  assert.match(md, /\| 300 MiB \(0\.0 MiB per M rows\) \|/);
});
