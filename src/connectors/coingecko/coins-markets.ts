/**
 * Pure parser for CoinGecko `GET /api/v3/coins/markets` responses.
 * @see https://docs.coingecko.com/reference/coins-markets
 *
 * Many numeric fields are `null` for some coins (no max supply, no FDV, a coin too new for 24 h
 * figures), and `roi` is either `null` or `{times, currency, percentage}`. Ranks are not guaranteed
 * contiguous (the recorded 2023-07-28 top 250 skips rank 250 and ends at 251).
 */
import { z } from 'zod';
import { BadInputError } from '../../core/errors.js';

const num = z.number();
const nullableNum = z.number().nullable();

const roiSchema = z.object({ times: num, currency: z.string(), percentage: num });

const coinMarketSchema = z.object({
  id: z.string().min(1),
  symbol: z.string().min(1),
  name: z.string(),
  image: z.string().nullable().optional(),
  current_price: nullableNum,
  market_cap: nullableNum,
  market_cap_rank: z.number().int().positive().nullable(),
  fully_diluted_valuation: nullableNum.optional(),
  total_volume: nullableNum,
  high_24h: nullableNum.optional(),
  low_24h: nullableNum.optional(),
  price_change_24h: nullableNum.optional(),
  price_change_percentage_24h: nullableNum.optional(),
  market_cap_change_24h: nullableNum.optional(),
  market_cap_change_percentage_24h: nullableNum.optional(),
  circulating_supply: nullableNum.optional(),
  total_supply: nullableNum.optional(),
  max_supply: nullableNum.optional(),
  ath: nullableNum.optional(),
  ath_change_percentage: nullableNum.optional(),
  ath_date: z.string().nullable().optional(),
  atl: nullableNum.optional(),
  atl_change_percentage: nullableNum.optional(),
  atl_date: z.string().nullable().optional(),
  roi: roiSchema.nullable().optional(),
  last_updated: z.string().nullable().optional(),
});

const coinsMarketsSchema = z.array(coinMarketSchema);

/** One coin of a markets response, with CoinGecko's field names converted to camelCase. */
export interface CoinMarket {
  id: string;
  /** CoinGecko's lower-case ticker, e.g. `btc`; not unique across coins. */
  symbol: string;
  name: string;
  currentPrice: number | null;
  marketCap: number | null;
  marketCapRank: number | null;
  fullyDilutedValuation: number | null;
  totalVolume: number | null;
  high24h: number | null;
  low24h: number | null;
  priceChangePercentage24h: number | null;
  circulatingSupply: number | null;
  totalSupply: number | null;
  maxSupply: number | null;
  roi: { times: number; currency: string; percentage: number } | null;
  /** Epoch ms, or null when absent or unreadable. */
  lastUpdated: number | null;
}

/** Parses a markets body (already `JSON.parse`d); throws `BadInputError` naming the index and field of the first bad value. */
export function parseCoinsMarkets(body: unknown): CoinMarket[] {
  const parsed = coinsMarketsSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : ` at ${issue.path.join('.') || '(root)'}: ${issue.message}`;
    throw new BadInputError(`coins/markets: malformed response${where}`, { cause: parsed.error });
  }
  return parsed.data.map((c) => {
    const updated = c.last_updated == null ? Number.NaN : Date.parse(c.last_updated);
    return {
      id: c.id,
      symbol: c.symbol,
      name: c.name,
      currentPrice: c.current_price,
      marketCap: c.market_cap,
      marketCapRank: c.market_cap_rank,
      fullyDilutedValuation: c.fully_diluted_valuation ?? null,
      totalVolume: c.total_volume,
      high24h: c.high_24h ?? null,
      low24h: c.low_24h ?? null,
      priceChangePercentage24h: c.price_change_percentage_24h ?? null,
      circulatingSupply: c.circulating_supply ?? null,
      totalSupply: c.total_supply ?? null,
      maxSupply: c.max_supply ?? null,
      roi: c.roi ?? null,
      lastUpdated: Number.isNaN(updated) ? null : updated,
    };
  });
}
