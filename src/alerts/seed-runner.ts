/** Seeds every series of a runner from the store before its first evaluated bar (engine and preview alike). */
import { floorToInterval, intervalMs } from '../core/intervals.js';
import type { Store } from '../store/store.js';
import type { RuleRunner } from './rule-runner.js';
import { readSeedBars } from './series-bars.js';

/**
 * Seeds each series with its bars closed by `start` (each stream its own window, indicator-pool.ts)
 * and returns, per series `symbol|interval`, the open time of its first bar after the seed.
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
  return next;
}
