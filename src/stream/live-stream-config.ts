/** The live stream's options from a configuration's `[stream]` and `[sources]` sections. */
import type { Config } from '../core/config.js';
import { parseMarketRef } from '../core/market-events.js';
import type { Store } from '../store/store.js';
import type { LiveStreamOptions } from './live-stream.js';

export function liveStreamOptions(
  config: Config,
  store: Pick<Store, 'writeCandles' | 'upsertSignals'>,
  log: (line: string) => void,
  overrides: { markets?: readonly string[]; lakeRoot?: string | null } = {},
): LiveStreamOptions {
  const s = config.stream;
  const lake = overrides.lakeRoot !== undefined ? overrides.lakeRoot : s.lake === '' ? null : s.lake;
  return {
    markets: (overrides.markets ?? s.markets).map(parseMarketRef),
    kinds: s.kinds,
    urls: {
      binanceWs: config.sources.binance_ws,
      binanceRest: config.sources.binance_rest,
      geminiWs: config.sources.gemini_ws,
      bitvavoWs: config.sources.bitvavo_ws,
      bitvavoRest: config.sources.bitvavo_rest,
      btcturkWs: config.sources.btcturk_ws,
      btcturkRest: config.sources.btcturk_rest,
    },
    store,
    lakeRoot: lake,
    lake: { maxBufferedEvents: s.lake_flush_events, maxBufferAgeMs: s.lake_flush_seconds * 1000 },
    lakeRetentionDays: s.lake_retention_days === 0 ? null : s.lake_retention_days,
    windowMs: s.window_seconds * 1000,
    staleAfterMs: s.stale_seconds * 1000,
    log,
  };
}

/** Where a running stream leaves its status for `tickerflow stream status`: beside the lake. */
export function streamStatusPath(config: Config): string {
  return `${(config.stream.lake || './tickerflow-data/lake').replace(/\/+$/, '')}.status.json`;
}
