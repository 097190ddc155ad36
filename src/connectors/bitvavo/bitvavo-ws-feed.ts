/**
 * The Bitvavo websocket feed's settings turned into the generic feed runner's options, and the REST
 * order-book fetch the live books call for a market's nonce sync. Moves bytes only.
 * @see https://docs.bitvavo.com/docs/websocket-overview
 */
import { UpstreamError } from '../../core/errors.js';
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
  const doFetch = s.fetch ?? globalThis.fetch;
  return async (market, signal) => {
    const url = bitvavoBookUrl(s.restRoot ?? BITVAVO_REST_DEFAULT_URL, market);
    let res: Response;
    try {
      res = await doFetch(url, { signal });
    } catch (err) {
      throw new UpstreamError(`GET ${url}: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
    }
    const body = await res.text();
    if (!res.ok) throw new UpstreamError(`GET ${url}: HTTP ${res.status} ${body.slice(0, 200)}`, res.status);
    return body;
  };
}
