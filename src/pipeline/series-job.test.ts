import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTime } from '../core/time.js';
import { decodeSeriesJob, decodeSeriesJobOutcome, encodeSeriesJob, encodeSeriesJobOutcome, isSeriesJobKind, seriesJobId, type SeriesJob, type SeriesJobOutcome } from './series-job.js';

const job: SeriesJob = {
  v: 1, kind: 'sync', run: 's1', cycleJobId: 7, series: { exchange: 'binance', symbol: 'BTCUSDT', interval: '1m' },
  cycle: parseTime('2020-01-03T12:05:00Z'), since: null,
};
const bytes = (o: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(o));

describe('series job codec', () => {
  test('a job and an outcome decode to what was encoded', () => {
    assert.deepEqual(decodeSeriesJob('sync', encodeSeriesJob(job)), job);
    const gaps: SeriesJob = { ...job, kind: 'gaps', since: parseTime('2019-01-01') };
    assert.deepEqual(decodeSeriesJob('gaps', encodeSeriesJob(gaps)), gaps);
    const outcome: SeriesJobOutcome = { v: 1, id: seriesJobId(job), status: 'failed', rows: 3, jobId: 12, error: 'HTTP 503' };
    assert.deepEqual(decodeSeriesJobOutcome(encodeSeriesJobOutcome(outcome)), outcome);
  });

  test('refuses another version, a kind other than the one it was queued as, an unknown field, a bad interval, a cycle job id of 0, and bytes that are not JSON', () => {
    assert.throws(() => decodeSeriesJob('sync', bytes({ ...job, v: 2 })), /v/);
    assert.throws(() => decodeSeriesJob('gaps', encodeSeriesJob(job)), /a sync job queued as gaps/);
    assert.throws(() => decodeSeriesJob('sync', bytes({ ...job, extra: 1 })), /extra/);
    assert.throws(() => decodeSeriesJob('sync', bytes({ ...job, series: { ...job.series, interval: '7m' } })), /interval/);
    assert.throws(() => decodeSeriesJob('sync', bytes({ ...job, cycleJobId: 0 })), /cycleJobId/);
    assert.throws(() => decodeSeriesJob('sync', new TextEncoder().encode('{"v":1,')), SyntaxError);
    assert.throws(() => decodeSeriesJobOutcome(bytes({ v: 1, id: 'x', status: 'loaded', rows: 0, jobId: 1 })), /status/);
  });

  test('the id names kind, series and the cycle\'s minute, so the same cycle queued twice is one job, and the next minute another', () => {
    assert.equal(seriesJobId(job), 'sync:binance:BTCUSDT:1m:2020-01-03T12:05Z');
    assert.equal(seriesJobId({ ...job, cycle: job.cycle + 59_999 }), seriesJobId(job), 'seconds into the minute do not change it');
    assert.notEqual(seriesJobId({ ...job, cycle: job.cycle + 60_000 }), seriesJobId(job));
    assert.notEqual(seriesJobId({ ...job, kind: 'gaps' }), seriesJobId(job));
    assert.notEqual(seriesJobId({ ...job, series: { ...job.series, interval: '1h' } }), seriesJobId(job));
  });

  test('kinds - sync, gaps and reconcile are series jobs; archive-file is not', () => {
    assert.deepEqual(['sync', 'gaps', 'reconcile', 'archive-file', 'backfill'].map(isSeriesJobKind), [true, true, true, false, false]);
  });
});
