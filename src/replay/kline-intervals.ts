/**
 * The kline intervals the replay answers for, as Binance documents them (its own list, not the
 * client's capabilities: a client that forgot one must see the exchange accept it).
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/enums#kline-chart-intervals
 */
export const KLINE_INTERVALS = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1M'] as const;
export type KlineInterval = (typeof KLINE_INTERVALS)[number];

export function isKlineInterval(s: string): s is KlineInterval {
  return (KLINE_INTERVALS as readonly string[]).includes(s);
}

/** The archive's folder name for an interval: `1mo` where REST says `1M` (binance-public-data). */
export function archiveFolder(interval: KlineInterval): string {
  return interval === '1M' ? '1mo' : interval;
}
