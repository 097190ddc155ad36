/** The default window of a read of bars (`candles`, `indicators`, and the API's routes of the same names). */
import { ConfigError } from './errors.js';
import { intervalMs, type Interval } from './intervals.js';

const CLI_NAMES = { from: '--from', to: '--to' };

/** Bars `--from` reaches back from `--to` when not given: one day at 1m, 500 bars at other intervals. */
export function defaultBars(interval: Interval): number {
  return interval === '1m' ? 1440 : 500;
}

/**
 * The window of a command: `--to` defaults to `now`, `--from` to {@link defaultBars} bars before
 * it, counting the bar that holds `--to` (still forming when `--to` is now) as the last.
 * Refuses a window that does not move forward, naming both ends as `names` spells them (the CLI's
 * flags by default; the API's query fields).
 */
export function barWindow(interval: Interval, from: number | undefined, to: number | undefined, now: number, names: { from: string; to: string } = CLI_NAMES): { from: number; to: number } {
  const end = to ?? now;
  const len = intervalMs(interval);
  const start = from ?? Math.ceil(end / len) * len - defaultBars(interval) * len;
  if (end <= start) throw new ConfigError(`${names.to} (${new Date(end).toISOString()}) must be after ${names.from} (${new Date(start).toISOString()})`);
  return { from: start, to: end };
}
