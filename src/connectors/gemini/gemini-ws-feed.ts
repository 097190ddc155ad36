/**
 * The Gemini market data v2 feed's settings turned into the generic feed runner's options.
 * Moves bytes only. @see https://docs.gemini.com/websocket/market-data/v2 (archived)
 */
import type { WsFeedOptions } from '../ws/ws-feed.js';
import { GEMINI_WS_DEFAULT_URL, geminiFrameChannel, geminiL2Subscribe } from './marketdata-v2.js';

export interface GeminiFeedSettings {
  /** Default `wss://api.gemini.com/v2/marketdata`; the replay server's URL in tests and the demo. */
  url?: string;
  symbols: readonly string[];
  /** Reconnect when the connection (heartbeats included) is quiet this long. Default 20 s (heartbeats come every 5 s). */
  staleAfterMs?: number;
  backoff?: { baseMs: number; capMs: number };
  signal?: AbortSignal;
}

export function geminiWsFeedOptions(s: GeminiFeedSettings): WsFeedOptions {
  const options: WsFeedOptions = {
    url: s.url ?? GEMINI_WS_DEFAULT_URL,
    // One subscribe for every symbol; a reconnect resends it and gets every book again.
    subscribeMessages: [geminiL2Subscribe(s.symbols)],
    // Gemini publishes no inbound message limit for v2; one control message a second is far below any.
    maxMessagesPerSecond: 1,
    staleAfterMs: s.staleAfterMs ?? 20_000,
    // Symbols may be quiet while heartbeats flow, so staleness is per connection, not per symbol.
    expectedChannels: [],
    channelOf: geminiFrameChannel,
  };
  if (s.backoff !== undefined) options.backoff = s.backoff;
  if (s.signal !== undefined) options.signal = s.signal;
  return options;
}
