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

test('parseTime - refuses a day the month does not have and hours past 23, where Date.parse rolls them over', () => {
  for (const bad of ['2020-02-30', '2021-02-29', '2020-04-31', '2020-01-01T24:00Z', '2020-01-01T23:60:00Z', '2020-01-01T00:00:60Z', '2020-13-01']) {
    assert.throws(() => parseTime(bad, '--from'), new RegExp(`--from: "${bad}" is not a valid date`), bad);
  }
  assert.equal(parseTime('2020-02-29'), Date.UTC(2020, 1, 29));
  assert.equal(parseTime('2020-04-30T23:59:59.999Z'), Date.UTC(2020, 3, 30, 23, 59, 59, 999));
  assert.equal(parseTime('2020-03-01T00:30+01:00'), Date.UTC(2020, 1, 29, 23, 30));
});

test('candle invariants - flag close above high and off-grid open time', () => {
  const ok = candleInvariantError(1577836800000, 10, 11, 9, 10.5, 1, 1577836859999, 10, 3, 0.5, 5, '1m');
  assert.equal(ok, null);
  assert.match(candleInvariantError(1577836800000, 10, 11, 9, 12, 1, 1577836859999, 10, 3, 0.5, 5, '1m') ?? '', /close 12 is outside/);
  assert.match(candleInvariantError(1577836800001, 10, 11, 9, 10, 1, 1577836860000, 10, 3, 0.5, 5, '1m') ?? '', /grid/);
  assert.match(candleInvariantError(1577836800000, 10, 11, 9, 10, -1, 1577836859999, 10, 3, 0.5, 5, '1m') ?? '', /negative/);
});
