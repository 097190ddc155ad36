/**
 * `tickerflow gaps --list`: the table of pipeline/gap-list-rows.ts — per symbol, how much of its
 * history is stored, its first and last candle, and the ledger's gaps still open or unrepairable.
 */
import type { GapKind } from '../../store/store.js';
import type { GapListRow, GapTally } from '../../pipeline/gap-list-rows.js';
import { isoMinute } from '../text-table.js';

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
