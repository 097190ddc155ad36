// binance connector (spot REST): exchangeInfo and klines over HTTP, pure parsers, the process-wide weight governor and the one shared across processes through a ledger. Must not write to the store or the bus.
export { BinanceRestClient, type BinanceRestClientOptions, type KlinesQuery } from './binance-rest-client.js';
export {
  binanceRestCapabilities,
  BINANCE_REST_INTERVALS,
  isBinanceRestInterval,
  archiveIntervalName,
  restIntervalName,
  type BinanceRestInterval,
} from './capabilities.js';
export { parseExchangeInfo, requestWeightPerMinute, toInstrument, type ExchangeInfo, type ExchangeSymbol, type RateLimit } from './exchange-info.js';
export { parseKlineRows, type KlineRowsOptions } from './kline-rows.js';
export {
  RateGovernor,
  createRateGovernor,
  defaultRateGovernor,
  DEFAULT_WEIGHT_PER_MINUTE,
  type RateGovernorOptions,
  type RateGovernorStats,
  type ResponseLike,
  type WeightGovernor,
  type WeightPermit,
} from './rate-governor.js';
export { SharedRateGovernor, BINANCE_WEIGHT_SCOPE, type SharedRateGovernorOptions, type SharedRateGovernorStats } from './shared-rate-governor.js';
