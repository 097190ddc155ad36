import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IngestMeasurement } from './ingest.js';
import { formatRatio, ingestRows, renderCatchup, renderIngest, renderSummary } from './report.js';
import { CATCHUP_SCENARIOS, type CatchupResult } from './rest-catchup.js';

const m = (backend: IngestMeasurement['backend'], ours: number[], base: number[], strict: number[]): IngestMeasurement => ({
  dataset: 'D', description: 'd', files: 1, rows: 1000, backend, ours, oursDecode: ours.map((x) => x / 4),
  baselines: [{ name: 'loader', command: 'LOAD', ms: base }, { name: 'keyed loader', command: 'LOAD KEYED', ms: strict }],
});

test('ingestRows - medians of ours and each baseline, ratio = baseline ms / ours ms', () => {
  const rows = ingestRows([m('duckdb', [40, 10, 20], [5, 30, 10], [100, 60, 80])]);
  assert.equal(rows.length, 2);
  assert.equal(rows[0]?.oursMs, 20);
  assert.equal(rows[0]?.oursDecodeMs, 5);
  assert.equal(rows[0]?.oursRowsPerSec, 50_000);
  assert.equal(rows[0]?.baselineMs, 10);
  assert.equal(rows[0]?.ratio, 0.5);
  assert.equal(rows[1]?.ratio, 4);
});

test('ingestRows - the goal applies to the first baseline only, 0.5 on DuckDB and 0.8 on PostgreSQL', () => {
  assert.deepEqual(ingestRows([m('duckdb', [1], [1], [1])]).map((r) => r.goal), [0.5, null]);
  assert.deepEqual(ingestRows([m('postgres', [1], [1], [1])]).map((r) => r.goal), [0.8, null]);
});

test('renderIngest - says "not met" when ours is below the goal', () => {
  const md = renderIngest({ measurements: [m('postgres', [100], [70], [200])], psqlStartupMs: 12.3 }, 1);
  assert.match(md, /\| 0\.70× \| ≥ 0\.8× — \*\*not met\*\* \|/);
  assert.match(md, /median 12\.3 ms/);
  assert.match(md, /`LOAD KEYED`/);
});

function catchup(klinesRequests: number, r429: number): CatchupResult {
  return {
    scenario: CATCHUP_SCENARIOS[0]!, restCandles: 1439, minRequests: 2, minWeight: 4, klinesRequests,
    governor: { requests: klinesRequests, weight: 2 * klinesRequests, rateLimited429: 0, banned418: 0, waits: 0, waitedMs: 0 },
    server: { requests: klinesRequests, weight: 2 * klinesRequests, rateLimited429: r429, banned418: 0 },
    simulatedMs: 0, incomplete: [], wallMs: 1,
  };
}

test('renderCatchup - flags requests above the minimum and shows the server 429 count', () => {
  const md = renderCatchup([catchup(2, 0), catchup(3, 1)]);
  const lines = md.split('\n').filter((l) => l.startsWith('| BTCUSDT'));
  assert.equal(lines.length, 2);
  assert.match(lines[0] ?? '', /\| 2 \(4\) \| 2 \| 4 \| 0 \/ 0 \|/);
  assert.match(lines[1] ?? '', /\| 3 \(\*\*above the minimum\*\*\) \| 6 \| 1 \/ 0 \|/);
});

test('renderSummary - one line per goal with met or not, and REST requests against the minimum', () => {
  const md = renderSummary({ measurements: [m('duckdb', [100], [60], [200]), m('postgres', [100], [90], [200])], psqlStartupMs: 1 }, [catchup(2, 0), catchup(3, 1)]);
  assert.deepEqual(md.split('\n'), [
    '- zip → DuckDB, D: 10,000 rows/s, 0.60× loader (goal ≥ 0.5×: met)',
    '- zip → PostgreSQL, D: 10,000 rows/s, 0.90× loader (goal ≥ 0.8×: met)',
    '- REST catch-up, 2 scenarios: 5 klines requests against a minimum of 4; 1 answers 429/418',
  ]);
});

test('formatRatio - three decimals only where two would round across the goal', () => {
  assert.equal(formatRatio(0.498, 0.5), '0.498×');
  assert.equal(formatRatio(0.5, 0.5), '0.50×');
  assert.equal(formatRatio(0.7951, 0.8), '0.795×');
  assert.equal(formatRatio(0.7949, 0.8), '0.79×');
  assert.equal(formatRatio(0.45, 0.8), '0.45×');
  assert.equal(formatRatio(0.498, null), '0.50×');
});
