/**
 * HTTP back-off helpers shared by the REST connectors (Binance, CoinGecko).
 * @see https://www.rfc-editor.org/rfc/rfc9110#name-retry-after
 */

/**
 * Milliseconds to wait from a `Retry-After` header value, or null when absent or unreadable.
 * The header is either delay-seconds (what Binance and CoinGecko send) or an HTTP-date.
 */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - nowMs);
}

/** Capped exponential back-off: base·2^(attempt−1), at most cap. `attempt` counts from 1. */
export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
