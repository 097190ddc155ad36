/**
 * Normalised live market events: what every exchange feed's mappers produce, what the bus carries
 * (`md.<kind>.<exchange>.<symbol>`), what the stream processors consume and what the lake stores.
 *
 * One symbol form everywhere: the exchange id and the exchange's own symbol (`binance` +
 * `BTCUSDT`, written `binance:BTCUSDT` in the CLI and API). Prices and quantities are the doubles
 * nearest to the exchange's decimal strings. Times are epoch milliseconds: `receivedAt` is the
 * local clock when the frame arrived (it may carry a fraction of a millisecond), `exchangeTime` the
 * exchange's own time for the event, or null where the exchange sends none (Gemini's `l2_updates`).
 */
import type { Candle } from './candle.js';
import { BadInputError } from './errors.js';
import type { Interval } from './intervals.js';

/** Exchanges with a live feed. */
export const STREAM_EXCHANGES = ['binance', 'gemini', 'bitvavo', 'btcturk'] as const;
export type StreamExchange = (typeof STREAM_EXCHANGES)[number];

/** Kinds of normalised events; each is a bus subject segment and a lake partition. */
export const MARKET_EVENT_KINDS = ['trade', 'book_snapshot', 'book_delta', 'candle'] as const;
export type MarketEventKind = (typeof MARKET_EVENT_KINDS)[number];

export interface MarketRef {
  exchange: StreamExchange;
  /** The exchange's own symbol, as it spells it (`BTCUSDT`, `BTCUSD`, `BTC-EUR`, `BTCTRY`). */
  symbol: string;
}

interface EventBase extends MarketRef {
  /** Local receive time, epoch ms. */
  receivedAt: number;
  /** The exchange's time for the event, epoch ms, or null where it sends none. */
  exchangeTime: number | null;
}

export type TakerSide = 'buy' | 'sell';

export interface TradeEvent extends EventBase {
  kind: 'trade';
  /** The exchange's trade id (Binance `t`, Gemini `tid`), as a decimal string: ids outgrow 2^53 nowhere yet, but strings never lose one. */
  tradeId: string;
  price: number;
  quantity: number;
  /** The aggressor's side, or null where the exchange does not say. Binance `m` true (buyer is maker) means a sell. */
  takerSide: TakerSide | null;
}

/** A price level: [price, quantity]. In a delta a quantity of 0 removes the level. */
export type BookLevel = readonly [price: number, quantity: number];

export interface BookSnapshotEvent extends EventBase {
  kind: 'book_snapshot';
  /** Best first: bids descending, asks ascending. */
  bids: BookLevel[];
  asks: BookLevel[];
  /** The exchange's sequence for the snapshot (Binance `lastUpdateId`, Bitvavo `nonce`), or null. */
  sequence: number | null;
}

export interface BookDeltaEvent extends EventBase {
  kind: 'book_delta';
  bids: BookLevel[];
  asks: BookLevel[];
  /** First and last sequence covered (Binance `U` and `u`), or null where the exchange sends none. */
  firstSequence: number | null;
  lastSequence: number | null;
}

export interface CandleEvent extends EventBase {
  kind: 'candle';
  interval: Interval;
  candle: Candle;
  /** True only for a final bar (Binance `k.x`). */
  closed: boolean;
}

export type MarketEvent = TradeEvent | BookSnapshotEvent | BookDeltaEvent | CandleEvent;

/** What a feed can deliver, declared per exchange. */
export interface FeedCapabilities {
  kinds: readonly MarketEventKind[];
  /** Whether book updates carry a sequence a gap can be detected from. */
  sequencedBook: boolean;
  /** Whether each kind carries the exchange's time. */
  exchangeTime: Partial<Record<MarketEventKind, boolean>>;
}

/**
 * Whether `symbol` is spelled as `exchange` spells its symbols: 2–20 upper-case letters and digits
 * (`BTCUSDT`, `BTCGBP`, `ETHUSDT`), and on Bitvavo base and quote joined by a hyphen (`BTC-EUR`).
 */
export function isExchangeSymbol(exchange: string, symbol: string): boolean {
  return exchange === 'bitvavo' ? /^[A-Z0-9]{1,10}-[A-Z0-9]{1,10}$/.test(symbol) : /^[A-Z0-9]{2,20}$/.test(symbol);
}

/** `binance:BTCUSDT` → { exchange, symbol }; throws on anything else. */
export function parseMarketRef(text: string): MarketRef {
  const i = text.indexOf(':');
  const exchange = text.slice(0, i);
  const symbol = text.slice(i + 1);
  if (i <= 0 || symbol === '' || !(STREAM_EXCHANGES as readonly string[]).includes(exchange)) {
    throw new BadInputError(`"${text}" is not <exchange>:<symbol> with exchange one of ${STREAM_EXCHANGES.join(', ')}`);
  }
  // Spelled as the exchange spells its markets, checked before anything connects (BTC-USDT on Binance crashed the stream).
  if (!isExchangeSymbol(exchange, symbol.toUpperCase())) {
    throw new BadInputError(`"${text}": ${exchange} spells its markets ${exchange === 'bitvavo' ? 'BASE-QUOTE, e.g. bitvavo:BTC-EUR' : `in letters and digits, e.g. ${exchange}:BTC${exchange === 'btcturk' ? 'TRY' : exchange === 'gemini' ? 'GBP' : 'USDT'}`}`);
  }
  return { exchange: exchange as StreamExchange, symbol };
}

export function formatMarketRef(ref: MarketRef): string {
  return `${ref.exchange}:${ref.symbol}`;
}
