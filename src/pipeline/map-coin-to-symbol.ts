/**
 * Maps a coin (CoinGecko symbol such as "btc") to a trading spot pair on the exchange, trying
 * quote assets in the configured order. A coin that is itself a quote asset is paired with the
 * next quote in the list (e.g. USDC → USDCUSDT); a pair of an asset with itself never exists.
 */
import type { Instrument } from '../core/instrument.js';

export function mapCoinToSymbol(coinSymbol: string, instruments: ReadonlyMap<string, Instrument>, quotePreference: readonly string[]): string | null {
  const base = coinSymbol.toUpperCase();
  for (const quote of quotePreference) {
    if (quote === base) continue;
    const inst = instruments.get(base + quote);
    if (inst !== undefined && inst.status === 'TRADING' && inst.base === base && inst.quote === quote) return inst.symbol;
  }
  return null;
}
