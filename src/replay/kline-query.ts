/**
 * Which rows `GET /api/v3/klines` returns, as PROTOCOLS.md §2 states: without startTime/endTime
 * the most recent `limit`; with startTime the oldest from startTime; with both, like startTime
 * but not past endTime; with only endTime, the most recent `limit` opening at or before it.
 * Only candles whose open time is at or before the simulated now exist yet. The newest one may
 * not have closed at `now`; it is served as recorded (its final values) — the one place the
 * replay shows a value from "the future". Clients must drop candles whose close time is > now.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/market-data-endpoints#klinecandlestick-data
 */
export interface KlineQuery {
  startTime?: number | undefined;
  endTime?: number | undefined;
  limit: number;
  now: number;
}

/** First index with `a[i] > x` (a sorted ascending). */
export function upperBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index with `a[i] >= x`. */
export function lowerBound(a: Float64Array, x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((a[mid] as number) < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Returns the half-open index range [from, to) of `openTime` to serve. */
export function selectKlines(openTime: Float64Array, q: KlineQuery): { from: number; to: number } {
  let hi = upperBound(openTime, q.now);
  if (q.endTime !== undefined) hi = Math.min(hi, upperBound(openTime, q.endTime));
  if (q.startTime !== undefined) {
    const from = lowerBound(openTime, q.startTime);
    const to = Math.min(from + q.limit, hi);
    return to > from ? { from, to } : { from: 0, to: 0 };
  }
  return { from: Math.max(0, hi - q.limit), to: hi };
}
