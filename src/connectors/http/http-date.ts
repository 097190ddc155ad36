/**
 * Reading date-valued response headers (`Date`, `Last-Modified`).
 * @see https://www.rfc-editor.org/rfc/rfc9110#name-date-time-formats
 */

/** Epoch ms of an HTTP-date header value, or null when absent or unreadable. */
export function httpDateMs(value: string | null): number | null {
  if (value === null) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}
