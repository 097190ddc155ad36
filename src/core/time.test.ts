import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTime, utcDate } from './time.js';
import { candleInvariantError } from './candle.js';

test('parseTime - reads ISO dates and date-times as UTC', () => {
  assert.equal(parseTime('2020-01-01'), 1577836800000);
  assert.equal(parseTime('2020-01-04T00:00:00Z'), 1578096000000);
  assert.equal(parseTime('2020-01-04T01:00:00+01:00'), 1578096000000);
  assert.equal(utcDate(1578095999999), '2020-01-03');
});

test('parseTime - rejects text that is not a time, naming it', () => {
  assert.throws(() => parseTime('yesterday', '--from'), /--from: "yesterday"/);
});

test('candle invariants - flag close above high and off-grid open time', () => {
  const ok = candleInvariantError(1577836800000, 10, 11, 9, 10.5, 1, 1577836859999, 10, 3, 0.5, 5, '1m');
  assert.equal(ok, null);
  assert.match(candleInvariantError(1577836800000, 10, 11, 9, 12, 1, 1577836859999, 10, 3, 0.5, 5, '1m') ?? '', /close 12 is outside/);
  assert.match(candleInvariantError(1577836800001, 10, 11, 9, 10, 1, 1577836860000, 10, 3, 0.5, 5, '1m') ?? '', /grid/);
  assert.match(candleInvariantError(1577836800000, 10, 11, 9, 10, -1, 1577836859999, 10, 3, 0.5, 5, '1m') ?? '', /negative/);
});
