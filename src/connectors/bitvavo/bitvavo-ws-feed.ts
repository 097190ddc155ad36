/**
 * The Bitvavo websocket feed's settings turned into the generic feed runner's options, and the REST
 * order-book fetch the live books call for a market's nonce sync. Moves bytes only.
 * @see https://docs.bitvavo.com/docs/websocket-overview
 */
import { createSnapshotFetcher } from '../ws/snapshot-fetcher.js';
import type { WsFeedOptions } from '../ws/ws-feed.js';
import { BITVAVO_REST_DEFAULT_URL, BITVAVO_WS_DEFAULT_URL, bitvavoBookUrl, bitvavoFrameMarket, bitvavoSubscribe, type BitvavoChannel } from './ws-v2.js';

export interface BitvavoFeedSettings {
  /** Default `wss://ws.bitvavo.com/v2/`; the replay server's URL in tests and the demo. */
  url?: string;
  markets: readonly string[];
  channels?: readonly BitvavoChannel[];
  /** Reconnect when the connection is quiet this long. Default 60 s (Bitvavo sends no heartbeat). */
  staleAfterMs?: number;
  backoff?: { baseMs: number; capMs: number };
  signal?: AbortSignal;
}

export function bitvavoWsFeedOptions(s: BitvavoFeedSettings): WsFeedOptions {
  const options: WsFeedOptions = {
    url: s.url ?? BITVAVO_WS_DEFAULT_URL,
    // One subscribe for all markets and channels; a reconnect resends it.
    subscribeMessages: [bitvavoSubscribe(s.markets, s.channels)],
    maxMessagesPerSecond: 1,
    staleAfterMs: s.staleAfterMs ?? 60_000,
    expectedChannels: [],
    channelOf: bitvavoFrameMarket,
  };
  if (s.backoff !== undefined) options.backoff = s.backoff;
  if (s.signal !== undefined) options.signal = s.signal;
  return options;
}

export interface BitvavoSnapshotFetchSettings {
  /** Default `https://api.bitvavo.com/v2`, or the replay server. */
  restRoot?: string;
  fetch?: typeof globalThis.fetch;
}

/** `(market, signal) => body` of `GET /{market}/book`; a non-2xx answer is an UpstreamError (retryable). */
export function createBitvavoSnapshotFetcher(s: BitvavoSnapshotFetchSettings = {}): (market: string, signal: AbortSignal) => Promise<string> {
  return createSnapshotFetcher((market) => bitvavoBookUrl(s.restRoot ?? BITVAVO_REST_DEFAULT_URL, market), s.fetch);
}
