/**
 * When an archive object appears on data.binance.vision, on the simulated clock.
 *
 * Binance says new daily data becomes available "the next day" and monthly data "at the first
 * monday of the month" (binance-public-data README, PROTOCOLS.md §1); it gives no hour. The replay
 * picks: a daily file for day D at D+1 00:00 UTC + `lagMs`, a monthly file for month M at 00:00
 * UTC of the first Monday of month M+1 + `lagMs`. The default lag, 10 minutes, is our choice,
 * not a measured Binance figure; it makes "yesterday's file is not there yet" testable just
 * after midnight. A `.CHECKSUM` is published with its zip. The rule is written here again, not
 * imported from the archive connector: the replay is the client's test double, and a double that
 * reuses the client's rule would serve a wrong rule back to it unnoticed.
 *
 * @see https://github.com/binance/binance-public-data#where-do-i-find-the-data
 */
const DAY_MS = 86_400_000;

export const DEFAULT_PUBLICATION_LAG_MS = 10 * 60_000;

const DAILY = /-(\d{4})-(\d{2})-(\d{2})\.zip(\.CHECKSUM)?$/;
const MONTHLY = /-(\d{4})-(\d{2})\.zip(\.CHECKSUM)?$/;

/** 00:00 UTC of the first Monday of the month after (`year`, `month0`), month0 0-based. */
export function firstMondayAfterMonth(year: number, month0: number): number {
  const next = new Date(Date.UTC(year, month0 + 1, 1));
  const daysToMonday = (8 - next.getUTCDay()) % 7; // getUTCDay: 0 Sunday … 6 Saturday
  return next.getTime() + daysToMonday * DAY_MS;
}

/** Epoch ms at which `key` is published, or null if the key names no daily or monthly period. */
export function publicationTime(key: string, lagMs = DEFAULT_PUBLICATION_LAG_MS): number | null {
  // Read the period off the file name alone (not `parseArchiveKey`), so any dated archive key qualifies.
  if (!key.includes('/monthly/')) {
    const d = DAILY.exec(key);
    if (!d) return null;
    return Date.UTC(Number(d[1]), Number(d[2]) - 1, Number(d[3])) + DAY_MS + lagMs;
  }
  const m = MONTHLY.exec(key);
  if (!m) return null;
  return firstMondayAfterMonth(Number(m[1]), Number(m[2]) - 1) + lagMs;
}
