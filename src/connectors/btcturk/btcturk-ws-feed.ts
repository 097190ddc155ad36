/**
 * The BTCTurk websocket feed's settings turned into the generic feed runner's options, and the REST
 * order-book fetch the live books call after a gap. Moves bytes only.
 * @see https://docs.btcturk.com/websocket-feed/models
 */
import { createSnapshotFetcher } from '../ws/snapshot-fetcher.js';
import type { WsFeedOptions } from '../ws/ws-feed.js';
import { BTCTURK_REST_DEFAULT_URL, BTCTURK_WS_DEFAULT_URL, btcturkFramePair, btcturkJoinMessages, btcturkOrderbookUrl } from './ws-feed-models.js';

export interface BtcturkFeedSettings {
  /** Default `wss://ws-feed-pro.btcturk.com`; the replay server's URL in tests and the demo. */
  url?: string;
  pairs: readonly string[];
  /** Reconnect when the connection is quiet this long. Default 60 s. */
  staleAfterMs?: number;
  backoff?: { baseMs: number; capMs: number };
  signal?: AbortSignal;
}

export function btcturkWsFeedOptions(s: BtcturkFeedSettings): WsFeedOptions {
  const options: WsFeedOptions = {
    url: s.url ?? BTCTURK_WS_DEFAULT_URL,
    // One join per pair, resent on every reconnect (each join brings a fresh 431 book).
    subscribeMessages: btcturkJoinMessages(s.pairs),
    // No published inbound limit found; two joins a second stays well clear of any.
    maxMessagesPerSecond: 2,
    staleAfterMs: s.staleAfterMs ?? 60_000,
    expectedChannels: [],
    channelOf: btcturkFramePair,
  };
  if (s.backoff !== undefined) options.backoff = s.backoff;
  if (s.signal !== undefined) options.signal = s.signal;
  return options;
}

export interface BtcturkSnapshotFetchSettings {
  /** Default `https://api.btcturk.com`, or the replay server. */
  restRoot?: string;
  fetch?: typeof globalThis.fetch;
}

/** `(pair, signal) => body` of `GET /api/v2/orderbook`; non-2xx (503 while the book is delayed) is an UpstreamError (retryable). */
export function createBtcturkSnapshotFetcher(s: BtcturkSnapshotFetchSettings = {}): (pair: string, signal: AbortSignal) => Promise<string> {
  return createSnapshotFetcher((pair) => btcturkOrderbookUrl(s.restRoot ?? BTCTURK_REST_DEFAULT_URL, pair), s.fetch);
}
