/**
 * What a scale archive holds: N derived symbols × M derived months, named apart from every real
 * symbol (`SCALE001USDT` …) so they can never be mistaken for recorded data. The months end with
 * 2024-12 whatever M is (M = 96 starts at 2017-01, Binance's first full year), and the series
 * go on past it: the days after the last month exist over REST only, as on the exchange before
 * their daily files appear.
 */
import { BadInputError } from '../../core/errors.js';
import { firstMondayAfterMonth } from '../publication.js';

export interface ScaleSpec {
  symbols: number;
  months: number;
}

export const MAX_SCALE_SYMBOLS = 999;
export const MAX_SCALE_MONTHS = 120;
/** The last derived month, 2024-12 (year, 0-based month). */
export const LAST_MONTH = { year: 2024, month0: 11 } as const;

/** Reads `30x24` (symbols × months); anything else is a `BadInputError` naming the text. */
export function parseScaleSpec(text: string): ScaleSpec {
  const m = /^(\d{1,4})x(\d{1,4})$/.exec(text.trim());
  if (!m) throw new BadInputError(`--scale "${text}" is not <symbols>x<months>, e.g. 30x24`);
  const spec = { symbols: Number(m[1]), months: Number(m[2]) };
  if (spec.symbols < 1 || spec.symbols > MAX_SCALE_SYMBOLS) throw new BadInputError(`--scale "${text}": symbols must be 1…${MAX_SCALE_SYMBOLS}`);
  if (spec.months < 1 || spec.months > MAX_SCALE_MONTHS) throw new BadInputError(`--scale "${text}": months must be 1…${MAX_SCALE_MONTHS}`);
  return spec;
}

/** `SCALE001USDT` for index 0. */
export function scaleSymbol(index: number): string {
  return `SCALE${String(index + 1).padStart(3, '0')}USDT`;
}

/** The symbol's index, or -1 when `symbol` is not a derived symbol of `spec`. */
export function scaleSymbolIndex(spec: ScaleSpec, symbol: string): number {
  const m = /^SCALE(\d{3})USDT$/.exec(symbol);
  const i = m ? Number(m[1]) - 1 : -1;
  return i >= 0 && i < spec.symbols ? i : -1;
}

/** 00:00 UTC of derived month `i` (0 = the first). */
export function monthStart(spec: ScaleSpec, i: number): number {
  return Date.UTC(LAST_MONTH.year, LAST_MONTH.month0 - spec.months + 1 + i, 1);
}

/** Open time of the first derived minute: the listing time of every derived symbol. */
export function seriesStart(spec: ScaleSpec): number {
  return monthStart(spec, 0);
}

/** Months from the first derived month to the month holding `t` (past the last one too). */
export function monthIndexOf(spec: ScaleSpec, t: number): number {
  const d = new Date(t);
  const first = new Date(seriesStart(spec));
  return (d.getUTCFullYear() - first.getUTCFullYear()) * 12 + d.getUTCMonth() - first.getUTCMonth();
}

/** `YYYY-MM` of derived month `i`. */
export function monthLabel(spec: ScaleSpec, i: number): string {
  return new Date(monthStart(spec, i)).toISOString().slice(0, 7);
}

export function monthlyKey(symbol: string, label: string): string {
  return `data/spot/monthly/klines/${symbol}/1m/${symbol}-1m-${label}.zip`;
}

/**
 * The simulated now a scale replay starts at unless told: an hour after the last month's file is
 * published (first Monday of 2025-01 plus the publication lag), so the backfill finds every month
 * in the archive and fetches the days after it over REST.
 */
export function defaultScaleNow(publicationLagMs: number): number {
  return firstMondayAfterMonth(LAST_MONTH.year, LAST_MONTH.month0) + publicationLagMs + 3_600_000;
}
