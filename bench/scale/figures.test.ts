import { test } from 'node:test';
import assert from 'node:assert/strict';
import { extrapolate, linearFit, rowsPerTenth, rssAgainstRows, rssPerTenth, since2017, slowestStage } from './figures.js';

test('scale figures - rows per tenth: ten equal files at a slowing pace give ten falling rates', () => {
  // 10 files of 1,000 rows; file k lands k·(k+1)/2 seconds after the start (each slower than the last).
  const writes = Array.from({ length: 10 }, (_, i) => ({ t: 1000 * (((i + 1) * (i + 2)) / 2), rows: 1000 }));
  const tenths = rowsPerTenth(writes, 0);
  assert.equal(tenths.length, 10);
  assert.deepEqual(tenths.map((t) => t.seconds), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(tenths[0]?.rowsPerSecond, 1000);
  assert.equal(tenths[9]?.rowsPerSecond, 100);
});

test('scale figures - rows per tenth: one big write that spans several tenths counts once', () => {
  const tenths = rowsPerTenth([{ t: 2000, rows: 500 }, { t: 3000, rows: 500 }], 0);
  assert.deepEqual(tenths.map((t) => [t.tenth, t.rows, t.seconds]), [[5, 500, 2], [10, 500, 1]]);
});

test('scale figures - RSS peaks per tenth of the time and the overall peak', () => {
  const samples = [0, 250, 500, 750, 999].map((t, i) => ({ t, bytes: [10, 30, 20, 50, 40][i] as number }));
  const r = rssPerTenth(samples, 0, 1000);
  assert.equal(r.peak, 50);
  assert.deepEqual(r.peaks, [10, 0, 30, 0, 0, 20, 0, 50, 0, 40]);
});

test('scale figures - RSS growth per row from a least-squares fit', () => {
  const writes = [{ t: 100, rows: 1000 }, { t: 200, rows: 1000 }, { t: 300, rows: 1000 }];
  const samples = [{ t: 150, bytes: 1200 }, { t: 250, bytes: 1400 }, { t: 350, bytes: 1600 }];
  const pts = rssAgainstRows(writes, samples);
  assert.deepEqual(pts, [{ x: 1000, y: 1200 }, { x: 2000, y: 1400 }, { x: 3000, y: 1600 }]);
  const fit = linearFit(pts);
  assert.ok(Math.abs(fit.slope - 0.2) < 1e-12);
  assert.ok(Math.abs(fit.intercept - 1000) < 1e-9);
});

test('scale figures - slowest stage and the 2017-2024 extrapolation', () => {
  assert.deepEqual(slowestStage({ downloads: 3, verifyParse: 7, writes: 5 }), { name: 'verifyParse', seconds: 7 });
  // 2,922 days (2017-01-01 .. 2024-12-31, two leap years) × 1,440 minutes × 100 symbols.
  assert.deepEqual(since2017(100), { rows: 420_768_000, files: 9600, months: 96 });
  assert.equal(extrapolate(1_000_000, 55_000_000, 420_768_000), 23_142_240_000);
});
