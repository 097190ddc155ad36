/**
 * One row per symbol of the universe for the dashboard's table: the last price, the change over
 * 24 h, RSI(14) and the TD setup counts at the chosen interval (1h by default), computed from the
 * last {@link SUMMARY_BARS} stored bars (a warm-up long enough for Wilder's RSI to settle: its
 * weight of the seed falls under 1e-6 after ~200 bars). Symbols with no stored bars show nulls.
 */
import { intervalMs, type Interval } from '../core/intervals.js';
import { incrementDecimals } from '../core/instrument.js';
import { rsi } from '../indicators/rsi.js';
import { tdSetup } from '../indicators/td-setup.js';
import { utcDate } from '../core/time.js';
import type { Store } from '../store/store.js';

export const SUMMARY_BARS = 300;

export interface UniverseRow {
  symbol: string;
  rank: number | null;
  last: number | null;
  /** Percent change of the last close against the close 24 h of bars earlier. */
  change24h: number | null;
  rsi14: number | null;
  td: { buySetup: number; sellSetup: number } | null;
  priceDecimals: number | null;
}

/** Days back a missing snapshot is looked for: `up` saves one a day, and a day may pass before the next. */
const SNAPSHOT_LOOKBACK_DAYS = 7;

/**
 * The followed symbols on `date`: those of the newest snapshot on or up to a week before it, the
 * ranked ones by rank, then its hand-added ones and the configured `manual` ones (rank null).
 */
export async function universeSymbols(store: Store, exchange: string, manual: readonly string[], date: string): Promise<Array<{ symbol: string; rank: number | null }>> {
  let snapshot = null;
  for (let back = 0; snapshot === null && back <= SNAPSHOT_LOOKBACK_DAYS; back++) {
    snapshot = await store.getUniverse(exchange, utcDate(Date.parse(`${date}T00:00:00Z`) - back * 86_400_000));
  }
  const entries = [...(snapshot?.entries ?? [])].sort((a, b) => a.rank - b.rank);
  const symbols: Array<{ symbol: string; rank: number | null }> = [];
  for (const e of entries) if (e.symbol !== null && !e.manual) symbols.push({ symbol: e.symbol, rank: e.rank });
  const added = [...entries.filter((e) => e.manual).map((e) => e.symbol), ...manual];
  for (const s of added) if (s !== null && !symbols.some((x) => x.symbol === s)) symbols.push({ symbol: s, rank: null });
  return symbols;
}

/** Symbols by rank (the day's snapshot, then the hand-added ones), with their figures. */
export async function universeRows(store: Store, exchange: string, symbols: ReadonlyArray<{ symbol: string; rank: number | null }>, interval: Interval, now: number): Promise<UniverseRow[]> {
  const instruments = new Map((await store.listInstruments(exchange)).map((i) => [i.symbol, i]));
  const len = intervalMs(interval);
  const rows: UniverseRow[] = [];
  for (const { symbol, rank } of symbols) {
    const bars = await store.aggregateCandles(exchange, symbol, interval, now - SUMMARY_BARS * len, now);
    const n = bars.length;
    const last = n === 0 ? null : (bars.close[n - 1] as number);
    const dayAgo = n === 0 ? -1 : findOpen(bars.openTime, (bars.openTime[n - 1] as number) - 86_400_000);
    const before = dayAgo < 0 ? null : (bars.close[dayAgo] as number);
    const r = n > 14 ? (rsi(bars.close, 14)[n - 1] as number) : NaN;
    const td = n > 5 ? (tdSetup(bars.close)[n - 1] as number) : NaN;
    rows.push({
      symbol,
      rank,
      last,
      change24h: last === null || before === null || before === 0 ? null : ((last - before) / before) * 100,
      rsi14: Number.isFinite(r) ? r : null,
      td: Number.isFinite(td) ? { buySetup: td < 0 ? -td : 0, sellSetup: td > 0 ? td : 0 } : null,
      priceDecimals: incrementDecimals(instruments.get(symbol)?.tickSize) ?? null,
    });
  }
  return rows;
}

/** Index of the bar opening at `t` (ascending open times), or −1. */
function findOpen(openTime: Float64Array, t: number): number {
  let lo = 0;
  let hi = openTime.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = openTime[mid] as number;
    if (v === t) return mid;
    if (v < t) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
