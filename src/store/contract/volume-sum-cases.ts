/**
 * Contract cases for the volume sums of an aggregation: every bucket's volume is the double
 * nearest the exact decimal sum of its rows, as a client gets by parsing Binance's own
 * higher-interval kline. Buckets are built on both sides of the DuckDB fast path's limits (rows
 * below and above 1e7, totals below and above 2^53 units of 1e-8), and the reference is summed
 * here in BigInt units from the decimal strings, sharing nothing with the store's SQL.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { allocateColumns, type CandleColumns } from '../../core/candle.js';
import type { SeriesKey } from '../../core/instrument.js';
import type { Store } from '../store.js';
import { uniqueExchange, withStore } from './contract-helpers.js';

const T0 = Date.UTC(2021, 5, 1);
const MIN = 60_000;
const HOUR = 3_600_000;

/** A deterministic 8-decimal string with `intDigits` integer digits (no leading zero), from a small LCG. */
function decimals(seed: number): (intDigits: number, fracDigits?: number) => string {
  let x = seed;
  const digit = (): number => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return Math.floor((x / 2_147_483_648) * 10);
  };
  return (intDigits, fracDigits = 8) => {
    let int = intDigits === 0 ? '0' : String(1 + (digit() % 9));
    for (let i = 1; i < intDigits; i++) int += String(digit());
    let frac = '';
    for (let i = 0; i < fracDigits; i++) frac += String(digit());
    return `${int}.${frac}`;
  };
}

/** The decimal string as whole units of 1e-8. */
function units(s: string): bigint {
  const [int, frac = ''] = s.split('.');
  return BigInt(int as string) * 100_000_000n + BigInt(frac.padEnd(8, '0'));
}

/** The double nearest `u` units of 1e-8 (parsing the decimal text is correctly rounded). */
function toDouble(u: bigint): number {
  const frac = (u % 100_000_000n).toString().padStart(8, '0');
  return Number(`${u / 100_000_000n}.${frac}`);
}

export function registerVolumeSumCases(name: string, makeStore: () => Promise<Store>): void {
  test(`${name} store - aggregated volumes are the exact decimal sums, small and large (below and above 1e7 a row, 2^53 units a bucket)`, () =>
    withStore(makeStore, async (store) => {
      const s: SeriesKey = { exchange: uniqueExchange(), symbol: 'BIGUSDT', interval: '1m' };
      const next = decimals(7);
      // Hour 0: rows < 1000. Hour 1: rows of 1e6–1e7, 60 of them ≈ 3e8 (above 2^53 units). Hour 2:
      // rows < 10 with one of 8 integer digits (≥ 1e7, written with 15 significant digits so its
      // double reads back as the same decimal). Hour 3: rows of 1e8–1e9 with 6 decimals.
      const text = (h: number, m: number): string =>
        h === 0 ? next(3) : h === 1 ? next(7) : h === 2 ? (m === 17 ? next(8, 7) : next(1)) : next(9, 6);
      const c: CandleColumns = allocateColumns(240);
      const want = new Map<string, bigint[]>();
      for (let h = 0; h < 4; h++) {
        const sums = [0n, 0n, 0n, 0n];
        for (let m = 0; m < 60; m++) {
          const i = c.length++;
          const cells = [text(h, m), text(h, m), text(h, m), text(h, m)];
          c.openTime[i] = T0 + h * HOUR + m * MIN;
          c.closeTime[i] = (c.openTime[i] as number) + MIN - 1;
          c.open[i] = c.high[i] = c.low[i] = c.close[i] = 1;
          c.trades[i] = 1;
          [c.volume[i], c.quoteVolume[i], c.takerBuyBase[i], c.takerBuyQuote[i]] = cells.map(Number) as [number, number, number, number];
          cells.forEach((cell, k) => (sums[k] = (sums[k] as bigint) + units(cell)));
        }
        want.set(String(T0 + h * HOUR), sums);
      }
      await store.writeCandles(s, c, 'archive');
      const got = await store.aggregateCandles(s.exchange, s.symbol, '1h', T0, T0 + 4 * HOUR);
      const streamed: number[][] = [];
      for await (const chunk of store.streamCandles(s.exchange, s.symbol, '1h', T0, T0 + 4 * HOUR, { chunkRows: 1 })) {
        const k = chunk.candles;
        streamed.push([k.volume[0], k.quoteVolume[0], k.takerBuyBase[0], k.takerBuyQuote[0]] as number[]);
      }
      assert.equal(got.length, 4);
      for (let h = 0; h < 4; h++) {
        const w = (want.get(String(got.openTime[h])) as bigint[]).map(toDouble);
        const g = [got.volume[h], got.quoteVolume[h], got.takerBuyBase[h], got.takerBuyQuote[h]];
        assert.deepEqual(g, w, `hour ${h}: aggregateCandles`);
        assert.deepEqual(streamed[h], w, `hour ${h}: streamCandles`);
      }
      // A float sum of the same doubles misses at least one of them: the case can tell the two apart.
      const floatSum = (f: 'volume' | 'quoteVolume', h: number): number => c[f].subarray(h * 60, h * 60 + 60).reduce((a, v) => a + v, 0);
      assert.ok([0, 1, 2, 3].some((h) => floatSum('volume', h) !== got.volume[h] || floatSum('quoteVolume', h) !== got.quoteVolume[h]));
    }));
}
