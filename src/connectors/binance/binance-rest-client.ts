/**
 * Binance spot REST client for market data: `exchangeInfo`, `klines` and trades by id
 * (`historicalTrades`, `aggTrades`), every call through the process-wide weight governor.
 *
 * Why not ccxt (the house choice for exchange connectivity): its `fetchOHLCV` keeps only six of
 * the eleven kline columns we store (it drops close time, quote volume, trade count and both
 * taker-buy volumes), and its own throttler cannot share our per-IP weight governor, which must
 * see every request of every job. So these two calls are made directly with `fetch`.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api
 */
import { z } from 'zod';
import { sliceColumns, type CandleColumns } from '../../core/candle.js';
import { BadInputError, RateLimitError, UpstreamError } from '../../core/errors.js';
import { intervalMs, type Interval } from '../../core/intervals.js';
import { isInterval } from '../../core/intervals.js';
import { binanceRestCapabilities, type BinanceRestInterval } from './capabilities.js';
import { parseExchangeInfo, type ExchangeInfo } from './exchange-info.js';
import { parseKlineRows } from './kline-rows.js';
import { mapAggTradesPage, mapHistoricalTrades, type BinanceTradeList } from './ws/rest-trade-mappers.js';
import type { TradeEvent } from '../../core/market-events.js';
import { defaultRateGovernor, type WeightGovernor } from './rate-governor.js';
import {
  backoffMs,
  httpDateMs,
  parseJsonBody,
  parseRetryAfter,
  resolveHttpRetry,
  type HttpRetryDefaults,
  type HttpRetryOptions,
  type HttpRetrySettings,
  type ServerClock,
} from '../http/index.js';

/**
 * The shared HTTP retry options (`HttpRetryOptions`) with Binance's defaults: 5 attempts, back-off
 * after a 5xx or network failure from 500 ms doubling to 30 s, and a 15 s per-request timeout
 * (Binance's own API timeout is 10 s).
 */
export interface BinanceRestClientOptions extends HttpRetryOptions {
  /** Default `https://data-api.binance.vision` (market data only, no key). */
  baseUrl?: string;
  /** Default the process-wide governor; a shared one (SharedRateGovernor) in scale-out, another to isolate tests. */
  governor?: WeightGovernor;
  /**
   * The exchange's "now" in epoch ms, used to tell closed candles from the one still forming.
   * Default: `serverClock` if given, else the response's `Date` header, else the local clock.
   */
  now?: () => number;
  /**
   * Learns the server's clock from every response's `Date` header and from `serverTime()`; when
   * given (and `now` is not), closed candles are judged on it. One per exchange, shared by the
   * callers that need the exchange's "now".
   */
  serverClock?: ServerClock;
  /** Told of each 429/418 pause (the wait is long and silent otherwise). */
  onRateLimit?: (line: string) => void;
}

const RETRY_DEFAULTS: HttpRetryDefaults = { maxAttempts: 5, backoffBaseMs: 500, backoffCapMs: 30_000, timeoutMs: 15_000 };

export interface KlinesQuery {
  symbol: string;
  interval: BinanceRestInterval;
  startTime?: number;
  endTime?: number;
  /** 1…1000; Binance's default is 500. */
  limit?: number;
}

const errorBodySchema = z.object({ code: z.number(), msg: z.string() });
const serverTimeSchema = z.object({ serverTime: z.number().int().nonnegative() });

interface Fetched {
  body: unknown;
  /** The server's clock from the `Date` header (second resolution), or null. */
  serverDate: number | null;
  /** Local clock when the body had been read. */
  receivedAt: number;
}

/** Reads Binance spot market data over REST within the shared weight budget. */
export class BinanceRestClient {
  readonly baseUrl: string;
  private readonly governor: WeightGovernor;
  private readonly clock: (() => number) | undefined;
  private readonly serverClock: ServerClock | undefined;
  private readonly http: HttpRetrySettings;
  private readonly onRateLimit: ((line: string) => void) | undefined;

  constructor(options: BinanceRestClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? binanceRestCapabilities.defaultBaseUrl).replace(/\/+$/, '');
    this.governor = options.governor ?? defaultRateGovernor;
    this.serverClock = options.serverClock;
    const serverClock = options.serverClock;
    this.clock = options.now ?? (serverClock === undefined ? undefined : () => serverClock.now());
    this.http = resolveHttpRetry(options, RETRY_DEFAULTS);
    this.onRateLimit = options.onRateLimit;
  }

  /**
   * Symbols, server time and rate limits (weight 20). Also sets the governor's budget from
   * `rateLimits`, so the first call of a process makes every later one obey the real limit.
   * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/general-endpoints#exchange-information
   */
  async exchangeInfo(): Promise<ExchangeInfo> {
    const { body } = await this.get('/api/v3/exchangeInfo', {}, binanceRestCapabilities.weights.exchangeInfo);
    const info = parseExchangeInfo(body);
    this.governor.configure(info.rateLimits);
    return info;
  }

  /**
   * The server's clock in epoch ms (weight 1); also teaches `serverClock` the offset to the
   * millisecond (a `Date` header only gives the second).
   * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/general-endpoints#check-server-time
   */
  async serverTime(): Promise<number> {
    const { body, receivedAt } = await this.get('/api/v3/time', {}, binanceRestCapabilities.weights.time);
    const parsed = serverTimeSchema.safeParse(body);
    if (!parsed.success) throw new UpstreamError(`GET ${this.baseUrl}/api/v3/time: body is not {"serverTime": <ms>}: ${JSON.stringify(body).slice(0, 200)}`);
    this.serverClock?.observe(parsed.data.serverTime, receivedAt);
    return parsed.data.serverTime;
  }

  /**
   * One page of klines (weight 2), as returned: the last row may still be open.
   * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#klinecandlestick-data
   */
  async klines(query: KlinesQuery): Promise<CandleColumns> {
    return (await this.klinesPage(query)).columns;
  }

  /**
   * Every closed candle with open time in [from, toExclusive), one page (≤ 1000 rows) per
   * iteration, in the fewest requests: ceil(candles / 1000). A trailing candle whose close time
   * is not yet past the server's "now" is dropped, and iteration stops there.
   * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#klinecandlestick-data
   */
  async *klinesRange(symbol: string, interval: Interval, from: number, toExclusive: number): AsyncGenerator<CandleColumns> {
    const len = intervalMs(interval);
    const limit = binanceRestCapabilities.maxKlinesPerRequest;
    let cursor = Math.ceil(from / len) * len;
    while (cursor < toExclusive) {
      const { columns, serverDate } = await this.klinesPage({ symbol, interval, startTime: cursor, endTime: toExclusive - 1, limit });
      if (columns.length === 0) return;
      const first = columns.openTime[0]!;
      const last = columns.openTime[columns.length - 1]!;
      if (first < cursor || last >= toExclusive) {
        throw new UpstreamError(`klines ${symbol} ${interval}: rows ${first}..${last} fall outside the requested ${cursor}..${toExclusive - 1}`);
      }
      const now = this.clock?.() ?? serverDate ?? Date.now();
      let keep = columns.length;
      while (keep > 0 && columns.closeTime[keep - 1]! >= now) keep--;
      if (keep > 0) yield keep === columns.length ? columns : sliceColumns(columns, 0, keep);
      // Fewer rows than asked means the page reached endTime or the present; an open candle means the present.
      if (keep < columns.length || columns.length < limit) return;
      cursor = last + len;
    }
  }

  /**
   * One page of trades of `symbol` with id ≥ `fromId` (at most `limit`, ≤ 1000), as the TradeEvents
   * the websocket would have sent: `historicalTrades` (weight 25) pages the `trade` stream's ids,
   * `aggTrades` (weight 4) the `aggTrade` stream's. Empty when none has happened since `fromId`.
   * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#old-trade-lookup
   * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#compressedaggregate-trades-list
   */
  async tradesFromId(list: BinanceTradeList, symbol: string, fromId: number, limit: number = binanceRestCapabilities.maxTradesPerRequest): Promise<TradeEvent[]> {
    if (!(Number.isSafeInteger(fromId) && fromId >= 0)) throw new BadInputError(`${list}: fromId ${fromId} is not a whole number ≥ 0`);
    if (!(Number.isInteger(limit) && limit >= 1 && limit <= binanceRestCapabilities.maxTradesPerRequest)) {
      throw new BadInputError(`${list}: limit ${limit} is outside 1..${binanceRestCapabilities.maxTradesPerRequest}`);
    }
    const params = { symbol, fromId: String(fromId), limit: String(limit) };
    const { body, receivedAt } = await this.get(`/api/v3/${list}`, params, binanceRestCapabilities.weights[list]);
    const events = list === 'historicalTrades' ? mapHistoricalTrades(body, symbol, receivedAt) : mapAggTradesPage(body, symbol, receivedAt);
    const first = events[0];
    if (first && Number(first.tradeId) < fromId) throw new UpstreamError(`${list} ${symbol}: asked from id ${fromId}, got ${first.tradeId} first`);
    return events;
  }

  private async klinesPage(query: KlinesQuery): Promise<{ columns: CandleColumns; serverDate: number | null }> {
    const { symbol, interval, startTime, endTime, limit } = query;
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= binanceRestCapabilities.maxKlinesPerRequest)) {
      throw new BadInputError(`klines: limit ${limit} is outside 1..${binanceRestCapabilities.maxKlinesPerRequest}`);
    }
    const params: Record<string, string> = { symbol, interval };
    if (startTime !== undefined) params.startTime = String(startTime);
    if (endTime !== undefined) params.endTime = String(endTime);
    if (limit !== undefined) params.limit = String(limit);
    const { body, serverDate } = await this.get('/api/v3/klines', params, binanceRestCapabilities.weights.klines);
    const columns = parseKlineRows(body, isInterval(interval) ? { interval } : {});
    return { columns, serverDate };
  }

  /** GET with governor, retries and error classing; returns the parsed JSON body. */
  private async get(path: string, params: Record<string, string>, weight: number): Promise<Fetched> {
    const url = `${this.baseUrl}${path}${Object.keys(params).length > 0 ? `?${new URLSearchParams(params)}` : ''}`;
    const { fetch: fetchFn, sleep, maxAttempts, backoffBaseMs, backoffCapMs, timeoutMs } = this.http;
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      const permit = await this.governor.acquire(weight);
      let res: Response;
      try {
        res = await fetchFn(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        permit.cancel();
        lastError = new UpstreamError(`GET ${url}: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
        if (attempt < maxAttempts) await sleep(backoffMs(attempt, backoffBaseMs, backoffCapMs));
        continue;
      }
      permit.settle(res);
      if (res.status === 429 || res.status === 418) {
        // The governor now holds every caller until Retry-After has passed; the next acquire waits.
        const retryAfterMs = parseRetryAfter(res.headers.get('retry-after'), Date.now()) ?? 0;
        await res.body?.cancel();
        lastError = new RateLimitError(res.status, retryAfterMs, url);
        this.onRateLimit?.(`${lastError.message}; every Binance request waits until then (attempt ${attempt} of ${maxAttempts})`);
        continue;
      }
      if (res.status >= 500) {
        await res.body?.cancel();
        lastError = new UpstreamError(`GET ${url}: HTTP ${res.status} (outcome unknown upstream)`, res.status);
        if (attempt < maxAttempts) await sleep(backoffMs(attempt, backoffBaseMs, backoffCapMs));
        continue;
      }
      // The body is read inside the loop: a connection reset mid-body is retried like one before it.
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        lastError = new UpstreamError(`GET ${url}: body cut off: ${err instanceof Error ? err.message : String(err)}`, res.status, { cause: err });
        if (attempt < maxAttempts) await sleep(backoffMs(attempt, backoffBaseMs, backoffCapMs));
        continue;
      }
      const receivedAt = this.serverClock?.local() ?? Date.now();
      const serverDate = httpDateMs(res.headers.get('date'));
      if (serverDate !== null) this.serverClock?.observe(serverDate, receivedAt);
      if (res.status >= 400) throw new BadInputError(`GET ${url}: HTTP ${res.status} ${describeErrorBody(text)}`);
      return { body: parseJsonBody(text, `GET ${url}`, res.status), serverDate, receivedAt };
    }
    throw lastError ?? new UpstreamError(`GET ${url}: no attempt made`);
  }
}

function describeErrorBody(text: string): string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return JSON.stringify(text.slice(0, 200));
  }
  const parsed = errorBodySchema.safeParse(json);
  return parsed.success ? `Binance error ${parsed.data.code}: ${parsed.data.msg}` : JSON.stringify(text.slice(0, 200));
}
