/**
 * Which archive files a backfill of [from, to) needs, given what the archive has published by
 * `now`: monthly zips for whole months already out, daily zips for the other days already out.
 * What is left after `archivedUntil` is for REST to fill.
 *
 * @see https://github.com/binance/binance-public-data#klines ("new daily data becoming available the
 * next day and new monthly data at the first monday of the month")
 */
import type { Interval } from '../../core/intervals.js';
import { addUtcMonths, startOfUtcDay, startOfUtcMonth } from '../../core/time.js';
import { DAY_MS } from '../../core/intervals.js';
import { archiveKey, dailyPublishedAt, monthlyPublishedAt, type ArchivePeriod } from './archive-layout.js';
import type { ArchiveMarket } from './kline-csv.js';

export interface PlannedArchiveFile {
  key: string;
  period: ArchivePeriod;
  /** UTC span [start, end) of the candles the file holds. */
  start: number;
  end: number;
}

export interface ArchivePlan {
  /** Files in time order, contiguous from the UTC day containing `from`. */
  files: PlannedArchiveFile[];
  /**
   * First time at or after `from` not covered by a planned file, capped at `to`: candles from here
   * on are not archived yet and must come from REST.
   */
  archivedUntil: number;
}

function ymd(ms: number, withDay: boolean): string {
  return new Date(ms).toISOString().slice(0, withDay ? 10 : 7);
}

/**
 * Plans the archive downloads for candles with from ≤ openTime < to. Whole UTC days are fetched,
 * so the range is widened to day boundaries; a month wholly inside the widened range whose
 * monthly zip is published by `now` (first Monday of the next month) is one monthly file,
 * every other day published by `now` (the next day) is a daily file. Pure.
 */
export function planArchiveFiles(
  symbol: string,
  interval: Interval,
  from: number,
  to: number,
  now: number,
  market: ArchiveMarket = 'spot',
): ArchivePlan {
  const files: PlannedArchiveFile[] = [];
  if (!(from < to)) return { files, archivedUntil: to };
  const dayFrom = startOfUtcDay(from);
  const dayTo = Math.ceil(to / DAY_MS) * DAY_MS;
  let covered = dayFrom;
  outer: for (let m = startOfUtcMonth(dayFrom); m < dayTo; m = addUtcMonths(m, 1)) {
    const mEnd = addUtcMonths(m, 1);
    if (m >= dayFrom && mEnd <= dayTo && monthlyPublishedAt(m) <= now) {
      files.push({ key: archiveKey({ market, period: 'monthly', symbol, interval, date: ymd(m, false) }), period: 'monthly', start: m, end: mEnd });
      covered = mEnd;
      continue;
    }
    for (let d = Math.max(m, dayFrom); d < Math.min(mEnd, dayTo); d += DAY_MS) {
      if (dailyPublishedAt(d) > now) break outer;
      files.push({ key: archiveKey({ market, period: 'daily', symbol, interval, date: ymd(d, true) }), period: 'daily', start: d, end: d + DAY_MS });
      covered = d + DAY_MS;
    }
  }
  return { files, archivedUntil: Math.min(to, Math.max(from, covered)) };
}
