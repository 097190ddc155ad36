/**
 * Closed bars of one series read from the store for evaluation, with the bar-close rule of
 * core/bar-complete.ts: a complete bar is evaluated at its close; an incomplete one waits until
 * `graceMs` after its close and is then evaluated, marked incomplete. The read stops at the first
 * bar still waiting, so a series is always evaluated in order.
 */
import type { CandleColumns } from '../core/candle.js';
import { floorToInterval, intervalMs, type Interval } from '../core/intervals.js';
import { ChunkCompleteness } from '../store/chunk-completeness.js';
import type { Store } from '../store/store.js';
import type { EvalBar } from './rule-evaluator.js';
import type { SeriesBar } from './rule-runner.js';

export interface SeriesRead {
  bars: SeriesBar[];
  /** Open time of the first bar left waiting for its grace period, or null. */
  waitingFrom: number | null;
}

/** The bars of a {@link SeriesRead} as the store's chunks, without an object per bar (the preview's year of 1m). */
export interface SeriesColumnsRead {
  /** Each chunk's columns and how many of its first bars are read. */
  chunks: Array<{ candles: CandleColumns; count: number; complete: Uint8Array }>;
  waitingFrom: number | null;
}

/** Bars with from ≤ openTime < to that have closed by `now`, evaluated or waiting as above. */
export async function readClosedBars(store: Store, exchange: string, symbol: string, interval: Interval, from: number, to: number, now: number, graceMs: number): Promise<SeriesRead> {
  const read = await readClosedColumns(store, exchange, symbol, interval, from, to, now, graceMs);
  const len = intervalMs(interval);
  const bars: SeriesBar[] = [];
  for (const chunk of read.chunks) {
    for (let i = 0; i < chunk.count; i++) bars.push(seriesBarAt(symbol, interval, len, graceMs, chunk.candles, chunk.complete, i));
  }
  return { bars, waitingFrom: read.waitingFrom };
}

/** {@link readClosedBars} as columns: the same bars, the same stop at the first bar waiting. */
export async function readClosedColumns(store: Store, exchange: string, symbol: string, interval: Interval, from: number, to: number, now: number, graceMs: number): Promise<SeriesColumnsRead> {
  const len = intervalMs(interval);
  const end = Math.min(to, floorToInterval(now, interval));
  const chunks: SeriesColumnsRead['chunks'] = [];
  if (end <= from) return { chunks, waitingFrom: null };
  const completeness = await ChunkCompleteness.load(store, exchange, symbol, interval, now);
  for await (const chunk of store.streamCandles(exchange, symbol, interval, from, end)) {
    const flags = await completeness.flags(chunk);
    const c = chunk.candles;
    for (let i = 0; i < c.length; i++) {
      const openTime = c.openTime[i] as number;
      const close = openTime + len;
      if (close > now) {
        chunks.push({ candles: c, count: i, complete: flags });
        return { chunks, waitingFrom: null };
      }
      if (flags[i] !== 1 && close + graceMs > now) {
        chunks.push({ candles: c, count: i, complete: flags });
        return { chunks, waitingFrom: openTime };
      }
    }
    chunks.push({ candles: c, count: c.length, complete: flags });
  }
  return { chunks, waitingFrom: null };
}

/** Bar `i` of a read chunk as the runner takes it: evaluated at its close, or after the grace period if incomplete. */
export function seriesBarAt(symbol: string, interval: Interval, len: number, graceMs: number, c: CandleColumns, complete: Uint8Array, i: number): SeriesBar {
  const close = (c.openTime[i] as number) + len;
  const ok = complete[i] === 1;
  return { symbol, interval, bar: barAt(c, i), incomplete: !ok, evaluatedAt: ok ? close : close + graceMs };
}

/** Every stored bar with from ≤ openTime < to (the seed window: completeness does not matter there). */
export async function readSeedBars(store: Store, exchange: string, symbol: string, interval: Interval, from: number, to: number): Promise<EvalBar[]> {
  const bars: EvalBar[] = [];
  if (to <= from) return bars;
  for await (const chunk of store.streamCandles(exchange, symbol, interval, from, to)) {
    for (let i = 0; i < chunk.candles.length; i++) bars.push(barAt(chunk.candles, i));
  }
  return bars;
}

function barAt(c: { openTime: Float64Array; open: Float64Array; high: Float64Array; low: Float64Array; close: Float64Array; volume: Float64Array }, i: number): EvalBar {
  return { openTime: c.openTime[i] as number, open: c.open[i] as number, high: c.high[i] as number, low: c.low[i] as number, close: c.close[i] as number, volume: c.volume[i] as number };
}
