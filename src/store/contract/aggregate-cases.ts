/** Contract cases for what the database computes: bucket aggregation and missing ranges. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CandleColumns } from '../../core/candle.js';
import { intervalMs, type Interval } from '../../core/intervals.js';
import type { SeriesKey } from '../../core/instrument.js';
import type { Store } from '../store.js';
import { btcusdtDay } from '../test-support/fixture-candles.js';
import { concatRows, filterRows, uniqueExchange, withStore } from './contract-helpers.js';

const DAY1 = Date.UTC(2020, 0, 1);
const MIN = 60_000;

/** Reference buckets computed row by row in JS from the 1m candles. */
function referenceBuckets(c: CandleColumns, interval: Interval): Map<number, number[]> {
  const len = intervalMs(interval);
  const out = new Map<number, number[]>();
  for (let i = 0; i < c.length; i++) {
    const b = Math.floor((c.openTime[i] as number) / len) * len;
    const row = [c.open[i], c.high[i], c.low[i], c.close[i], c.volume[i], c.quoteVolume[i], c.trades[i], c.takerBuyBase[i], c.takerBuyQuote[i]] as number[];
    const acc = out.get(b);
    if (!acc) {
      out.set(b, row);
      continue;
    }
    acc[1] = Math.max(acc[1] as number, row[1] as number);
    acc[2] = Math.min(acc[2] as number, row[2] as number);
    acc[3] = row[3] as number;
    for (const k of [4, 5, 6, 7, 8]) acc[k] = (acc[k] as number) + (row[k] as number);
  }
  return out;
}

function assertClose(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)), `${what}: ${actual} != ${expected}`);
}

export function registerAggregateCases(name: string, makeStore: () => Promise<Store>): void {
  for (const interval of ['5m', '1h', '1d'] as const) {
    test(`${name} store - aggregates 1m to ${interval}: first open, last close, max high, min low, sums`, () =>
      withStore(makeStore, async (store) => {
        const s: SeriesKey = { exchange: uniqueExchange(), symbol: 'BTCUSDT', interval: '1m' };
        // Two real days with a hole, so one 5m/1h bucket is partial and buckets never touched are absent.
        const rows = filterRows(concatRows(btcusdtDay(1), btcusdtDay(2)), (i) => i < 61 || i >= 125);
        await store.writeCandles(s, rows, 'archive');
        const got = await store.aggregateCandles(s.exchange, s.symbol, interval, DAY1, DAY1 + 2 * 86_400_000);
        const want = referenceBuckets(rows, interval);
        assert.equal(got.length, want.size);
        const len = intervalMs(interval);
        let i = 0;
        for (const [bucket, w] of want) {
          assert.equal(got.openTime[i], bucket);
          assert.equal(got.closeTime[i], bucket + len - 1);
          assert.equal(got.open[i], w[0], 'open');
          assert.equal(got.high[i], w[1], 'high');
          assert.equal(got.low[i], w[2], 'low');
          assert.equal(got.close[i], w[3], 'close');
          assertClose(got.volume[i] as number, w[4] as number, 'volume');
          assertClose(got.quoteVolume[i] as number, w[5] as number, 'quote volume');
          assert.equal(got.trades[i], w[6], 'trades');
          assertClose(got.takerBuyBase[i] as number, w[7] as number, 'taker buy base');
          assertClose(got.takerBuyQuote[i] as number, w[8] as number, 'taker buy quote');
          i++;
        }
      }));
  }

  test(`${name} store - aggregation returns only buckets starting inside [from, to)`, () =>
    withStore(makeStore, async (store) => {
      const s: SeriesKey = { exchange: uniqueExchange(), symbol: 'BTCUSDT', interval: '1m' };
      await store.writeCandles(s, btcusdtDay(1), 'archive');
      const got = await store.aggregateCandles(s.exchange, s.symbol, '1h', DAY1 + 30 * MIN, DAY1 + 3 * 3_600_000 + MIN);
      assert.deepEqual(Array.from(got.openTime), [DAY1 + 3_600_000, DAY1 + 2 * 3_600_000, DAY1 + 3 * 3_600_000]);
      const none = await store.aggregateCandles(s.exchange, 'ETHUSDT', '1h', DAY1, DAY1 + 86_400_000);
      assert.equal(none.length, 0);
    }));

  test(`${name} store - missingRanges finds holes, including at both window edges`, () =>
    withStore(makeStore, async (store) => {
      const s: SeriesKey = { exchange: uniqueExchange(), symbol: 'BTCUSDT', interval: '1m' };
      const holes = new Set([0, 100, 101, 102, 103, 104, 777, 1439]);
      await store.writeCandles(s, filterRows(btcusdtDay(1), (i) => !holes.has(i)), 'archive');
      const end = DAY1 + 86_400_000;
      assert.deepEqual(await store.missingRanges(s, DAY1, end), [
        { from: DAY1, to: DAY1, count: 1 },
        { from: DAY1 + 100 * MIN, to: DAY1 + 104 * MIN, count: 5 },
        { from: DAY1 + 777 * MIN, to: DAY1 + 777 * MIN, count: 1 },
        { from: DAY1 + 1439 * MIN, to: DAY1 + 1439 * MIN, count: 1 },
      ]);
      // A window off the grid starts at the next grid point; `to` is exclusive.
      assert.deepEqual(await store.missingRanges(s, DAY1 + 30_000, DAY1 + 103 * MIN), [
        { from: DAY1 + 100 * MIN, to: DAY1 + 102 * MIN, count: 3 },
      ]);
      assert.deepEqual(await store.missingRanges(s, DAY1 + 200 * MIN, DAY1 + 300 * MIN), []);
      // Beyond the stored data everything is missing; an empty window has nothing.
      assert.deepEqual(await store.missingRanges(s, end, end + 10 * MIN), [{ from: end, to: end + 9 * MIN, count: 10 }]);
      assert.deepEqual(await store.missingRanges(s, DAY1, DAY1), []);
    }));
}
