/**
 * The live feed of one exchange for the stream: its websocket feed, its books (with the REST
 * snapshot fetcher where the exchange needs one) and, where the exchange serves trades by id,
 * the fetch a restarted stream uses to get back what it missed. The per-exchange wiring of
 * live-stream.ts, one branch per exchange.
 */
import { binanceWsFeedOptions, createBinanceSnapshotFetcher } from '../connectors/binance/ws/binance-ws-feed.js';
import { BinanceFeedPolicy } from '../connectors/binance/ws/binance-feed-policy.js';
import type { BinanceStreamKind } from '../connectors/binance/ws/streams.js';
import type { WeightGovernor } from '../connectors/binance/rate-governor.js';
import { BinanceRestClient } from '../connectors/binance/binance-rest-client.js';
import { historicalTradesBaseUrl } from '../connectors/binance/capabilities.js';
import { geminiWsFeedOptions } from '../connectors/gemini/gemini-ws-feed.js';
import { GeminiFeedPolicy } from '../connectors/gemini/gemini-feed-policy.js';
import { bitvavoWsFeedOptions, createBitvavoSnapshotFetcher } from '../connectors/bitvavo/bitvavo-ws-feed.js';
import { BitvavoFeedPolicy } from '../connectors/bitvavo/bitvavo-feed-policy.js';
import type { BitvavoChannel } from '../connectors/bitvavo/ws-v2.js';
import { btcturkWsFeedOptions, createBtcturkSnapshotFetcher } from '../connectors/btcturk/btcturk-ws-feed.js';
import { BtcturkFeedPolicy } from '../connectors/btcturk/btcturk-feed-policy.js';
import { runWsFeed } from '../connectors/ws/ws-feed.js';
import type { MarketEventKind, MarketRef, StreamExchange } from '../core/market-events.js';
import { ConfigError } from '../core/errors.js';
import { LiveBooks } from './live-books.js';
import type { TradesById } from './stream-resume.js';

export interface LiveStreamUrls {
  /** Binance websocket host (`wss://data-stream.binance.vision`, or the replay server's `…/binance`). */
  binanceWs: string;
  /** Binance REST root for depth snapshots. */
  binanceRest: string;
  /** Gemini websocket root; market data v2 is at `/v2/marketdata` under it. */
  geminiWs: string;
  /** Bitvavo websocket URL (`wss://ws.bitvavo.com/v2/`); default that. */
  bitvavoWs?: string;
  /** Bitvavo REST root (`https://api.bitvavo.com/v2`) for `GET /{market}/book`; default that. */
  bitvavoRest?: string;
  /** BTCTurk websocket URL (`wss://ws-feed-pro.btcturk.com`); default that. */
  btcturkWs?: string;
  /** BTCTurk REST root (`https://api.btcturk.com`) for `GET /api/v2/orderbook`; default that. */
  btcturkRest?: string;
}

export interface LiveFeedContext {
  urls: LiveStreamUrls;
  kinds: readonly MarketEventKind[];
  staleAfterMs?: number;
  log: (line: string) => void;
  signal: AbortSignal;
  /** The Binance weight budget depth snapshots and trades by id spend; the process's by default. */
  binanceGovernor?: WeightGovernor;
}

export interface LiveFeed {
  feed: ReturnType<typeof runWsFeed>;
  books: LiveBooks;
  /** Missed trades by id, where the exchange serves them (Binance). */
  tradesById?: TradesById;
}

/** The Binance streams that carry what `kinds` asks for. */
function binanceKinds(kinds: readonly MarketEventKind[]): BinanceStreamKind[] {
  const out: BinanceStreamKind[] = [];
  if (kinds.includes('trade')) out.push('trade');
  if (kinds.includes('book_snapshot') || kinds.includes('book_delta')) out.push('depth@100ms');
  if (kinds.includes('candle')) out.push('kline_1m');
  return out;
}

export function liveFeed(exchange: StreamExchange, symbols: string[], ctx: LiveFeedContext): LiveFeed {
  const { urls, staleAfterMs, log, signal, binanceGovernor: governor } = ctx;
  if (exchange === 'binance') {
    const feed = runWsFeed(binanceWsFeedOptions({ wsBaseUrl: urls.binanceWs, symbols, kinds: binanceKinds(ctx.kinds), staleAfterMs, signal }));
    // The `trade` stream's ids are paged by historicalTrades (aggTrade's would be by aggTrades).
    const rest = new BinanceRestClient({ baseUrl: historicalTradesBaseUrl(urls.binanceRest), ...(governor === undefined ? {} : { governor }) });
    const fetchSnapshot = createBinanceSnapshotFetcher({ restBaseUrl: urls.binanceRest, ...(governor === undefined ? {} : { governor }) });
    return { feed, books: new LiveBooks({ policy: new BinanceFeedPolicy(), fetchSnapshot, log }), tradesById: (ref, fromId) => rest.tradesFromId('historicalTrades', ref.symbol, fromId) };
  }
  if (exchange === 'gemini') {
    const feed = runWsFeed(geminiWsFeedOptions({ url: `${urls.geminiWs.replace(/\/$/, '')}/v2/marketdata`, symbols, staleAfterMs, signal }));
    return { feed, books: new LiveBooks({ policy: new GeminiFeedPolicy(), log }) };
  }
  if (exchange === 'bitvavo') {
    const channels: BitvavoChannel[] = [];
    if (ctx.kinds.includes('book_snapshot') || ctx.kinds.includes('book_delta')) channels.push('book');
    if (ctx.kinds.includes('trade')) channels.push('trades');
    const feed = runWsFeed(bitvavoWsFeedOptions({ ...(urls.bitvavoWs === undefined ? {} : { url: urls.bitvavoWs }), markets: symbols, channels, staleAfterMs, signal }));
    const fetchSnapshot = createBitvavoSnapshotFetcher(urls.bitvavoRest === undefined ? {} : { restRoot: urls.bitvavoRest });
    return { feed, books: new LiveBooks({ policy: new BitvavoFeedPolicy(), fetchSnapshot, log }) };
  }
  if (exchange === 'btcturk') {
    const feed = runWsFeed(btcturkWsFeedOptions({ ...(urls.btcturkWs === undefined ? {} : { url: urls.btcturkWs }), pairs: symbols, staleAfterMs, signal }));
    const fetchSnapshot = createBtcturkSnapshotFetcher(urls.btcturkRest === undefined ? {} : { restRoot: urls.btcturkRest });
    return { feed, books: new LiveBooks({ policy: new BtcturkFeedPolicy(), fetchSnapshot, log }) };
  }
  throw new ConfigError(`stream: no live feed for ${exchange} yet`);
}

/** One exchange's feed, books and trades by id. */
export type ExchangeFeed = LiveFeed & { exchange: StreamExchange };

/** The feeds of `markets`, one per exchange (built lazily: nothing connects until they are read). */
export function liveFeeds(markets: readonly MarketRef[], ctx: LiveFeedContext): ExchangeFeed[] {
  const byExchange = new Map<StreamExchange, string[]>();
  for (const m of markets) byExchange.set(m.exchange, [...(byExchange.get(m.exchange) ?? []), m.symbol]);
  return [...byExchange].map(([exchange, symbols]) => ({ exchange, ...liveFeed(exchange, symbols, ctx) }));
}
