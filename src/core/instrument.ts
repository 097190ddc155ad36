/** Tradable instruments and universe snapshots. */

export type InstrumentStatus = 'TRADING' | 'HALT' | 'BREAK' | 'DELISTED' | string;

export interface Instrument {
  exchange: string;
  symbol: string;
  base: string;
  quote: string;
  status: InstrumentStatus;
  /** Open time (epoch ms) of the first candle the exchange has, once known. */
  listedAt: number | null;
  /** Price increment as the exchange writes it (Binance PRICE_FILTER tickSize, e.g. "0.01000000"), when known. */
  tickSize?: string | null;
  /** Quantity increment as the exchange writes it (Binance LOT_SIZE stepSize), when known. */
  stepSize?: string | null;
}

/** One coin of a dated top-N snapshot, with the exchange symbol it was mapped to (if any). */
export interface UniverseEntry {
  rank: number;
  coingeckoId: string;
  coinSymbol: string;
  marketCap: number | null;
  volume: number | null;
  /** Mapped exchange symbol, e.g. BTCUSDT; null when the coin has no pair on the exchange. */
  symbol: string | null;
  /** True for a symbol the user added by hand rather than selected by rank. */
  manual: boolean;
}

export interface UniverseSnapshot {
  /** UTC date YYYY-MM-DD the snapshot stands for. */
  date: string;
  exchange: string;
  entries: UniverseEntry[];
}

/** A series of candles: one instrument at one interval. */
export interface SeriesKey {
  exchange: string;
  symbol: string;
  interval: import('./intervals.js').Interval;
}

/** Decimals of an exchange increment as the exchange writes it: "0.01000000" → 2, "1.00000000" → 0; undefined for anything else. */
export function incrementDecimals(step: string | null | undefined): number | undefined {
  if (step === null || step === undefined) return undefined;
  const m = /^\d+(?:\.(\d*?)0*)?$/.exec(step.trim());
  if (m === null || !(Number(step) > 0)) return undefined;
  return (m[1] ?? '').length;
}
