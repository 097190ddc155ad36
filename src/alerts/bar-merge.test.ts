/**
 * Bars of several series merged by close for the runner (bar-merge.ts): the order the runner's own
 * sort gives, batches never splitting a close, the `before` limit and the incomplete flag kept.
 * Columns are built here: only open times and flags matter to the merge, prices are the bar index.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allocateColumns } from '../core/candle.js';
import { intervalMs, type Interval } from '../core/intervals.js';
import { mergeByClose, type MergeSeries } from './bar-merge.js';
import type { SeriesBar } from './rule-runner.js';

const T0 = Date.UTC(2020, 0, 1);
const GRACE = 600_000;

/** `n` bars of `interval` from T0 in chunks of `chunk`; bar k is incomplete when k % 7 === 3. */
function series(symbol: string, interval: Interval, n: number, chunk: number, before = Infinity): MergeSeries {
  const len = intervalMs(interval);
  const chunks: MergeSeries['read']['chunks'] = [];
  for (let from = 0; from < n; from += chunk) {
    const m = Math.min(chunk, n - from);
    const c = allocateColumns(m + 2);
    const complete = new Uint8Array(m + 2);
    for (let i = 0; i < m + 2; i++) {
      c.openTime[i] = T0 + (from + i) * len;
      c.close[i] = from + i;
      complete[i] = (from + i) % 7 === 3 ? 0 : 1;
    }
    c.length = m + 2;
    // Two rows past `count` in each chunk: a read that stopped there; they must not be handed out.
    chunks.push({ candles: c, count: m, complete });
  }
  return { symbol, interval, read: { chunks, waitingFrom: null }, before };
}

const closeOf = (sb: SeriesBar): number => sb.bar.openTime + intervalMs(sb.interval);

test('bar merge - every bar once, in the stable close order; no batch splits a close; before, count and incomplete kept', () => {
  const input = [series('A', '1m', 9_000, 5_000), series('B', '5m', 1_800, 700), series('A', '1h', 150, 64, T0 + 100 * 3_600_000)];
  const batches: SeriesBar[][] = [];
  mergeByClose(input, GRACE, (bars) => batches.push(bars));
  const all = batches.flat();
  assert.equal(all.length, 9_000 + 1_800 + 100, 'the 1h series stops before its limit; rows past count are not read');
  const expected = [...input.flatMap((s) => {
    const len = intervalMs(s.interval);
    return s.read.chunks.flatMap((c) => Array.from({ length: c.count }, (_, i) => c.candles.openTime[i] as number)).filter((t) => t < s.before).map((t) => `${s.symbol}|${s.interval}|${t + len}`);
  })].sort((x, y) => Number(x.split('|')[2]) - Number(y.split('|')[2]));
  assert.deepEqual(all.map((sb) => `${sb.symbol}|${sb.interval}|${closeOf(sb)}`), expected);
  assert.ok(batches.length > 2, `several batches (${batches.length})`);
  for (let k = 1; k < batches.length; k++) {
    const prev = batches[k - 1] as SeriesBar[];
    assert.notEqual(closeOf(prev[prev.length - 1] as SeriesBar), closeOf((batches[k] as SeriesBar[])[0] as SeriesBar), `batch ${k} starts at a new close`);
  }
  for (const sb of all) {
    const k = sb.bar.close;
    const close = closeOf(sb);
    assert.equal(sb.incomplete, k % 7 === 3);
    assert.equal(sb.evaluatedAt, sb.incomplete ? close + GRACE : close);
    assert.equal(sb.bar.openTime, T0 + k * intervalMs(sb.interval));
  }
});
