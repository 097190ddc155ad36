/**
 * Reading the `Retry-After` response header, shared by every HTTP connector.
 * @see https://www.rfc-editor.org/rfc/rfc9110#name-retry-after
 */

/**
 * Milliseconds to wait from a `Retry-After` header value, or null when absent or unreadable.
 * The header is either delay-seconds (what Binance, CoinGecko and S3 send) or an HTTP-date.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}
