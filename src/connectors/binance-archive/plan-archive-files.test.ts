import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planArchiveFiles } from './plan-archive-files.js';

const day = (y: number, m: number, d: number, h = 0) => Date.UTC(y, m - 1, d, h);
const names = (plan: ReturnType<typeof planArchiveFiles>) => plan.files.map((f) => f.key.slice(f.key.lastIndexOf('/') + 1));

test('plan archive files - the demo range 2020-01-01..04 long after is three daily files (January is not whole)', () => {
  const plan = planArchiveFiles('BTCUSDT', '1m', day(2020, 1, 1), day(2020, 1, 4), day(2026, 1, 1));
  assert.deepEqual(names(plan), ['BTCUSDT-1m-2020-01-01.zip', 'BTCUSDT-1m-2020-01-02.zip', 'BTCUSDT-1m-2020-01-03.zip']);
  assert.equal(plan.files[0]?.key, 'data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip');
  assert.equal(plan.archivedUntil, day(2020, 1, 4));
});

test('plan archive files - whole published months are monthly files, the partial ends are daily', () => {
  const plan = planArchiveFiles('BTCUSDT', '1m', day(2023, 12, 30), day(2024, 3, 2), day(2024, 6, 1));
  assert.deepEqual(names(plan), [
    'BTCUSDT-1m-2023-12-30.zip', 'BTCUSDT-1m-2023-12-31.zip', 'BTCUSDT-1m-2024-01.zip', 'BTCUSDT-1m-2024-02.zip', 'BTCUSDT-1m-2024-03-01.zip',
  ]);
  assert.deepEqual(plan.files.map((f) => f.period), ['daily', 'daily', 'monthly', 'monthly', 'daily']);
  assert.equal(plan.files[3]?.end, day(2024, 3, 1));
});

test('plan archive files - before the first Monday the last month comes as daily files', () => {
  // February 2024's monthly zip appears Monday 2024-03-04. On Sunday 2024-03-03 12:00 it is not out,
  // so February is 29 daily files, and March 1st and 2nd are out as dailies, the 3rd is not.
  const plan = planArchiveFiles('ETHUSDT', '1m', day(2024, 1, 1), day(2024, 3, 10), day(2024, 3, 3, 12));
  const n = names(plan);
  assert.equal(n[0], 'ETHUSDT-1m-2024-01.zip');
  assert.equal(n.length, 1 + 29 + 2);
  assert.equal(n[1], 'ETHUSDT-1m-2024-02-01.zip');
  assert.equal(n[29], 'ETHUSDT-1m-2024-02-29.zip');
  assert.equal(n.at(-1), 'ETHUSDT-1m-2024-03-02.zip');
  assert.equal(plan.archivedUntil, day(2024, 3, 3));
});

test('plan archive files - on the first Monday itself the month is one monthly file', () => {
  const plan = planArchiveFiles('ETHUSDT', '1m', day(2024, 2, 1), day(2024, 3, 1), day(2024, 3, 4));
  assert.deepEqual(names(plan), ['ETHUSDT-1m-2024-02.zip']);
  const before = planArchiveFiles('ETHUSDT', '1m', day(2024, 2, 1), day(2024, 3, 1), day(2024, 3, 4) - 1);
  assert.equal(before.files.length, 29);
});

test('plan archive files - today and yesterday-before-midnight are left to REST', () => {
  const now = day(2024, 5, 10, 15);
  const plan = planArchiveFiles('BTCUSDT', '1h', day(2024, 5, 8, 6), now, now);
  assert.deepEqual(names(plan), ['BTCUSDT-1h-2024-05-08.zip', 'BTCUSDT-1h-2024-05-09.zip']);
  assert.equal(plan.archivedUntil, day(2024, 5, 10));
  const nothing = planArchiveFiles('BTCUSDT', '1m', day(2024, 5, 10, 1), now, now);
  assert.deepEqual(nothing.files, []);
  assert.equal(nothing.archivedUntil, day(2024, 5, 10, 1));
});

test('plan archive files - a range ending mid-day still needs that whole day file; an empty range needs none', () => {
  const plan = planArchiveFiles('BTCUSDT', '1m', day(2020, 1, 31, 23), day(2020, 2, 1, 1), day(2021, 1, 1), 'um');
  assert.deepEqual(names(plan), ['BTCUSDT-1m-2020-01-31.zip', 'BTCUSDT-1m-2020-02-01.zip']);
  assert.ok(plan.files.every((f) => f.key.startsWith('data/futures/um/daily/klines/BTCUSDT/1m/')));
  assert.equal(plan.archivedUntil, day(2020, 2, 1, 1));
  assert.deepEqual(planArchiveFiles('BTCUSDT', '1m', day(2020, 1, 2), day(2020, 1, 2), day(2021, 1, 1)).files, []);
});
