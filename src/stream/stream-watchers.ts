/**
 * The live stream's housekeeping timers: the lake retention (at start, then hourly) and the one
 * note about markets nothing arrived from. Each returns its stop; neither keeps the process alive.
 */
import { applyRetention } from '../store/lake/lake-maintenance.js';

/** How often a running stream applies the lake retention (besides at start). */
const RETENTION_EVERY_MS = 3_600_000;

/** After this long a market no event came from is named in the log (default of `silentMarketMs`). */
export const SILENT_MARKET_MS = 60_000;

/** Deletes the lake's partitions of days before the retention now and hourly; a failure is logged, the stream goes on. */
export async function watchLakeRetention(root: string, days: number, log: (line: string) => void): Promise<() => void> {
  const apply = async (): Promise<void> => {
    try {
      const deleted = await applyRetention(root, days, Date.now());
      if (deleted.length > 0) log(`stream: lake retention ${days} days: deleted ${deleted.length} partitions (${deleted[0]} …)`);
    } catch (err) {
      log(`stream: lake retention failed: ${String(err)}`);
    }
  };
  await apply();
  const timer = setInterval(() => void apply(), RETENTION_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** After `afterMs`, names once the `markets` (as exchange:symbol) that `heard` does not hold. */
export function watchSilentMarkets(markets: readonly string[], heard: ReadonlySet<string>, afterMs: number, log: (line: string) => void): () => void {
  const timer = setTimeout(() => {
    const silent = markets.filter((k) => !heard.has(k));
    if (silent.length > 0) log(`stream: no event from ${silent.join(', ')} in ${Math.round(afterMs / 1000)} s: check that the exchange lists ${silent.length === 1 ? 'it' : 'them'} (spelled as it spells its markets)`);
  }, afterMs);
  timer.unref();
  return () => clearTimeout(timer);
}
