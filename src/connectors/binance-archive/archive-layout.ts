/**
 * data.binance.vision object keys for klines: building them, reading them back, and which files a
 * backfill of a time range needs given when the archive publishes them.
 *
 * @see https://github.com/binance/binance-public-data#klines (layout, `1mo`, publication times)
 */
import { BadInputError } from '../../core/errors.js';
import { DAY_MS } from '../../core/intervals.js';
import type { ArchiveMarket } from './kline-csv.js';

export type ArchivePeriod = 'daily' | 'monthly';

/** Interval names as the archive spells them (`enums.py`): `1mo` where REST and WS write `1M`. */
export const ARCHIVE_INTERVALS = ['1s', '1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d', '3d', '1w', '1mo'] as const;
export type ArchiveInterval = (typeof ARCHIVE_INTERVALS)[number];
/** Daily files exist only for these (`DAILY_INTERVALS`); 3d, 1w and 1mo are monthly only. */
export const DAILY_ARCHIVE_INTERVALS: readonly ArchiveInterval[] = ARCHIVE_INTERVALS.slice(0, 13);

const MARKET_ROOT: Record<ArchiveMarket, string> = { spot: 'data/spot', um: 'data/futures/um', cm: 'data/futures/cm' };

function isArchiveInterval(s: string): s is ArchiveInterval {
  return (ARCHIVE_INTERVALS as readonly string[]).includes(s);
}

/** Archive spelling of a Binance interval name: `1M` → `1mo`, the others unchanged. */
export function toArchiveInterval(interval: string): ArchiveInterval {
  const name = interval === '1M' ? '1mo' : interval;
  if (!isArchiveInterval(name)) throw new BadInputError(`"${interval}" is not a Binance kline interval`);
  return name;
}

/** REST/WS spelling of an archive interval name: `1mo` → `1M`. */
export function toRestInterval(interval: ArchiveInterval): string {
  return interval === '1mo' ? '1M' : interval;
}

/** One kline archive file. `date` is `YYYY-MM-DD` for daily files and `YYYY-MM` for monthly ones. */
export interface ArchiveFileRef {
  market: ArchiveMarket;
  period: ArchivePeriod;
  symbol: string;
  interval: ArchiveInterval;
  date: string;
}

const SYMBOL = /^[A-Z0-9_]{2,40}$/;

/** Directory prefix (with trailing `/`) that holds a series' files, e.g. for an S3 listing. */
export function klinesPrefix(market: ArchiveMarket, period: ArchivePeriod, symbol: string, interval: ArchiveInterval): string {
  if (!SYMBOL.test(symbol)) throw new BadInputError(`"${symbol}" is not an upper-case Binance symbol`);
  if (period === 'daily' && !DAILY_ARCHIVE_INTERVALS.includes(interval)) {
    throw new BadInputError(`the archive has no daily ${interval} files (monthly only)`);
  }
  return `${MARKET_ROOT[market]}/${period}/klines/${symbol}/${interval}/`;
}

/** Object key of a kline zip, e.g. `data/spot/daily/klines/BTCUSDT/1m/BTCUSDT-1m-2020-01-01.zip`. */
export function archiveKey(ref: ArchiveFileRef): string {
  const shape = ref.period === 'daily' ? /^\d{4}-\d{2}-\d{2}$/ : /^\d{4}-\d{2}$/;
  if (!shape.test(ref.date)) throw new BadInputError(`"${ref.date}" is not a ${ref.period} archive date`);
  return `${klinesPrefix(ref.market, ref.period, ref.symbol, ref.interval)}${ref.symbol}-${ref.interval}-${ref.date}.zip`;
}

/** Key of the `.CHECKSUM` published beside a zip. */
export function checksumKey(zipKey: string): string {
  return `${zipKey}.CHECKSUM`;
}

const KEY_RE =
  /^data\/(spot|futures\/um|futures\/cm)\/(daily|monthly)\/klines\/([A-Z0-9_]+)\/([0-9a-z]+)\/([A-Z0-9_]+)-([0-9a-z]+)-(\d{4}-\d{2}(?:-\d{2})?)\.zip$/;

/** An archive key read back, with the UTC time span [start, end) its file covers. */
export interface ParsedArchiveKey extends ArchiveFileRef {
  start: number;
  end: number;
}

/** Reads a kline zip key back into its parts; throws `BadInputError` for anything else. */
export function parseArchiveKey(key: string): ParsedArchiveKey {
  const m = KEY_RE.exec(key);
  if (!m) throw new BadInputError(`"${key}" is not a data.binance.vision kline zip key`);
  const [, root = '', period = '', symbol = '', interval = '', fileSymbol, fileInterval, date = ''] = m;
  const market: ArchiveMarket = root === 'spot' ? 'spot' : root === 'futures/um' ? 'um' : 'cm';
  if (symbol !== fileSymbol || interval !== fileInterval) throw new BadInputError(`"${key}": file name does not match its folder`);
  if (!isArchiveInterval(interval)) throw new BadInputError(`"${key}": unknown interval ${interval}`);
  const p: ArchivePeriod = period === 'daily' ? 'daily' : 'monthly';
  if ((p === 'daily') !== (date.length === 10)) throw new BadInputError(`"${key}": ${p} file with date ${date}`);
  const [y = 0, mo = 0, d = 1] = date.split('-').map(Number);
  const start = Date.UTC(y, mo - 1, d);
  const check = new Date(start);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    throw new BadInputError(`"${key}": ${date} is not a calendar date`);
  }
  const end = p === 'daily' ? start + DAY_MS : Date.UTC(y, mo, 1);
  const ref: ArchiveFileRef = { market, period: p, symbol, interval, date };
  if (archiveKey(ref) !== key) throw new BadInputError(`"${key}" is not in canonical form`);
  return { ...ref, start, end };
}

/** 00:00 UTC of the first Monday of month `month0` (0-based; 12 rolls into the next year). */
export function firstMondayOfMonth(year: number, month0: number): number {
  const first = Date.UTC(year, month0, 1);
  const dow = new Date(first).getUTCDay(); // 0 = Sunday, 1 = Monday
  return first + ((8 - dow) % 7) * DAY_MS;
}

/**
 * When the monthly file of the month starting at `monthStart` appears: 00:00 UTC of the first
 * Monday of the following month (README: "new monthly data at the first monday of the month").
 */
export function monthlyPublishedAt(monthStart: number): number {
  const d = new Date(monthStart);
  return firstMondayOfMonth(d.getUTCFullYear(), d.getUTCMonth() + 1);
}

/**
 * When the daily file of the day starting at `dayStart` appears: the next day (00:00 UTC of it;
 * in practice minutes later, so a 404 shortly after midnight means "not yet published").
 */
export function dailyPublishedAt(dayStart: number): number {
  return dayStart + DAY_MS;
}
