import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBarComplete } from './bar-complete.js';

// The 1h bar of 2020-01-01 12:00 UTC: minutes 12:00 … 12:59, over by 13:00.
const H = Date.UTC(2020, 0, 1, 12);
const M = 60_000;
const later = Date.UTC(2020, 0, 2);
const bar = (storedMinutes: number) => ({ openTime: H, intervalMs: 3_600_000, storedMinutes });

test('isBarComplete - a full bucket that has ended is complete', () => {
  assert.equal(isBarComplete(bar(60), later, [], []), true);
  // Ended exactly at now: the bucket's last minute closed at 12:59:59.999.
  assert.equal(isBarComplete(bar(60), H + 60 * M, [], []), true);
});

test('isBarComplete - a bucket still forming is not complete, even with every minute so far', () => {
  assert.equal(isBarComplete(bar(60), H + 60 * M - 1, [], []), false);
  assert.equal(isBarComplete(bar(31), H + 30 * M + 5_000, [], []), false);
  // A 1m bar is forming until its minute is over.
  assert.equal(isBarComplete({ openTime: H, intervalMs: M, storedMinutes: 1 }, H + 59_999, [], []), false);
  assert.equal(isBarComplete({ openTime: H, intervalMs: M, storedMinutes: 1 }, H + M, [], []), true);
});

test('isBarComplete - a missing minute leaves the bar incomplete', () => {
  // 12:30 missing, no ledger entry (a hole, or not classified yet).
  assert.equal(isBarComplete(bar(59), later, [{ from: H + 30 * M, to: H + 30 * M }], []), false);
  // The ledger's outage covers other minutes, not 12:30.
  assert.equal(isBarComplete(bar(59), later, [{ from: H + 30 * M, to: H + 30 * M }], [{ from: H + 31 * M, to: H + 40 * M }]), false);
});

test('isBarComplete - missing minutes recorded as an exchange outage leave it complete', () => {
  // 12:30–12:59 missing; the ledger records an outage from 12:30 to 14:10.
  const missing = [{ from: H + 30 * M, to: H + 59 * M }];
  assert.equal(isBarComplete(bar(30), later, missing, [{ from: H + 30 * M, to: H + 130 * M }]), true);
  // Two ledger rows that touch (12:30–12:44, 12:45–13:10) cover it together.
  assert.equal(isBarComplete(bar(30), later, missing, [{ from: H + 45 * M, to: H + 70 * M }, { from: H + 30 * M, to: H + 44 * M }]), true);
  // One minute (12:45) between them not covered.
  assert.equal(isBarComplete(bar(30), later, missing, [{ from: H + 46 * M, to: H + 70 * M }, { from: H + 30 * M, to: H + 44 * M }]), false);
  // The outage covers the missing minutes but the bucket is still forming.
  assert.equal(isBarComplete(bar(30), H + 59 * M, missing, [{ from: H + 30 * M, to: H + 130 * M }]), false);
});

test('isBarComplete - missing runs that do not account for the short count are not trusted', () => {
  // 58 stored, but only one missing minute given: the other is unexplained.
  assert.equal(isBarComplete(bar(58), later, [{ from: H + 30 * M, to: H + 30 * M }], [{ from: H, to: H + 59 * M }]), false);
  // Runs reaching outside the bar count only for their minutes inside it.
  assert.equal(isBarComplete(bar(58), later, [{ from: H - 5 * M, to: H + M }], [{ from: H - 5 * M, to: H + M }]), true);
});

test('isBarComplete - a 4h bar built from a 1h series: missing hours and outages on the hour grid', () => {
  const HOUR = 60 * M;
  const four = (storedHours: number): { openTime: number; intervalMs: number; storedMinutes: number; sourceMs: number } =>
    ({ openTime: H, intervalMs: 4 * HOUR, storedMinutes: storedHours * 60, sourceMs: HOUR });
  const after = H + 5 * HOUR;
  const missing = [{ from: H + HOUR, to: H + HOUR }];
  // The one missing hour (13:00 of a 12:00 bar) recorded as an outage of the 1h series.
  assert.equal(isBarComplete(four(3), after, missing, [{ from: H + HOUR, to: H + HOUR }]), true);
  assert.equal(isBarComplete(four(3), after, missing, []), false);
  // An outage ending at the hour before leaves it open.
  assert.equal(isBarComplete(four(3), after, missing, [{ from: H, to: H }]), false);
  // Two missing hours, only one explained by the run given: not trusted.
  assert.equal(isBarComplete(four(2), after, missing, [{ from: H + HOUR, to: H + HOUR }]), false);
  // Read on the minute grid (no sourceMs), the same hour would count as one minute.
  assert.equal(isBarComplete({ ...four(3), sourceMs: undefined }, after, missing, [{ from: H + HOUR, to: H + HOUR }]), false);
});
