/**
 * Contract cases for streamed reads (bounded chunks, the same bars as aggregateCandles, stored
 * minutes per bar, abort) and for reads of an instrument stored at a higher interval only.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sliceColumns, type CandleColumns } from '../../core/candle.js';
import { intervalMs, type Interval } from '../../core/intervals.js';
import type { SeriesKey } from '../../core/instrument.js';
import type { CandleChunk, Store } from '../store.js';
import { btcusdtDay, restKlines } from '../test-support/fixture-candles.js';
import { concatRows, filterRows, plain, uniqueExchange, withStore } from './contract-helpers.js';

const DAY1 = Date.UTC(2020, 0, 1);
const MIN = 60_000;

async function collect(chunks: AsyncIterable<CandleChunk>): Promise<CandleChunk[]> {
  const out: CandleChunk[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

function joined(chunks: readonly CandleChunk[]): { candles: CandleColumns; minutes: number[] } {
  return { candles: concatRows(...chunks.map((c) => c.candles)), minutes: chunks.flatMap((c) => Array.from(c.minutes.subarray(0, c.candles.length))) };
}

/** Two real days with holes: minute 0, minutes 100–104, 777, and all of 1440+30 .. 1440+89. */
const HOLES = (i: number): boolean => i === 0 || (i >= 100 && i <= 104) || i === 777 || (i >= 1470 && i < 1530);

export function registerStreamCases(name: string, makeStore: () => Promise<Store>): void {
  for (const [interval, chunkRows] of [['1m', 500], ['5m', 7], ['1h', 5], ['1d', 1]] as const) {
    test(`${name} store - streamCandles ${interval} in chunks of ≤ ${chunkRows} bars equals aggregateCandles, with stored minutes per bar`, () =>
      withStore(makeStore, async (store) => {
        const s: SeriesKey = { exchange: uniqueExchange(), symbol: 'BTCUSDT', interval: '1m' };
        const rows = filterRows(concatRows(btcusdtDay(1), btcusdtDay(2)), (i) => !HOLES(i));
        await store.writeCandles(s, rows, 'archive');
        // The window starts and ends off the grid, inside day 2.
        const from = DAY1 - 30_000;
        const to = DAY1 + 1440 * MIN + 1000 * MIN;
        const chunks = await collect(store.streamCandles(s.exchange, s.symbol, interval, from, to, { chunkRows }));
        assert.ok(chunks.length > 1, `${chunks.length} chunks`);
        for (const c of chunks) assert.ok(c.candles.length >= 1 && c.candles.length <= chunkRows, `chunk of ${c.candles.length}`);
        const got = joined(chunks);
        assert.deepEqual(plain(got.candles), plain(await store.aggregateCandles(s.exchange, s.symbol, interval, from, to)));
        // Minutes per bar counted here from the rows written, by their open time.
        const len = intervalMs(interval);
        const want = new Map<number, number>();
        for (let i = 0; i < rows.length; i++) {
          const b = Math.floor((rows.openTime[i] as number) / len) * len;
          want.set(b, (want.get(b) ?? 0) + 1);
        }
        assert.deepEqual(got.minutes, Array.from(got.candles.openTime.subarray(0, got.candles.length), (t) => want.get(t)));
        if (interval === '1h') assert.deepEqual(got.minutes.slice(0, 2), [59, 55]);
      }));
  }

  test(`${name} store - streamCandles stops when its signal aborts, and an unknown symbol streams nothing`, () =>
    withStore(makeStore, async (store) => {
      const s: SeriesKey = { exchange: uniqueExchange(), symbol: 'BTCUSDT', interval: '1m' };
      await store.writeCandles(s, btcusdtDay(1), 'archive');
      const abort = new AbortController();
      const seen: number[] = [];
      await assert.rejects(
        (async () => {
          for await (const c of store.streamCandles(s.exchange, s.symbol, '1m', DAY1, DAY1 + 86_400_000, { chunkRows: 100, signal: abort.signal })) {
            seen.push(c.candles.length);
            abort.abort();
          }
        })(),
        { name: 'AbortError' },
      );
      assert.deepEqual(seen, [100]);
      // The store is usable afterwards (a stream holds nothing the writers need).
      assert.equal(await store.writeCandles(s, btcusdtDay(2), 'archive'), 1440);
      assert.deepEqual(await collect(store.streamCandles(s.exchange, 'NOPE', '1h', DAY1, DAY1 + 86_400_000)), []);
      await assert.rejects(collect(store.streamCandles(s.exchange, s.symbol, '1m', DAY1, DAY1 + MIN, { chunkRows: 0 })), { code: 'BAD_INPUT' });
    }));

  test(`${name} store - a coin stored at 1h only is read at 1h as stored and at 1d equal to Binance's own 1d klines`, () =>
    withStore(makeStore, async (store) => {
      // Real ETHUSDT 1h bars of January 2023, and Binance's 1d bars of the same days.
      const hourly = restKlines('ETHUSDT', '1h', '2023-01-01.json');
      const daily = restKlines('ETHUSDT', '1d', '2022-01-01.json');
      const jan1 = Date.UTC(2023, 0, 1);
      const feb1 = Date.UTC(2023, 1, 1);
      const first = daily.openTime.indexOf(jan1);
      const binanceJan = sliceColumns(daily, first, first + 31);
      assert.equal(binanceJan.openTime[30], feb1 - 86_400_000);
      const s: SeriesKey = { exchange: uniqueExchange(), symbol: 'ETHUSDT', interval: '1h' };
      assert.equal(await store.writeCandles(s, hourly, 'rest'), 744);
      assert.deepEqual(plain(await store.aggregateCandles(s.exchange, s.symbol, '1h', jan1, feb1)), plain(hourly));
      assert.deepEqual(plain(await store.aggregateCandles(s.exchange, s.symbol, '1d', jan1, feb1)), plain(binanceJan));
      const streamed = joined(await collect(store.streamCandles(s.exchange, s.symbol, '1d', jan1, feb1, { chunkRows: 10 })));
      assert.deepEqual(plain(streamed.candles), plain(binanceJan));
      assert.deepEqual(streamed.minutes, new Array(31).fill(1440));
      // 30m does not divide into 1h bars: nothing to serve it from.
      assert.equal((await store.aggregateCandles(s.exchange, s.symbol, '30m' as Interval, jan1, feb1)).length, 0);
    }));
}
