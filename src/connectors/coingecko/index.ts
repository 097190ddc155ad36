// coingecko connector: /coins/markets over HTTP (paced, 429 back-off), its pure parser, and the coin → Binance spot pair mapping. Must not write to the store or the bus.
export { CoinGeckoClient, COINGECKO_MAX_PER_PAGE, type CoinGeckoClientOptions, type CoinGeckoClientStats, type CoinsMarketsQuery } from './coingecko-client.js';
export { parseCoinsMarkets, type CoinMarket } from './coins-markets.js';
export {
  mapCoinsToBinance,
  DEFAULT_QUOTE_PREFERENCE,
  type MappedCoin,
  type SpotSymbolLike,
  type SymbolMapping,
  type SymbolMappingOptions,
  type UnmappedCoin,
  type UnmappedReason,
} from './symbol-mapping.js';
