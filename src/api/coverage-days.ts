/**
 * The pipeline view's heat-map: per symbol and UTC day, the bars stored against the bars the day
 * holds (up to now), and the missing bars the gap ledger explains, by kind. One missing-ranges
 * query and one ledger read per symbol, whatever the number of days.
 */
import { DAY_MS, intervalMs, type Interval } from '../core/intervals.js';
import { startOfUtcDay, utcDate } from '../core/time.js';
import type { GapKind, Store } from '../store/store.js';

export interface CoverageDay {
  date: string;
  stored: number;
  expected: number;
  gaps: Record<GapKind, number>;
}

const KINDS: readonly GapKind[] = ['hole', 'exchange_outage', 'not_published', 'before_listing'];

export async function coverageDays(store: Store, exchange: string, symbol: string, interval: Interval, days: number, now: number): Promise<CoverageDay[]> {
  const len = intervalMs(interval);
  const end = Math.floor(now / len) * len; // bars opening before it have closed or are forming; count closed ones only
  const first = startOfUtcDay(now) - (days - 1) * DAY_MS;
  const series = { exchange, symbol, interval };
  const missing = await store.missingRanges(series, first, end);
  const ledger = (await store.listGaps({ exchange, symbol })).filter((g) => g.interval === interval && g.to >= first && g.from < end);
  const out: CoverageDay[] = [];
  for (let day = first; day < end; day += DAY_MS) {
    const dayEnd = Math.min(day + DAY_MS, end);
    const expected = Math.max(0, Math.ceil((dayEnd - day) / len));
    let absent = 0;
    for (const r of missing) absent += overlapBars(r.from, r.to, day, dayEnd, len);
    const gaps = Object.fromEntries(KINDS.map((k) => [k, 0])) as Record<GapKind, number>;
    for (const g of ledger) gaps[g.kind] += overlapBars(g.from, g.to, day, dayEnd, len);
    out.push({ date: utcDate(day), stored: expected - absent, expected, gaps });
  }
  return out;
}

/** Bars of an inclusive run of open times [from, to] that open in [lo, hi). */
function overlapBars(from: number, to: number, lo: number, hi: number, len: number): number {
  const a = Math.max(from, lo);
  const b = Math.min(to + len, hi);
  return b > a ? Math.ceil((b - a) / len) : 0;
}
