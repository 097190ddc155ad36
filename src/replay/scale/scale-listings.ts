/**
 * How the derived symbols of a scale archive appear to the universe job: an exchangeInfo entry
 * each (a copy of the recorded 2021 entry of the symbol its rows come from, renamed, with the
 * tick and step sizes of the rows' own decimals), and a CoinGecko `/coins/markets` coin each,
 * ranked above every recorded coin so that `top = N` picks exactly the N derived coins. Both are
 * computed, not recorded: the coins say `(derived)` in their name.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/general-endpoints#exchange-information
 * @see https://docs.coingecko.com/reference/coins-markets
 */
import { BadInputError } from '../../core/errors.js';
import type { Coin } from '../coingecko-routes.js';
import type { SymbolEntry } from '../exchange-info-doc.js';
import type { DerivedSeries } from './derived-series.js';
import { scaleSymbol } from './scale-layout.js';

function step(decimals: number): string {
  return decimals === 0 ? '1.00000000' : (10 ** -decimals).toFixed(8);
}

/** One exchangeInfo entry per derived symbol, after the recorded `recorded` entries. */
export function derivedSymbolEntries(series: DerivedSeries, recorded: readonly SymbolEntry[]): SymbolEntry[] {
  const out: SymbolEntry[] = [];
  for (let i = 0; i < series.spec.symbols; i++) {
    const src = series.sourceOf(i);
    const realSymbol = src.name.split(' ')[0] as string;
    const template = recorded.find((e) => e.symbol === realSymbol);
    if (!template) throw new BadInputError(`exchangeInfo has no ${realSymbol} entry to derive ${scaleSymbol(i)} from`);
    const symbol = scaleSymbol(i);
    const filters = Array.isArray(template.filters) ? (template.filters as Record<string, unknown>[]) : [];
    out.push({
      ...template,
      symbol,
      status: 'TRADING',
      baseAsset: symbol.slice(0, -4),
      quoteAsset: 'USDT',
      filters: filters.map((f) =>
        f.filterType === 'PRICE_FILTER'
          ? { ...f, tickSize: step(src.priceDecimals) }
          : f.filterType === 'LOT_SIZE'
            ? { ...f, stepSize: step(src.volumeDecimals) }
            : f,
      ),
    });
  }
  return out;
}

/** The derived coins, to put before the recorded ones of every vs_currency. */
export function derivedCoins(series: DerivedSeries, recorded: readonly Coin[], lastUpdated: number): Coin[] {
  let top = 0;
  for (const c of recorded) top = Math.max(top, c.market_cap ?? 0);
  const out: Coin[] = [];
  for (let i = 0; i < series.spec.symbols; i++) {
    const base = scaleSymbol(i).slice(0, -4);
    const marketCap = Math.round(top * 2) - i * 1_000_000;
    const totalVolume = Math.round(marketCap / 20);
    const json = JSON.stringify({
      id: base.toLowerCase(),
      symbol: base.toLowerCase(),
      name: `${base} (derived from ${series.sourceOf(i).name})`,
      image: null,
      current_price: null,
      market_cap: marketCap,
      market_cap_rank: i + 1,
      total_volume: totalVolume,
      last_updated: new Date(lastUpdated).toISOString(),
    });
    out.push({ id: base.toLowerCase(), market_cap: marketCap, total_volume: totalVolume, json });
  }
  return out;
}
