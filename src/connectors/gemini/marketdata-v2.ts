/**
 * Gemini market data v2: the `l2` subscribe message, the endpoint, capabilities, and the channel
 * of a frame for staleness tracking.
 * @see https://docs.gemini.com/websocket/market-data/v2 (archived, PROTOCOLS.md §5)
 */
import { ConfigError } from '../../core/errors.js';
import type { FeedCapabilities } from '../../core/market-events.js';

export const GEMINI_WS_DEFAULT_URL = 'wss://api.gemini.com/v2/marketdata';

export const geminiStreamCapabilities: FeedCapabilities = {
  kinds: ['trade', 'book_snapshot', 'book_delta'],
  // v2 l2_updates carry no sequence: a lost update cannot be detected, only a reconnect (which
  // sends the whole book again) repairs one.
  sequencedBook: false,
  exchangeTime: { trade: true, book_snapshot: false, book_delta: false },
};

/** `{"type":"subscribe","subscriptions":[{"name":"l2","symbols":[…]}]}`: one message for all symbols. */
export function geminiL2Subscribe(symbols: readonly string[]): string {
  if (symbols.length === 0) throw new ConfigError('gemini stream: no symbols to subscribe to');
  for (const s of symbols) {
    if (!/^[A-Z0-9]+$/.test(s)) throw new ConfigError(`gemini stream: symbol "${s}" should be upper-case letters and digits such as BTCUSD`);
  }
  return JSON.stringify({ type: 'subscribe', subscriptions: [{ name: 'l2', symbols }] });
}

/**
 * The symbol a frame is about, without parsing it, or null for a heartbeat (which keeps every
 * channel of the connection alive). Gemini writes `"symbol"` before the payload arrays.
 */
export function geminiFrameChannel(text: string): string | null {
  const at = text.indexOf('"symbol":"');
  if (at < 0) return null;
  const end = text.indexOf('"', at + 10);
  return end < 0 ? null : text.slice(at + 10, end);
}
