/**
 * Pure parser for a Binance spot `GET /api/v3/exchangeInfo` response body.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/general-endpoints#exchange-information
 *
 * Only what tickerflow uses is kept: server time, the rate limits (the weight budget must come from
 * here, not a constant: it was 1,200/min before 2023-08-25 and 6,000/min after) and the symbol list.
 */
import { z } from 'zod';
import { BadInputError } from '../../core/errors.js';
import type { Instrument } from '../../core/instrument.js';

const rateLimitSchema = z.object({
  rateLimitType: z.string().min(1),
  interval: z.string().min(1),
  intervalNum: z.number().int().positive(),
  limit: z.number().int().nonnegative(),
});

const symbolSchema = z.object({
  symbol: z.string().min(1),
  status: z.string().min(1),
  baseAsset: z.string().min(1),
  quoteAsset: z.string().min(1),
  isSpotTradingAllowed: z.boolean().optional(),
  // Older responses carry `permissions`; since 2024 `permissionSets` (a list of alternatives) replaces it.
  permissions: z.array(z.string()).optional(),
  permissionSets: z.array(z.array(z.string())).optional(),
  // Only PRICE_FILTER.tickSize and LOT_SIZE.stepSize are read; other filters pass unchecked.
  filters: z.array(z.looseObject({ filterType: z.string(), tickSize: z.string().optional(), stepSize: z.string().optional() })).optional(),
});

/** An increment as Binance writes it ("0.01000000"): a positive decimal. */
const INCREMENT = /^(?=.*[1-9])\d+(\.\d+)?$/;

const exchangeInfoSchema = z.object({
  timezone: z.string().optional(),
  serverTime: z.number().int().nonnegative(),
  rateLimits: z.array(rateLimitSchema),
  symbols: z.array(symbolSchema),
});

/** One entry of `exchangeInfo.rateLimits`. */
export type RateLimit = z.infer<typeof rateLimitSchema>;

/** The instrument-like part of one `exchangeInfo.symbols` entry. */
export interface ExchangeSymbol {
  symbol: string;
  /** `TRADING`, `HALT` or `BREAK`. */
  status: string;
  baseAsset: string;
  quoteAsset: string;
  /** Every permission named in `permissions` or any of `permissionSets`, de-duplicated. */
  permissions: string[];
  /** The raw `permissionSets` when the response had them. */
  permissionSets: string[][] | undefined;
  /** True when the symbol trades on spot (`isSpotTradingAllowed`, else a `SPOT` permission). */
  spot: boolean;
  /** PRICE_FILTER tickSize as written (e.g. "0.01000000"), or null when the symbol has none. */
  tickSize: string | null;
  /** LOT_SIZE stepSize as written, or null when the symbol has none. */
  stepSize: string | null;
}

export interface ExchangeInfo {
  timezone: string | undefined;
  serverTime: number;
  rateLimits: RateLimit[];
  symbols: ExchangeSymbol[];
}

/** Parses an `exchangeInfo` body (already `JSON.parse`d); throws `BadInputError` naming the path of the first bad field. */
export function parseExchangeInfo(body: unknown): ExchangeInfo {
  const parsed = exchangeInfoSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    throw new BadInputError(`exchangeInfo: malformed response${where}`, { cause: parsed.error });
  }
  const { timezone, serverTime, rateLimits, symbols } = parsed.data;
  return {
    timezone,
    serverTime,
    rateLimits,
    symbols: symbols.map((s) => {
      const permissions = [...new Set([...(s.permissions ?? []), ...(s.permissionSets ?? []).flat()])];
      return {
        symbol: s.symbol,
        status: s.status,
        baseAsset: s.baseAsset,
        quoteAsset: s.quoteAsset,
        permissions,
        permissionSets: s.permissionSets,
        spot: s.isSpotTradingAllowed ?? permissions.includes('SPOT'),
        tickSize: increment(s.symbol, s.filters, 'PRICE_FILTER', 'tickSize'),
        stepSize: increment(s.symbol, s.filters, 'LOT_SIZE', 'stepSize'),
      };
    }),
  };
}

/** The `key` of the symbol's `filterType` filter; a present but malformed one is bad input. */
function increment(
  symbol: string,
  filters: ReadonlyArray<{ filterType: string; tickSize?: string | undefined; stepSize?: string | undefined }> | undefined,
  filterType: 'PRICE_FILTER' | 'LOT_SIZE',
  key: 'tickSize' | 'stepSize',
): string | null {
  const value = filters?.find((f) => f.filterType === filterType)?.[key];
  if (value === undefined) return null;
  if (!INCREMENT.test(value)) throw new BadInputError(`exchangeInfo: ${symbol} ${filterType}.${key} "${value}" is not a positive decimal`);
  return value;
}

const INTERVAL_MS: Record<string, number> = { SECOND: 1_000, MINUTE: 60_000, HOUR: 3_600_000, DAY: 86_400_000 };

/**
 * The REQUEST_WEIGHT budget per one-minute window, or null when the response states none.
 * Only a 1-minute window is used, because that is the window `X-MBX-USED-WEIGHT-1M` reports.
 */
export function requestWeightPerMinute(rateLimits: readonly RateLimit[]): number | null {
  const perMinute = rateLimits.filter(
    (r) => r.rateLimitType === 'REQUEST_WEIGHT' && INTERVAL_MS[r.interval] !== undefined && INTERVAL_MS[r.interval]! * r.intervalNum === 60_000,
  );
  if (perMinute.length === 0) return null;
  return Math.min(...perMinute.map((r) => r.limit));
}

/** The core `Instrument` for a Binance spot symbol (listing time unknown from exchangeInfo), with its tick and step sizes when listed. */
export function toInstrument(s: ExchangeSymbol): Instrument {
  return {
    exchange: 'binance', symbol: s.symbol, base: s.baseAsset, quote: s.quoteAsset, status: s.status, listedAt: null,
    ...(s.tickSize === null ? {} : { tickSize: s.tickSize }),
    ...(s.stepSize === null ? {} : { stepSize: s.stepSize }),
  };
}
