/**
 * Binance's per-IP REQUEST_WEIGHT accounting, on the simulated clock.
 *
 * Windows are fixed 60 s slices of simulated time (floor(now / 60 000)). Every request that is
 * not refused by a ban is charged its weight; when the window's total goes over the limit the
 * request gets 429 with `Retry-After` = seconds to the window's end. A client that sends again
 * inside the same window after a 429 is banned: 418 with `Retry-After` = the ban length, which
 * starts at 2 minutes and doubles for each repeat offence up to 3 days ("bans scale in duration
 * for repeat offenders, from 2 minutes to 3 days"). `Retry-After` is in simulated seconds.
 *
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/limits
 */
export const WINDOW_MS = 60_000;
const FIRST_BAN_MS = 120_000;
const MAX_BAN_MS = 3 * 86_400_000;

export type WeightDecision =
  | { status: 200; usedWeight: number }
  | { status: 429 | 418; usedWeight: number; retryAfterSec: number };

/** Counters exposed through `server.stats()`. */
export interface WeightStats {
  requests: number;
  weight: number;
  rateLimited429: number;
  banned418: number;
}

export class WeightLimiter {
  private window = -1;
  private used = 0;
  private limitedInWindow = false;
  private bannedUntil = 0;
  private offences = 0;
  private forced: number;
  readonly stats: WeightStats = { requests: 0, weight: 0, rateLimited429: 0, banned418: 0 };

  /**
   * @param limit REQUEST_WEIGHT per minute
   * @param forced429 the next this-many requests get 429 whatever their weight (fault injection)
   */
  constructor(readonly limit: number, forced429 = 0) {
    this.forced = forced429;
  }

  /** Makes the next `n` requests get 429 (and anything sent after them in the window 418). */
  force429(n: number): void {
    this.forced = n;
  }

  /** Weight used in the window containing `now`. */
  usedAt(now: number): number {
    return Math.floor(now / WINDOW_MS) === this.window ? this.used : 0;
  }

  /** Charges one request of `weight` at simulated time `now` and says how to answer it. */
  charge(now: number, weight: number): WeightDecision {
    this.stats.requests++;
    const w = Math.floor(now / WINDOW_MS);
    if (w !== this.window) {
      this.window = w;
      this.used = 0;
      this.limitedInWindow = false;
    }
    if (now < this.bannedUntil) {
      this.stats.banned418++;
      return { status: 418, usedWeight: this.used, retryAfterSec: Math.ceil((this.bannedUntil - now) / 1000) };
    }
    if (this.limitedInWindow) {
      const ban = Math.min(MAX_BAN_MS, FIRST_BAN_MS * 2 ** this.offences);
      this.offences++;
      this.bannedUntil = now + ban;
      this.stats.banned418++;
      return { status: 418, usedWeight: this.used, retryAfterSec: Math.ceil(ban / 1000) };
    }
    this.used += weight;
    this.stats.weight += weight;
    if (this.forced > 0 || this.used > this.limit) {
      if (this.forced > 0) this.forced--;
      this.limitedInWindow = true;
      this.stats.rateLimited429++;
      const windowEnd = (w + 1) * WINDOW_MS;
      return { status: 429, usedWeight: this.used, retryAfterSec: Math.max(1, Math.ceil((windowEnd - now) / 1000)) };
    }
    return { status: 200, usedWeight: this.used };
  }
}
