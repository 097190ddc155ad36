/** Whether a moment falls in a user's quiet hours, read in their own time zone. */
import type { QuietHours } from './rule-draft.js';

const formats = new Map<string, Intl.DateTimeFormat>();

/** Minutes since local midnight of `at` (epoch ms) in `timeZone`. */
export function localMinuteOfDay(at: number, timeZone: string): number {
  let f = formats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(timeZone, f);
  }
  let hour = 0;
  let minute = 0;
  for (const p of f.formatToParts(at)) {
    if (p.type === 'hour') hour = Number(p.value);
    else if (p.type === 'minute') minute = Number(p.value);
  }
  return hour * 60 + minute;
}

const minutes = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** From inclusive, to exclusive; `22:00`–`07:00` wraps midnight; equal ends mean never quiet. */
export function inQuietHours(q: QuietHours, at: number): boolean {
  const from = minutes(q.from);
  const to = minutes(q.to);
  if (from === to) return false;
  const now = localMinuteOfDay(at, q.timezone);
  return from < to ? now >= from && now < to : now >= from || now < to;
}
