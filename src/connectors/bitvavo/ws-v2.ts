/**
 * Bitvavo websocket API v2: endpoints, the `book` + `trades` subscribe message, capabilities, the
 * market a frame is about, and the REST order-book URL.
 * @see https://docs.bitvavo.com/docs/websocket-overview (wss://ws.bitvavo.com/v2/)
 * @see https://docs.bitvavo.com/docs/websocket-api/book-subscription
 * @see https://docs.bitvavo.com/docs/rest-api/get-order-book/ (GET /{market}/book)
 */
import { ConfigError } from '../../core/errors.js';
import type { FeedCapabilities } from '../../core/market-events.js';

export const BITVAVO_WS_DEFAULT_URL = 'wss://ws.bitvavo.com/v2/';
/** REST root; the order book is `GET {root}/{market}/book`. */
export const BITVAVO_REST_DEFAULT_URL = 'https://api.bitvavo.com/v2';

export const bitvavoStreamCapabilities: FeedCapabilities = {
  kinds: ['trade', 'book_snapshot', 'book_delta'],
  // Every book event carries `nonce`, rising by 1 per order-book change (REST order-book page).
  sequencedBook: true,
  exchangeTime: { trade: true, book_snapshot: true, book_delta: true },
};

const MARKET = /^[A-Z0-9]+-[A-Z0-9]+$/;

export function checkBitvavoMarket(market: string): void {
  if (!MARKET.test(market)) throw new ConfigError(`bitvavo stream: market "${market}" should be spelled as Bitvavo does, e.g. BTC-EUR`);
}

export type BitvavoChannel = 'book' | 'trades';

/** `{"action":"subscribe","channels":[{"name":"book","markets":[…]},{"name":"trades","markets":[…]}]}`. */
export function bitvavoSubscribe(markets: readonly string[], channels: readonly BitvavoChannel[] = ['book', 'trades']): string {
  if (markets.length === 0) throw new ConfigError('bitvavo stream: no markets to subscribe to');
  if (channels.length === 0) throw new ConfigError('bitvavo stream: no channels to subscribe to');
  for (const m of markets) checkBitvavoMarket(m);
  return JSON.stringify({ action: 'subscribe', channels: channels.map((name) => ({ name, markets })) });
}

export function bitvavoBookUrl(restRoot: string, market: string): string {
  checkBitvavoMarket(market);
  return `${restRoot.replace(/\/+$/, '')}/${market}/book`;
}

/** The market a frame is about, read without parsing it, or null (confirmations, `getTime`). */
export function bitvavoFrameMarket(text: string): string | null {
  const at = text.indexOf('"market":"');
  if (at < 0) return null;
  const end = text.indexOf('"', at + 10);
  return end < 0 ? null : text.slice(at + 10, end);
}
