/** What a live stream is started with, and what its status says (live-stream.ts). */
import type { Bus, Subscription } from '../bus/bus.js';
import type { WeightGovernor } from '../connectors/binance/rate-governor.js';
import type { MarketEventKind, MarketRef } from '../core/market-events.js';
import type { Store } from '../store/store.js';
import type { LiveBooksStatus } from './live-books.js';
import type { LiveStreamUrls } from './live-feeds.js';
import type { StreamProcessorCounts } from './stream-processors.js';
import type { StreamPayload } from './stream-payload.js';

/** At most this many trades are fetched by id per market after a restart (40 pages); the rest of an outage stays unfilled. */
export const MAX_BACKFILL_TRADES = 40_000;

export interface LiveStreamOptions {
  markets: readonly MarketRef[];
  kinds: readonly MarketEventKind[];
  urls: LiveStreamUrls;
  store: Pick<Store, 'writeCandles' | 'upsertSignals'>;
  /** The Parquet lake's folder, or null for none. */
  lakeRoot: string | null;
  lake?: { maxBufferedEvents?: number; maxBufferAgeMs?: number };
  /** After how long a market no event came from is named in the log (default 60 s). */
  silentMarketMs?: number;
  /** Days of lake partitions (by receive date) to keep, applied at start and hourly; null keeps all. */
  lakeRetentionDays?: number | null;
  windowMs: number;
  staleAfterMs: number;
  log: (line: string) => void;
  bus?: Bus<StreamPayload>;
  /** The processors' subscription on `bus` (default `md.>`, from now on): a durable consumer on NATS. */
  events?: Subscription<StreamPayload>;
  /** Trades fetched by id per market after a restart, at most; default MAX_BACKFILL_TRADES. */
  maxBackfillTrades?: number;
  /** The Binance weight budget the depth snapshots spend: the process's by default, the shared one on a PostgreSQL store. */
  binanceGovernor?: WeightGovernor;
}

export interface LiveStreamStatus {
  exchanges: LiveBooksStatus[];
  processors: StreamProcessorCounts;
  events: number;
  lastSequence: number;
  lakeFiles: number;
  /** Since start: trades fetched by id to fill an outage, and live or fetched trades dropped because the lake held their id. */
  resume: { backfilledTrades: number; heldTradesDropped: number; unfilledMarkets: string[] };
}
