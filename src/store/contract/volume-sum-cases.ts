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
import { INLINE_CORRECTIONS_MAX } from '../sql/aggregate-sql.js';
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

/** Appends a 1m row opening at `openTime` whose four volume columns are `cells`, and adds their units to `sums`. */
function appendMinute(c: CandleColumns, openTime: number, cells: string[], sums: bigint[]): void {
  const i = c.length++;
  c.openTime[i] = openTime;
  c.closeTime[i] = openTime + MIN - 1;
  c.open[i] = c.high[i] = c.low[i] = c.close[i] = 1;
  c.trades[i] = 1;
  [c.volume[i], c.quoteVolume[i], c.takerBuyBase[i], c.takerBuyQuote[i]] = cells.map(Number) as [number, number, number, number];
  cells.forEach((cell, k) => (sums[k] = (sums[k] as bigint) + units(cell)));
}

/** What the rows of one test hour look like. */
type HourKind = 'small' | 'millions' | 'below2to24' | 'oneAbove1e7' | 'hundredMillions' | 'hundredBillions';

/**
 * Writes one hour of rows of each kind (volumes from `text`) to a fresh series and checks every
 * hour's four aggregated volumes, by aggregateCandles and by streamCandles, against BigInt sums.
 */
async function checkHours(store: Store, kinds: HourKind[], seed: number): Promise<void> {
  const s: SeriesKey = { exchange: uniqueExchange(), symbol: 'BIGUSDT', interval: '1m' };
  const next = decimals(seed);
  const text = (kind: HourKind, m: number): string => {
    switch (kind) {
      case 'small': return next(3);
      case 'millions': return next(7);
      // 16,777,210.x … 16,777,215.x: 16 significant digits, just under 2^24.
      case 'below2to24': return `167772${10 + (m % 6)}.${next(0).slice(2)}`;
      // One row of 8 integer digits (≥ 1e7, written with 15 significant digits so its double reads back as the same decimal).
      case 'oneAbove1e7': return m === 17 ? next(8, 7) : next(1);
      case 'hundredMillions': return next(9, 6);
      case 'hundredBillions': return next(12, 3);
    }
  };
  const c: CandleColumns = allocateColumns(kinds.length * 60);
  const want = new Map<string, bigint[]>();
  kinds.forEach((kind, h) => {
    const sums = [0n, 0n, 0n, 0n];
    for (let m = 0; m < 60; m++) appendMinute(c, T0 + h * HOUR + m * MIN, [text(kind, m), text(kind, m), text(kind, m), text(kind, m)], sums);
    want.set(String(T0 + h * HOUR), sums);
  });
  await store.writeCandles(s, c, 'archive');
  const end = T0 + kinds.length * HOUR;
  const got = await store.aggregateCandles(s.exchange, s.symbol, '1h', T0, end);
  const streamed: number[][] = [];
  for await (const chunk of store.streamCandles(s.exchange, s.symbol, '1h', T0, end, { chunkRows: 1 })) {
    const k = chunk.candles;
    streamed.push([k.volume[0], k.quoteVolume[0], k.takerBuyBase[0], k.takerBuyQuote[0]] as number[]);
  }
  assert.equal(got.length, kinds.length);
  kinds.forEach((kind, h) => {
    const w = (want.get(String(got.openTime[h])) as bigint[]).map(toDouble);
    const g = [got.volume[h], got.quoteVolume[h], got.takerBuyBase[h], got.takerBuyQuote[h]];
    assert.deepEqual(g, w, `hour ${h} (${kind}): aggregateCandles`);
    assert.deepEqual(streamed[h], w, `hour ${h} (${kind}): streamCandles`);
  });
  // A float sum of the same doubles misses at least one of them: the case can tell the two apart.
  const floatSum = (f: 'volume' | 'quoteVolume', h: number): number => c[f].subarray(h * 60, h * 60 + 60).reduce((a, v) => a + v, 0);
  assert.ok(kinds.some((_, h) => floatSum('volume', h) !== got.volume[h] || floatSum('quoteVolume', h) !== got.quoteVolume[h]));
}

/**
 * Writes hours one file each, the way a backfill does, and checks every hour's exact sums: a small
 * hour, a small one (the series' bound covers it: the write asks nothing, volume-notes.ts), a
 * large one by `other` (the bound passes 2^24), a small one into a new range, then a small hour
 * replacing the large one, whose correction must go with it. `other` is the same store or a
 * second handle on the same database, which raises the bound behind `store`'s back.
 */
export async function checkFileByFile(store: Store, other: Store): Promise<void> {
  const s: SeriesKey = { exchange: uniqueExchange(), symbol: 'BIGUSDT', interval: '1m' };
  const next = decimals(23);
  const hour = (h: number, large: boolean): { c: CandleColumns; sums: bigint[] } => {
    const c = allocateColumns(60);
    const sums = [0n, 0n, 0n, 0n];
    for (let m = 0; m < 60; m++) appendMinute(c, T0 + h * HOUR + m * MIN, [0, 1, 2, 3].map(() => (large && m === 30 ? '44511353.04780766' : next(2))), sums);
    return { c, sums };
  };
  const want: bigint[][] = [];
  const write = async (writer: Store, h: number, large: boolean, source: 'rest' | 'archive'): Promise<void> => {
    const { c, sums } = hour(h, large);
    await writer.writeCandles(s, c, source);
    want[h] = sums;
  };
  await write(store, 0, false, 'archive');
  await write(store, 1, false, 'archive');
  await write(other, 2, true, 'rest');
  await write(store, 3, false, 'archive');
  const check = async (what: string): Promise<void> => {
    const got = await store.aggregateCandles(s.exchange, s.symbol, '1h', T0, T0 + 4 * HOUR);
    assert.equal(got.length, 4, what);
    want.forEach((sums, h) => assert.deepEqual([got.volume[h], got.quoteVolume[h], got.takerBuyBase[h], got.takerBuyQuote[h]], sums.map(toDouble), `${what}: hour ${h}`));
  };
  await check('the large hour written by the other handle');
  await write(store, 2, false, 'archive');
  await check('the large hour replaced by a small one');
}

export function registerVolumeSumCases(name: string, makeStore: () => Promise<Store>): void {
  test(`${name} store - volumes written file by file, the series reaching 2^24 on the way, sum exactly; a replaced large row takes its correction with it`, () =>
    withStore(makeStore, (store) => checkFileByFile(store, store)));
  // Every row below 2^24: the series takes the integer-units sum (aggregate-sql.ts); the millions
  // hour sums above 2^53 units, so its doubles come from the decimal text.
  test(`${name} store - aggregated volumes are the exact decimal sums when every row is below 2^24 (units path; totals below and above 2^53 units)`, () =>
    withStore(makeStore, (store) => checkHours(store, ['small', 'millions', 'below2to24'], 7)));
  // Rows of ≥ 2^24 in the series: the units sum, and each large row corrected from its text.
  test(`${name} store - aggregated volumes are the exact decimal sums when rows reach 2^24 (units corrected from the text of large rows)`, () =>
    withStore(makeStore, (store) => checkHours(store, ['small', 'millions', 'oneAbove1e7', 'hundredMillions'], 11)));
  // More hours with large rows than a query takes as constants: the corrections are joined.
  test(`${name} store - aggregated volumes are the exact decimal sums when more hours hold large rows than the query takes as constants (joined corrections)`, () =>
    withStore(makeStore, (store) => checkHours(store, ['small', ...Array<HourKind>(INLINE_CORRECTIONS_MAX + 1).fill('hundredMillions')], 19)));
  // A row of ≥ 9e10, whose units overflow a BIGINT: every bucket takes the per-row decimal path.
  test(`${name} store - aggregated volumes are the exact decimal sums when a row's units overflow 64 bits (per-row decimal path)`, () =>
    withStore(makeStore, (store) => checkHours(store, ['small', 'millions', 'hundredMillions', 'hundredBillions'], 13)));
  // A row's correction follows the row: replaced by a large row of a higher source, then by a small
  // one. Both large values are ones whose units the multiply misses by one, and the hour's sum is
  // small enough (below 2^53 units) for one unit to change the double. Only the volume and taker
  // buy quote columns hold them, so a correction added to the wrong column shows.
  test(`${name} store - a replaced row's volume correction is replaced with it, and a small replacement leaves none`, () =>
    withStore(makeStore, async (store) => {
      const s: SeriesKey = { exchange: uniqueExchange(), symbol: 'BIGUSDT', interval: '1m' };
      const next = decimals(17);
      const base = Array.from({ length: 60 }, () => next(2));
      const hourOf = (texts: string[]): CandleColumns => {
        const c = allocateColumns(60);
        texts.forEach((t, m) => {
          c.openTime[m] = T0 + m * MIN;
          c.closeTime[m] = T0 + m * MIN + MIN - 1;
          c.open[m] = c.high[m] = c.low[m] = c.close[m] = 1;
          c.trades[m] = 1;
          c.volume[m] = c.takerBuyQuote[m] = Number(t);
          c.quoteVolume[m] = c.takerBuyBase[m] = Number(base[m]);
        });
        c.length = 60;
        return c;
      };
      const check = async (texts: string[], what: string): Promise<void> => {
        const want = toDouble(texts.reduce((a, t) => a + units(t), 0n));
        const unchanged = toDouble(base.reduce((a, t) => a + units(t), 0n));
        const got = await store.aggregateCandles(s.exchange, s.symbol, '1h', T0, T0 + HOUR);
        assert.deepEqual([got.volume[0], got.quoteVolume[0], got.takerBuyBase[0], got.takerBuyQuote[0]], [want, unchanged, unchanged, want], what);
      };
      const rest = base.map((t, m) => (m === 30 ? '44511353.04780766' : t));
      await store.writeCandles(s, hourOf(rest), 'rest');
      await check(rest, 'a REST hour with one row above 2^24');
      const archive = base.map((t, m) => (m === 30 ? '36221004.92756765' : t));
      assert.equal(await store.writeCandles(s, hourOf(archive), 'archive'), 60);
      await check(archive, 'the archive replaced it with another large row');
      const small = base.map((t, m) => (m === 30 ? '1.5' : t));
      assert.equal(await store.writeCandles(s, hourOf(small), 'archive'), 1);
      await check(small, 'then with a small one');
    }));
}
