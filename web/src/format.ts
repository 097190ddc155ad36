/**
 * How the dashboard writes numbers and times: prices at the symbol's tick decimals (the API's
 * `priceDecimals`), changes as signed percentages, times in UTC (every time inside tickerflow is
 * UTC epoch ms, so the screen says UTC rather than guessing the viewer's zone). Pure.
 */

/** `value` with exactly `decimals` fraction digits and thousands separators; "—" for none. */
export function formatPrice(value: number | null | undefined, decimals: number): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** A ratio (0.0123) as a signed percentage ("+1.23%"); "—" for none. */
export function formatPct(ratio: number | null | undefined, digits = 2): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  const pct = ratio * 100;
  const text = Math.abs(pct).toFixed(digits);
  if (Number(text) === 0) return `${(0).toFixed(digits)}%`;
  return `${pct > 0 ? '+' : '−'}${text}%`;
}

/** An epoch-ms instant as "2024-02-01 13:00 UTC". */
export function formatUtc(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** A plain number with at most `digits` fraction digits ("—" for null, as the API sends warm-up). */
export function formatNumber(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** The smallest price step a number of decimals allows (the chart's `minMove`). */
export function tickSize(decimals: number): number {
  return Number((10 ** -decimals).toFixed(decimals));
}

/**
 * The decimals to print a symbol's prices with: the API's (from the exchange's tick size), or,
 * when the tick is not stored, the most fraction digits among `sample` prices (at most 8).
 */
export function priceDecimals(fromApi: number | null, sample: readonly number[]): number {
  if (fromApi !== null) return fromApi;
  let most = 0;
  for (const p of sample) {
    const text = String(p);
    if (text.includes('e')) continue;
    most = Math.max(most, text.split('.')[1]?.length ?? 0);
  }
  return Math.min(most, 8);
}
