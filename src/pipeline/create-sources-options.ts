/** What `createSources` takes besides the config: secrets, URL overrides, the local clock, the governors. */
import type { Logger } from 'pino';
import type { RateGovernor } from '../connectors/binance/rate-governor.js';
import type { WeightLedger } from '../core/weight-ledger.js';
import type { SourceUrls } from './create-sources.js';

/** Credentials the sources may use; never logged. */
export interface SourceSecrets {
  /** CoinGecko demo API key. */
  coingeckoApiKey?: string | undefined;
}

export interface CreateSourcesOptions {
  secrets?: SourceSecrets;
  /** Overrides of the config's base URLs (e.g. a replay server's). */
  urls?: Partial<SourceUrls>;
  /**
   * The local clock, epoch ms; default `Date.now`. The exchange's "now" is this plus an offset
   * learned from the exchange's responses, so a local clock that is off does not decide which
   * candle is closed.
   */
  clock?: () => number;
  /** Binance weight governor; default the process-wide one (every Binance call of the process shares it). */
  governor?: RateGovernor;
  /**
   * The weight ledger other processes share (`store.weightLedger()` on PostgreSQL): when given,
   * every Binance call also reserves its weight there (SharedRateGovernor over `governor`).
   */
  weightLedger?: WeightLedger | null;
  /** Logs skipped archive listing entries and weight-ledger failures; default silent. */
  logger?: Logger;
}
