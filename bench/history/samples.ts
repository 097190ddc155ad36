/** Timing samples of the history benchmark and what the report derives from them. */

/** Median of `xs` (mean of the middle two for an even count); NaN for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** Rows per second for `rows` rows in `ms` milliseconds. */
export function rowsPerSecond(rows: number, ms: number): number {
  return rows / (ms / 1000);
}

/** Times one async call in milliseconds with the monotonic clock. */
export async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
