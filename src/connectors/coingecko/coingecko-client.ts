/**
 * CoinGecko REST client: the market-cap ranking that selects the universe.
 * @see https://docs.coingecko.com/reference/coins-markets
 * @see https://docs.coingecko.com/docs/common-errors-rate-limit
 *
 * The free/demo rate limit has been published as 10–30, ~30 and 100 calls/min, and failed calls
 * count too, so the client paces itself (default 30/min) instead of relying on 429s, and backs
 * off on a 429 (Retry-After when sent, capped exponential otherwise).
 */
import { BadInputError, ConfigError, RateLimitError, UpstreamError } from '../../core/errors.js';
import { backoffMs, parseJsonBody, parseRetryAfter, resolveHttpRetry, type HttpRetryDefaults, type HttpRetryOptions, type HttpRetrySettings } from '../http/index.js';
import { parseCoinsMarkets, type CoinMarket } from './coins-markets.js';

/** CoinGecko caps `per_page` at 250. */
export const COINGECKO_MAX_PER_PAGE = 250;

/**
 * The shared HTTP retry options (`HttpRetryOptions`) with CoinGecko's defaults: 5 attempts,
 * back-off on a 429 without Retry-After, a 5xx or a network failure from 2 s doubling to 60 s,
 * a 15 s per-request timeout, and `Date.now` as the clock.
 */
export interface CoinGeckoClientOptions extends HttpRetryOptions {
  /** Default `https://api.coingecko.com/api/v3` (keyless or demo key). */
  baseUrl?: string;
  /** Demo API key, sent as `x-cg-demo-api-key`; never logged or put in a URL or an error message. */
  apiKey?: string;
  /** Client-side pace. Default 30 calls per minute. */
  callsPerMinute?: number;
}

const RETRY_DEFAULTS: HttpRetryDefaults = { maxAttempts: 5, backoffBaseMs: 2_000, backoffCapMs: 60_000, timeoutMs: 15_000 };

export interface CoinsMarketsQuery {
  vsCurrency: string;
  /** 1-based. */
  page?: number;
  /** 1…250. */
  perPage?: number;
  order?: 'market_cap_desc' | 'market_cap_asc' | 'volume_desc' | 'volume_asc' | 'id_asc' | 'id_desc';
}

export interface CoinGeckoClientStats {
  requests: number;
  rateLimited429: number;
  waitedMs: number;
}

/** Reads CoinGecko `/coins/markets`, paced and with 429 back-off. */
export class CoinGeckoClient {
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  private readonly spacingMs: number;
  private readonly now: () => number;
  private readonly http: HttpRetrySettings;
  private nextSlot = 0;
  private readonly counters: CoinGeckoClientStats = { requests: 0, rateLimited429: 0, waitedMs: 0 };

  constructor(options: CoinGeckoClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? 'https://api.coingecko.com/api/v3').replace(/\/+$/, '');
    this.#apiKey = options.apiKey === '' ? undefined : options.apiKey;
    const cpm = options.callsPerMinute ?? 30;
    if (!(cpm > 0)) throw new ConfigError(`coingecko: callsPerMinute ${cpm} must be positive`);
    this.spacingMs = 60_000 / cpm;
    this.now = options.now ?? Date.now;
    this.http = resolveHttpRetry(options, RETRY_DEFAULTS);
  }

  /**
   * The top `n` coins by market cap in `vsCurrency`, in as few pages as `per_page ≤ 250` allows,
   * de-duplicated by id (rankings can shift between page requests).
   * @see https://docs.coingecko.com/reference/coins-markets
   */
  async topByMarketCap(n: number, vsCurrency = 'usd'): Promise<CoinMarket[]> {
    if (!Number.isInteger(n) || n < 1) throw new BadInputError(`coingecko: top-N count ${n} must be a positive integer`);
    const pages = Math.ceil(n / COINGECKO_MAX_PER_PAGE);
    const perPage = Math.ceil(n / pages);
    const seen = new Set<string>();
    const out: CoinMarket[] = [];
    for (let page = 1; page <= pages && out.length < n; page++) {
      const coins = await this.coinsMarkets({ vsCurrency, page, perPage, order: 'market_cap_desc' });
      for (const c of coins) {
        if (seen.has(c.id)) continue;
        seen.add(c.id);
        out.push(c);
      }
      if (coins.length < perPage) break;
    }
    return out.slice(0, n);
  }

  /**
   * One page of `/coins/markets`.
   * @see https://docs.coingecko.com/reference/coins-markets
   */
  async coinsMarkets(query: CoinsMarketsQuery): Promise<CoinMarket[]> {
    const perPage = query.perPage ?? 100;
    const page = query.page ?? 1;
    if (!Number.isInteger(perPage) || perPage < 1 || perPage > COINGECKO_MAX_PER_PAGE) {
      throw new BadInputError(`coingecko: per_page ${perPage} is outside 1..${COINGECKO_MAX_PER_PAGE}`);
    }
    if (!Number.isInteger(page) || page < 1) throw new BadInputError(`coingecko: page ${page} must be a positive integer`);
    const params = new URLSearchParams({
      vs_currency: query.vsCurrency,
      order: query.order ?? 'market_cap_desc',
      per_page: String(perPage),
      page: String(page),
      sparkline: 'false',
    });
    return parseCoinsMarkets(await this.get(`/coins/markets?${params}`));
  }

  stats(): CoinGeckoClientStats {
    return { ...this.counters };
  }

  private async get(pathAndQuery: string): Promise<unknown> {
    const url = `${this.baseUrl}${pathAndQuery}`;
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.#apiKey !== undefined) headers['x-cg-demo-api-key'] = this.#apiKey;
    const { fetch: fetchFn, maxAttempts, backoffBaseMs, backoffCapMs, timeoutMs } = this.http;
    let lastError: Error | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      await this.pace();
      this.counters.requests++;
      let res: Response;
      try {
        res = await fetchFn(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
      } catch (err) {
        lastError = new UpstreamError(`GET ${url}: ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
        if (attempt < maxAttempts) await this.wait(backoffMs(attempt, backoffBaseMs, backoffCapMs));
        continue;
      }
      if (res.status === 429 || res.status >= 500) {
        await res.body?.cancel();
        const retryAfter = res.status === 429 ? parseRetryAfter(res.headers.get('retry-after'), this.now()) : null;
        const waitMs = retryAfter ?? backoffMs(attempt, backoffBaseMs, backoffCapMs);
        if (res.status === 429) {
          this.counters.rateLimited429++;
          lastError = new RateLimitError(429, waitMs, url);
        } else {
          lastError = new UpstreamError(`GET ${url}: HTTP ${res.status}`, res.status);
        }
        if (attempt < maxAttempts) await this.wait(waitMs);
        continue;
      }
      const text = await res.text();
      if (res.status === 401 || res.status === 403) {
        throw new ConfigError(`GET ${url}: HTTP ${res.status}; check the CoinGecko API key and that it matches the host (demo keys go to api.coingecko.com)`);
      }
      if (res.status >= 400) throw new BadInputError(`GET ${url}: HTTP ${res.status} ${JSON.stringify(this.redact(text.slice(0, 200)))}`);
      return parseJsonBody(text, `GET ${url}`, res.status);
    }
    throw lastError ?? new UpstreamError(`GET ${url}: no attempt made`);
  }

  /** Holds each call until its slot; slots are reserved before waiting, so concurrent callers queue. */
  private async pace(): Promise<void> {
    const t = this.now();
    const slot = Math.max(t, this.nextSlot);
    this.nextSlot = slot + this.spacingMs;
    if (slot > t) await this.wait(slot - t);
  }

  private async wait(ms: number): Promise<void> {
    this.counters.waitedMs += ms;
    await this.http.sleep(ms);
  }

  private redact(text: string): string {
    return this.#apiKey === undefined ? text : text.split(this.#apiKey).join('***');
  }
}
