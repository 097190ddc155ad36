/**
 * BTCTurk websocket feed: endpoints, the `[151,{…join…}]` channel join, capabilities, the pair a
 * frame is about, and the REST order-book URL.
 * @see https://docs.btcturk.com/websocket-feed/models (model codes, join message)
 * @see https://docs.btcturk.com/public-endpoints/orderbook (GET /api/v2/orderbook)
 * Frame shapes: PROTOCOLS.md §5 and the recorded frames (shared SOURCES.md §11).
 */
import { ConfigError } from '../../core/errors.js';
import type { FeedCapabilities } from '../../core/market-events.js';

/** The production feed host (ExchangeSharp `BaseUrlWebSocket`; the docs' sample uses the sandbox `wss://ws-feed-sandbox.btctrader.com`). */
export const BTCTURK_WS_DEFAULT_URL = 'wss://ws-feed-pro.btcturk.com';
/** REST root; PROTOCOLS.md §5 and BTCTrader/broker-api-docs README-pro ("API Base: https://api.btcturk.com"). */
export const BTCTURK_REST_DEFAULT_URL = 'https://api.btcturk.com';

export const btcturkStreamCapabilities: FeedCapabilities = {
  // Trades are not mapped yet: no recorded trade frame and no published example of one was found.
  kinds: ['book_snapshot', 'book_delta'],
  // `obdiff` deltas carry `CS`, rising by 1.
  sequencedBook: true,
  // Neither the 431 snapshot nor the 432 diff carries a time; the REST snapshot does.
  exchangeTime: { book_snapshot: false, book_delta: false },
};

const PAIR = /^[A-Z0-9]+$/;

export function checkBtcturkPair(pair: string): void {
  // Lower-case or unknown pairs are acknowledged ok:true and then stay silent (PROTOCOLS.md §5): refuse them here.
  if (!PAIR.test(pair)) throw new ConfigError(`btcturk stream: pair "${pair}" should be upper-case letters and digits without underscore, e.g. BTCTRY`);
}

export type BtcturkBookChannel = 'obdiff';

/** `[151,{"type":151,"channel":"obdiff","event":"BTCTRY","join":true}]`: one message per pair. */
export function btcturkJoinMessages(pairs: readonly string[], channel: BtcturkBookChannel = 'obdiff'): string[] {
  if (pairs.length === 0) throw new ConfigError('btcturk stream: no pairs to join');
  return pairs.map((pair) => {
    checkBtcturkPair(pair);
    return JSON.stringify([151, { type: 151, channel, event: pair, join: true }]);
  });
}

/** `GET {root}/api/v2/orderbook?pairSymbol=BTCTRY&limit=100` (the API takes BTCTRY or BTC_TRY; 100 levels is the most it sends). */
export function btcturkOrderbookUrl(restRoot: string, pair: string, limit = 100): string {
  checkBtcturkPair(pair);
  return `${restRoot.replace(/\/+$/, '')}/api/v2/orderbook?pairSymbol=${pair}&limit=${limit}`;
}

/** The pair a frame is about (`"PS":"…"`), read without parsing it, or null. */
export function btcturkFramePair(text: string): string | null {
  const at = text.indexOf('"PS":"');
  if (at < 0) return null;
  const end = text.indexOf('"', at + 6);
  return end < 0 ? null : text.slice(at + 6, end);
}
