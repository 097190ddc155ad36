/** Capped exponential back-off between retries of a failed HTTP request. */

/** Capped exponential back-off: base·2^(attempt−1), at most cap. `attempt` counts from 1. */
export function backoffMs(attempt: number, baseMs: number, capMs: number): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
