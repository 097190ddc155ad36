/**
 * The Binance spot websocket feed's settings turned into the generic feed runner's options, and
 * the REST snapshot fetch the live books call for a symbol's depth sync. Moves bytes only.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
 */
import { createSnapshotFetcher } from '../../ws/snapshot-fetcher.js';
import { binanceDepthWeight } from '../capabilities.js';
import { defaultRateGovernor, type WeightGovernor } from '../rate-governor.js';
import type { WsFeedOptions } from '../../ws/ws-feed.js';
import {
  BINANCE_WS_LIMITS,
  binanceCombinedUrl,
  binanceDepthSnapshotUrl,
  binanceFrameStream,
  binanceShutdownNotice,
  binanceStreamName,
  binanceStreamNames,
  type BinanceStreamKind,
} from './streams.js';

export interface BinanceFeedSettings {
  /** e.g. `wss://data-stream.binance.vision` or the replay server's `ws://127.0.0.1:<port>`. */
  wsBaseUrl: string;
  symbols: readonly string[];
  kinds: readonly BinanceStreamKind[];
  /** Reconnect when one of these kinds' streams is quiet this long. Default 30 s. */
  staleAfterMs?: number;
  /** Kinds that must keep talking; trades may pause on a quiet market. Default depth@100ms and kline_1m. */
  staleKinds?: readonly BinanceStreamKind[];
  backoff?: { baseMs: number; capMs: number };
  signal?: AbortSignal;
}

export function binanceWsFeedOptions(s: BinanceFeedSettings): WsFeedOptions {
  const streams = binanceStreamNames(s);
  const staleKinds = (s.staleKinds ?? ['depth@100ms', 'kline_1m']).filter((k) => s.kinds.includes(k));
  const options: WsFeedOptions = {
    // Streams named in the URL start with the connection: no SUBSCRIBE to pace, nothing to resend.
    url: binanceCombinedUrl(s.wsBaseUrl, streams),
    maxMessagesPerSecond: BINANCE_WS_LIMITS.subscribeMessagesPerSecond,
    staleAfterMs: s.staleAfterMs ?? 30_000,
    expectedChannels: s.symbols.flatMap((sym) => staleKinds.map((k) => binanceStreamName(sym, k))),
    channelOf: binanceFrameStream,
    reconnectOn: binanceShutdownNotice,
    maxConnectionAgeMs: BINANCE_WS_LIMITS.maxConnectionAgeMs,
  };
  if (s.backoff !== undefined) options.backoff = s.backoff;
  if (s.signal !== undefined) options.signal = s.signal;
  return options;
}

export interface BinanceSnapshotFetchSettings {
  /** e.g. `https://data-api.binance.vision` or the replay server. */
  restBaseUrl: string;
  /** Levels per side: 1000 (weight 50) by default; 5000 costs weight 250. */
  limit?: number;
  fetch?: typeof globalThis.fetch;
  /**
   * The Binance weight budget each snapshot is granted from and settled with (its
   * X-MBX-USED-WEIGHT-1M, a 429/418 pause): the process's own by default, the one shared across
   * processes when the store keeps a weight ledger (createSources' `governor`).
   */
  governor?: WeightGovernor;
}

/** `(symbol, signal) => body` of `GET /api/v3/depth`, within the weight budget; a non-2xx answer is an UpstreamError (retryable). */
export function createBinanceSnapshotFetcher(s: BinanceSnapshotFetchSettings): (symbol: string, signal: AbortSignal) => Promise<string> {
  const limit = s.limit ?? 1000;
  const governor = s.governor ?? defaultRateGovernor;
  const weight = binanceDepthWeight(limit);
  return createSnapshotFetcher((symbol) => binanceDepthSnapshotUrl(s.restBaseUrl, symbol, limit), s.fetch, () => governor.acquire(weight));
}
