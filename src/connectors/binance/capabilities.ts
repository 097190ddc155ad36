/**
 * What the Binance spot REST connector supports, declared rather than probed (STYLE habit 4).
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#klinecandlestick-data
 */
import { INTERVALS, type Interval } from '../../core/intervals.js';
import { DEFAULT_WEIGHT_PER_MINUTE } from './rate-governor.js';

/** Kline interval names as the REST API spells them (case-sensitive: `1m` minute, `1M` month). */
export const BINANCE_REST_INTERVALS = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'] as const;
export type BinanceRestInterval = (typeof BINANCE_REST_INTERVALS)[number];

export function isBinanceRestInterval(s: string): s is BinanceRestInterval {
  return (BINANCE_REST_INTERVALS as readonly string[]).includes(s);
}

/** The archive (data.binance.vision) spells the month `1mo` so that paths survive case-insensitive file systems. */
export function archiveIntervalName(interval: BinanceRestInterval): string {
  return interval === '1M' ? '1mo' : interval;
}

/** The REST name of a core interval; every core interval has the same spelling on REST. */
export function restIntervalName(interval: Interval): BinanceRestInterval {
  return interval;
}

/**
 * The REST root that serves `historicalTrades` for a client configured with `restBaseUrl`: the
 * market-data-only host (data-api.binance.vision) serves `trades` and `aggTrades` but not
 * `historicalTrades` (PROTOCOLS.md §2), so with it the call goes to api.binance.com (no key
 * needed); any other root (a replay server, a proxy) is used as it is.
 */
export function historicalTradesBaseUrl(restBaseUrl: string): string {
  return new URL(restBaseUrl).host === new URL(binanceRestCapabilities.defaultBaseUrl).host ? binanceRestCapabilities.historicalTradesBaseUrl : restBaseUrl;
}

/**
 * `GET /api/v3/depth` weight by its `limit` (PROTOCOLS.md §2): 1–100 → 5, 101–500 → 25,
 * 501–1000 → 50, 1001–5000 → 250 (a larger limit is truncated to 5000).
 */
export function binanceDepthWeight(limit: number): number {
  if (limit <= 100) return 5;
  if (limit <= 500) return 25;
  if (limit <= 1000) return 50;
  return 250;
}

export const binanceRestCapabilities = {
  exchange: 'binance',
  market: 'spot',
  defaultBaseUrl: 'https://data-api.binance.vision',
  /** Where `historicalTrades` is served when the default (market-data-only) root is configured. */
  historicalTradesBaseUrl: 'https://api.binance.com',
  /** Every interval the klines endpoint accepts. */
  intervals: BINANCE_REST_INTERVALS,
  /** Intervals `klinesRange` pages over (fixed-length ones tickerflow stores). */
  rangeIntervals: INTERVALS,
  maxKlinesPerRequest: 1000,
  defaultKlinesPerRequest: 500,
  /** Request weight per endpoint (doubled on 2023-08-25: klines 1→2, exchangeInfo 10→20). */
  weights: { klines: 2, exchangeInfo: 20, time: 1, historicalTrades: 25, aggTrades: 4 },
  /** Trades per `historicalTrades` / `aggTrades` page ("Default 500; max 1000"). */
  maxTradesPerRequest: 1000,
  /** Budget until `exchangeInfo.rateLimits` says otherwise. */
  defaultWeightPerMinute: DEFAULT_WEIGHT_PER_MINUTE,
  usedWeightHeader: 'X-MBX-USED-WEIGHT-1M',
  timeUnit: 'millisecond',
  /** A response may end with the candle still forming; `klinesRange` drops it. */
  lastCandleMayBeOpen: true,
} as const;
