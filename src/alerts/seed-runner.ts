/** Seeds every series of a runner from the store before its first evaluated bar (engine and preview alike). */
import { floorToInterval, intervalMs } from '../core/intervals.js';
import type { Store } from '../store/store.js';
import type { RuleRunner } from './rule-runner.js';
import { readSeedBars } from './series-bars.js';

/**
 * Seeds each series with its bars closed by `start` (each stream its own window, indicator-pool.ts)
 * and the bars forming at `start` with their minutes stored before it, and returns, per series `symbol|interval`, the open time of its first bar after the seed.
 */
export async function seedRunner(runner: RuleRunner, store: Store, exchange: string, start: number): Promise<Map<string, number>> {
  const next = new Map<string, number>();
  for (const series of runner.pool.all()) {
    const len = intervalMs(series.interval);
    const seedEnd = floorToInterval(start, series.interval);
    const span = series.seedSpan();
    if (span > 0) series.seed(await readSeedBars(store, exchange, series.symbol, series.interval, seedEnd - span * len, seedEnd), seedEnd);
    next.set(`${series.symbol}|${series.interval}`, seedEnd);
  }
  // The minutes of the bars forming at the start: they are part of those bars when they are
  // evaluated intrabar, though closed before it (and so never evaluated themselves).
  const minuteEnd = floorToInterval(start, '1m');
  for (const [symbol, intervals] of runner.intrabarSymbols()) {
    let from = minuteEnd;
    for (const interval of intervals) from = Math.min(from, floorToInterval(start, interval));
    runner.seedForming(symbol, await readSeedBars(store, exchange, symbol, '1m', from, minuteEnd));
  }
  return next;
}
