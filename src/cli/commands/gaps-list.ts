/**
 * `tickerflow gaps --list`: per symbol, how much of its history is stored (coverage = stored
 * candles / candles expected since its listing or --since, up to the last closed one), its first
 * and last candle, and the ledger's gaps still open or unrepairable, by kind. Reads the store only.
 */
import { floorToInterval, intervalMs, type Interval } from '../../core/intervals.js';
import type { Gap, GapKind, Store } from '../../store/store.js';
import { isoMinute } from '../text-table.js';

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

function kinds(t: Partial<Record<GapKind, GapTally>>): string {
  const parts = Object.entries(t).map(([kind, v]) => `${kind} ${v.gaps} (${v.candles} candles)`);
  return parts.length === 0 ? '-' : parts.join(', ');
}

/**
 * Coverage with one decimal, never rounded up to 100.0 % while a candle is missing nor down to
 * 0.0 % while one is stored, so "complete" and "empty" are never claimed falsely.
 */
export function coverageCell(stored: number, expected: number): string {
  if (expected === 0) return '-';
  const pct = (100 * stored) / expected;
  const shown = stored < expected ? Math.min(Math.floor(pct * 10) / 10, 99.9) : Math.round(pct * 10) / 10;
  return `${(stored > 0 ? Math.max(shown, 0.1) : shown).toFixed(1)} %`;
}

const HEADER = ['symbol', 'since', 'first', 'last', 'stored', 'expected', 'coverage', 'open gaps', 'unrepairable'] as const;
/** Counts and coverage right-aligned, times and text left-aligned. */
const RIGHT = new Set(['stored', 'expected', 'coverage']);

/** The table `gaps --list` prints. */
export function formatGapList(rows: readonly GapListRow[]): string {
  if (rows.length === 0) return 'no symbols\n';
  const t = (ms: number | null): string => (ms === null ? '-' : isoMinute(ms));
  const cells = rows.map((r) => [
    r.symbol, r.start === null ? 'listing unknown' : t(r.start), t(r.first), t(r.last), String(r.stored), String(r.expected),
    coverageCell(r.stored, r.expected), kinds(r.open), kinds(r.unrepairable),
  ]);
  // A loop, not a spread: a universe of many symbols stays far from any argument limit.
  const widths = HEADER.map((h) => h.length);
  for (const row of cells) row.forEach((c, j) => { widths[j] = Math.max(widths[j] as number, c.length); });
  const line = (row: readonly string[]): string =>
    row.map((c, j) => (RIGHT.has(HEADER[j] as string) ? c.padStart(widths[j] as number) : c.padEnd(widths[j] as number))).join('  ').trimEnd();
  return `${[line(HEADER), ...cells.map(line)].join('\n')}\n`;
}
