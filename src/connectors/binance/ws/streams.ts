/**
 * Binance spot market streams: stream names, the combined-stream URL and SUBSCRIBE messages, and
 * what the feed declares it can deliver.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams
 */
import { ConfigError } from '../../../core/errors.js';
import type { FeedCapabilities } from '../../../core/market-events.js';

/** Stream kinds tickerflow subscribes to. `trade` and `aggTrade` both become TradeEvents: use one of them per symbol. */
export const BINANCE_STREAM_KINDS = ['trade', 'aggTrade', 'kline_1m', 'depth@100ms', 'bookTicker'] as const;
export type BinanceStreamKind = (typeof BINANCE_STREAM_KINDS)[number];

export const binanceStreamCapabilities: FeedCapabilities = {
  kinds: ['trade', 'book_snapshot', 'book_delta', 'candle'],
  sequencedBook: true,
  // The REST depth snapshot carries no time; every stream event carries `E` (and trades `T`).
  exchangeTime: { trade: true, book_delta: true, candle: true, book_snapshot: false },
};

/** Limits of one connection (PROTOCOLS.md §3). */
export const BINANCE_WS_LIMITS = {
  /** Incoming messages per second incl. pings, pongs and control messages. */
  maxMessagesPerSecond: 5,
  /** Our subscribe pace: one below the limit, so a pong in the same second never breaks it. */
  subscribeMessagesPerSecond: 4,
  maxStreamsPerConnection: 1024,
  /** Binance drops every connection at 24 h; reconnect a little before, on our own terms. */
  maxConnectionAgeMs: 24 * 3_600_000 - 5 * 60_000,
  /** Streams per SUBSCRIBE message, keeping each message small. */
  streamsPerSubscribe: 200,
} as const;

export const BINANCE_WS_DEFAULT_BASE_URL = 'wss://data-stream.binance.vision';

export function binanceStreamName(symbol: string, kind: BinanceStreamKind): string {
  if (!/^[A-Za-z0-9]+$/.test(symbol)) throw new ConfigError(`binance stream: symbol "${symbol}" should be letters and digits such as BTCUSDT`);
  return `${symbol.toLowerCase()}@${kind}`;
}

export interface BinanceSubscription {
  symbols: readonly string[];
  kinds: readonly BinanceStreamKind[];
}

/** Every stream name of a subscription; refuses trade and aggTrade together (each trade would count twice). */
export function binanceStreamNames(sub: BinanceSubscription): string[] {
  if (sub.kinds.includes('trade') && sub.kinds.includes('aggTrade')) {
    throw new ConfigError('binance stream: subscribe to trade or aggTrade, not both: each trade would be counted twice');
  }
  const names = sub.symbols.flatMap((s) => sub.kinds.map((k) => binanceStreamName(s, k)));
  if (names.length > BINANCE_WS_LIMITS.maxStreamsPerConnection) {
    throw new ConfigError(`binance stream: ${names.length} streams exceed the ${BINANCE_WS_LIMITS.maxStreamsPerConnection} one connection may carry`);
  }
  return names;
}

/** `wss://…/stream?streams=a/b/c`: streams start with the connection, no SUBSCRIBE needed. */
export function binanceCombinedUrl(baseUrl: string, streams: readonly string[]): string {
  if (streams.length === 0) throw new ConfigError('binance stream: no streams to subscribe to');
  return `${baseUrl.replace(/\/+$/, '')}/stream?streams=${streams.join('/')}`;
}

/** `{"method":"SUBSCRIBE","params":[…],"id":n}` messages, at most `streamsPerSubscribe` streams each. */
export function binanceSubscribeMessages(streams: readonly string[], firstId = 1): string[] {
  const out: string[] = [];
  for (let i = 0; i < streams.length; i += BINANCE_WS_LIMITS.streamsPerSubscribe) {
    const params = streams.slice(i, i + BINANCE_WS_LIMITS.streamsPerSubscribe);
    out.push(JSON.stringify({ method: 'SUBSCRIBE', params, id: firstId + out.length }));
  }
  return out;
}

/** The stream name of a combined-stream frame without parsing it (for staleness tracking), or null for control frames. */
export function binanceFrameStream(text: string): string | null {
  if (!text.startsWith('{"stream":"')) return null;
  const end = text.indexOf('"', 11);
  return end < 0 ? null : text.slice(11, end);
}

/** `GET /api/v3/depth` URL; limit 5000 costs weight 250, 1000 costs 50 (PROTOCOLS.md §2). */
export function binanceDepthSnapshotUrl(restBaseUrl: string, symbol: string, limit = 1000): string {
  return `${restBaseUrl.replace(/\/+$/, '')}/api/v3/depth?symbol=${encodeURIComponent(symbol.toUpperCase())}&limit=${limit}`;
}

/** Binance announces a server shutdown with `{"e":"serverShutdown","E":…}` (PROTOCOLS.md §3): reconnect at once. Cheap: the notice is short. */
export function binanceShutdownNotice(text: string): string | null {
  return text.length < 200 && text.includes('"e":"serverShutdown"') ? 'server shutdown notice' : null;
}
