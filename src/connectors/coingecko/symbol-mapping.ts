/**
 * Maps CoinGecko coins to Binance spot pairs (pure).
 * @see https://docs.coingecko.com/reference/coins-markets
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/general-endpoints#exchange-information
 *
 * The rule, in order, for each coin (in the order given, i.e. by market cap):
 * 1. base asset = `baseOverrides[coin.id]` if set, else the CoinGecko symbol upper-cased;
 * 2. take the first quote of `quotePreference` for which `<BASE><QUOTE>` is a TRADING spot symbol,
 *    never pairing an asset with itself (tether's `USDT` skips `USDT` and tries the other quotes;
 *    a stablecoin that trades against another quote, e.g. USDCUSDT, maps like any coin);
 * 3. a pair already given to a higher-ranked coin is not given again (CoinGecko tickers are not unique).
 * Coins that end without a pair are returned too, each with the reason.
 */
import type { UniverseEntry } from '../../core/instrument.js';
import type { CoinMarket } from './coins-markets.js';

export const DEFAULT_QUOTE_PREFERENCE = ['USDT', 'FDUSD', 'USDC', 'BUSD', 'BTC'] as const;

/** The part of a Binance `exchangeInfo` symbol the mapping reads (an `ExchangeSymbol` fits). */
export interface SpotSymbolLike {
  symbol: string;
  status: string;
  baseAsset: string;
  quoteAsset: string;
  /** When present and false, the symbol is not a spot market and is ignored. */
  spot?: boolean;
}

export interface SymbolMappingOptions {
  /** Quotes in order of preference. Default USDT, FDUSD, USDC, BUSD, BTC. */
  quotePreference?: readonly string[];
  /** CoinGecko id → Binance base asset, for coins whose tickers differ (e.g. `iota` is `MIOTA` on CoinGecko, `IOTA` on Binance). */
  baseOverrides?: Readonly<Record<string, string>>;
}

export type UnmappedReason =
  /** The base trades on Binance, but against none of the preferred quotes. */
  | 'no-preferred-quote'
  /** Binance lists pairs with this base, but none is TRADING (all HALT/BREAK). */
  | 'not-trading'
  /** Binance lists no pair with this base at all. */
  | 'not-listed'
  /** The pair went to a higher-ranked coin with the same ticker. */
  | 'symbol-taken';

type CoinRef = Pick<CoinMarket, 'id' | 'symbol' | 'marketCapRank' | 'marketCap' | 'totalVolume'>;

export interface MappedCoin {
  coin: CoinRef;
  symbol: string;
  base: string;
  quote: string;
}

export interface UnmappedCoin {
  coin: CoinRef;
  base: string;
  reason: UnmappedReason;
  detail: string;
}

export interface SymbolMapping {
  mapped: MappedCoin[];
  unmapped: UnmappedCoin[];
  /** Every coin in input order, as universe entries (`symbol` null when unmapped). */
  entries: UniverseEntry[];
}

/** Maps coins (market-cap order) to Binance spot symbols; see the module comment for the rule. */
export function mapCoinsToBinance(
  coins: readonly CoinRef[],
  symbols: readonly SpotSymbolLike[],
  options: SymbolMappingOptions = {},
): SymbolMapping {
  const preference = (options.quotePreference ?? DEFAULT_QUOTE_PREFERENCE).map((q) => q.toUpperCase());
  const overrides = options.baseOverrides ?? {};
  const byBase = new Map<string, SpotSymbolLike[]>();
  for (const s of symbols) {
    if (s.spot === false) continue;
    const list = byBase.get(s.baseAsset);
    if (list === undefined) byBase.set(s.baseAsset, [s]);
    else list.push(s);
  }
  const takenBy = new Map<string, string>();
  const result: SymbolMapping = { mapped: [], unmapped: [], entries: [] };
  coins.forEach((coin, index) => {
    const base = (overrides[coin.id] ?? coin.symbol).toUpperCase();
    const pairs = byBase.get(base) ?? [];
    const trading = pairs.filter((p) => p.status === 'TRADING');
    const pick = preference.filter((q) => q !== base).map((q) => trading.find((p) => p.quoteAsset === q)).find((p) => p !== undefined);
    let symbol: string | null = null;
    if (pick === undefined) {
      result.unmapped.push({ coin, base, ...whyNot(base, pairs, trading, preference) });
    } else if (takenBy.has(pick.symbol)) {
      result.unmapped.push({ coin, base, reason: 'symbol-taken', detail: `${pick.symbol} already maps ${takenBy.get(pick.symbol)}` });
    } else {
      takenBy.set(pick.symbol, coin.id);
      symbol = pick.symbol;
      result.mapped.push({ coin, symbol, base, quote: pick.quoteAsset });
    }
    result.entries.push({
      rank: coin.marketCapRank ?? index + 1,
      coingeckoId: coin.id,
      coinSymbol: coin.symbol,
      marketCap: coin.marketCap,
      volume: coin.totalVolume,
      symbol,
      manual: false,
    });
  });
  return result;
}

function whyNot(base: string, pairs: SpotSymbolLike[], trading: SpotSymbolLike[], preference: string[]): { reason: UnmappedReason; detail: string } {
  if (pairs.length === 0) return { reason: 'not-listed', detail: `no Binance spot symbol has base ${base}` };
  if (trading.length === 0) {
    return { reason: 'not-trading', detail: `${pairs.map((p) => `${p.symbol} ${p.status}`).slice(0, 5).join(', ')}` };
  }
  const quotes = trading.map((p) => p.quoteAsset);
  return {
    reason: 'no-preferred-quote',
    detail: `${base} trades against ${quotes.slice(0, 8).join(', ')}${quotes.length > 8 ? ', …' : ''}; preferred ${preference.filter((q) => q !== base).join(', ')}`,
  };
}
