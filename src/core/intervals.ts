/** Candle intervals: names, lengths in ms, grid alignment, and the archive's spelling. */
export const INTERVALS = ['1m', '3m', '5m', '15m', '30m', '1h', '2h', '4h', '6h', '8h', '12h', '1d'] as const;
export type Interval = (typeof INTERVALS)[number];

/** Intervals the `candles` and `indicators` commands aggregate from stored 1m bars. */
export const QUERY_INTERVALS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const satisfies readonly Interval[];

export const MINUTE_MS = 60_000;
export const DAY_MS = 86_400_000;

const LENGTH_MS: Record<Interval, number> = {
  '1m': MINUTE_MS,
  '3m': 3 * MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '30m': 30 * MINUTE_MS,
  '1h': 60 * MINUTE_MS,
  '2h': 120 * MINUTE_MS,
  '4h': 240 * MINUTE_MS,
  '6h': 360 * MINUTE_MS,
  '8h': 480 * MINUTE_MS,
  '12h': 720 * MINUTE_MS,
  '1d': DAY_MS,
};

export function isInterval(s: string): s is Interval {
  return (INTERVALS as readonly string[]).includes(s);
}

export function intervalMs(interval: Interval): number {
  return LENGTH_MS[interval];
}

/** Start of the interval containing `t` (UTC grid; all listed intervals divide a day). */
export function floorToInterval(t: number, interval: Interval): number {
  const len = LENGTH_MS[interval];
  return Math.floor(t / len) * len;
}

export function isOnGrid(t: number, interval: Interval): boolean {
  return t % LENGTH_MS[interval] === 0;
}
