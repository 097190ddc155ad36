/** UTC time helpers. Inside tickerflow every time is epoch milliseconds. */
import { BadInputError } from './errors.js';
import { DAY_MS } from './intervals.js';

/** Parses an ISO-8601 date or date-time (UTC unless an offset is given) or epoch ms digits. */
export function parseTime(text: string, what = 'time'): number {
  if (/^\d{10,13}$/.test(text)) return Number(text.length === 10 ? `${text}000` : text);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(text) ? `${text}T00:00:00Z` : text;
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/.test(iso)) {
    throw new BadInputError(`${what}: "${text}" is not an ISO-8601 UTC time such as 2020-01-01T00:00:00Z`);
  }
  const withZone = /(Z|[+-]\d{2}:?\d{2})$/.test(iso) ? iso : `${iso}Z`;
  const ms = Date.parse(withZone);
  // Date.parse rolls a day past the month's end into the next month (2020-02-30 → 03-01) and takes 24:00.
  const [y, mo, d, h, mi, sec = 0] = (iso.match(/\d+/g) ?? []).slice(0, 6).map(Number) as number[];
  const day = new Date(Date.UTC(y as number, (mo as number) - 1, d as number));
  const real = day.getUTCMonth() === (mo as number) - 1 && day.getUTCDate() === d && (h as number) < 24 && (mi as number) < 60 && sec < 60;
  if (Number.isNaN(ms) || !real) throw new BadInputError(`${what}: "${text}" is not a valid date`);
  return ms;
}

export function isoMinute(ms: number): string {
  return new Date(ms).toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z');
}

/** YYYY-MM-DD of the UTC day containing `ms`. */
export function utcDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function startOfUtcDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

export function startOfUtcMonth(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

export function addUtcMonths(ms: number, months: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1);
}
