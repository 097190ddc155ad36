/**
 * What `tickerflow gaps --list` (and the API's `/gaps/summary`) shows per symbol: how much of its
 * history is stored (coverage = stored candles / candles expected since its listing or --since,
 * up to the last closed one), its first and last candle, and the ledger's gaps still open or
 * unrepairable, by kind. Reads the store only.
 */
import { floorToInterval, intervalMs, type Interval } from '../core/intervals.js';
import type { Gap, GapKind, Store } from '../store/store.js';

export interface GapTally {
  gaps: number;
  candles: number;
}

export interface GapListRow {
  symbol: string;
  /** Listing time or --since, whichever is later; null when the store does not know the listing yet. */
  start: number | null;
  first: number | null;
  last: number | null;
  /** Stored candles in [start, end). */
  stored: number;
  /** Candles in [start, end), end being the open time of the forming candle. */
  expected: number;
  open: Partial<Record<GapKind, GapTally>>;
  unrepairable: Partial<Record<GapKind, GapTally>>;
}

function tally(gaps: readonly Gap[], len: number): Partial<Record<GapKind, GapTally>> {
  const out: Partial<Record<GapKind, GapTally>> = {};
  for (const g of gaps) {
    const t = (out[g.kind] ??= { gaps: 0, candles: 0 });
    t.gaps++;
    t.candles += (g.to - g.from) / len + 1;
  }
  return out;
}

/** Gathers one row per symbol from the store. */
export async function gapListRows(
  store: Store, exchange: string, symbols: readonly string[], interval: Interval, since: number | undefined, now: number,
): Promise<GapListRow[]> {
  const len = intervalMs(interval);
  const end = floorToInterval(now, interval);
  const listed = new Map((await store.listInstruments(exchange)).map((i) => [i.symbol, i.listedAt]));
  const rows: GapListRow[] = [];
  for (const symbol of symbols) {
    const series = { exchange, symbol, interval };
    const listedAt = listed.get(symbol) ?? null;
    const start = listedAt === null ? null : Math.max(listedAt, since === undefined ? listedAt : floorToInterval(since, interval));
    const stats = await store.seriesStats(series);
    let stored = 0;
    let expected = 0;
    if (start !== null && start < end) {
      const bySource = await store.countBySource(series, start, end);
      stored = bySource.archive + bySource.rest + bySource.stream;
      expected = (end - start) / len;
    }
    const gaps = (await store.listGaps({ exchange, symbol })).filter((g) => g.interval === interval);
    rows.push({
      symbol, start, first: stats?.first ?? null, last: stats?.last ?? null, stored, expected,
      open: tally(gaps.filter((g) => g.status === 'open'), len),
      unrepairable: tally(gaps.filter((g) => g.status === 'unrepairable'), len),
    });
  }
  return rows;
}
