/**
 * The process-wide Binance request-weight governor: every REST call of every job goes through one
 * instance, so that concurrent jobs share one per-IP budget instead of each believing it owns it.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/limits
 *
 * Binance counts weight per IP in fixed one-minute windows and reports the running total in
 * `X-MBX-USED-WEIGHT-1M` on every response. The governor keeps its own count (so it can refuse
 * before sending), re-syncs it from that header (which also sees other processes on the same IP),
 * and spends at most `safety` of the limit. A 429 or 418 stops every caller for `Retry-After`.
 */
import { BadInputError } from '../../core/errors.js';
import { requestWeightPerMinute, type RateLimit } from './exchange-info.js';
import { parseRetryAfter, timerSleep } from '../http/index.js';

/** Binance counts weight in fixed one-minute windows (UTC minutes). */
export const WINDOW_MS = 60_000;
/** Binance's REQUEST_WEIGHT per minute since 2023-08-25, used until exchangeInfo says otherwise. */
export const DEFAULT_WEIGHT_PER_MINUTE = 6000;
/** The shortest IP ban Binance hands out ("from 2 minutes to 3 days"), used if a 418 lacks Retry-After. */
const DEFAULT_BAN_MS = 120_000;

export interface RateGovernorOptions {
  /** REQUEST_WEIGHT limit per minute until `configure` is called. Default 6000. */
  weightPerMinute?: number;
  /** Fraction of the limit to spend; the rest is headroom for clock skew and other clients. Default 0.9. */
  safety?: number;
  /** Epoch-ms clock. Default `Date.now`. */
  now?: () => number;
  /** Waits `ms`. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** What a response tells the governor: its status and headers. */
export interface ResponseLike {
  status: number;
  headers: { get(name: string): string | null };
}

/** A granted slot of weight. Settle it with the response, or cancel it when no response came. */
export interface WeightPermit {
  readonly weight: number;
  settle(response: ResponseLike): void;
  cancel(): void;
}

/** Counters for reports. `weight` is the weight this process spent, not the header's total. */
export interface RateGovernorStats {
  requests: number;
  weight: number;
  rateLimited429: number;
  banned418: number;
  /** Times a caller had to wait (budget exhausted or paused) and the total time waited. */
  waits: number;
  waitedMs: number;
  /** Current REQUEST_WEIGHT limit per minute and the budget actually spent (limit × safety). */
  limit: number;
  budget: number;
  /** Weight counted in the current window (own count re-synced from the header). */
  usedInWindow: number;
  pausedUntil: number;
}

/** What a REST client needs of a governor: the in-process one, or the one shared across processes. */
export interface WeightGovernor {
  /** Resolves once `weight` may be sent; settle or cancel the permit. */
  acquire(weight: number): Promise<WeightPermit>;
  /** Takes the REQUEST_WEIGHT limit from `exchangeInfo.rateLimits`. */
  configure(rateLimits: readonly RateLimit[]): void;
  /** The weight that may be spent per window. */
  readonly budget: number;
  stats(): RateGovernorStats;
}

interface Permit extends WeightPermit {
  window: number;
  open: boolean;
}

/** Budgets Binance request weight per minute for the whole process. */
export class RateGovernor implements WeightGovernor {
  private limit: number;
  private readonly safety: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private windowStart = -1;
  private used = 0;
  private pausedUntil = 0;
  private readonly inFlight = new Set<Permit>();
  private readonly counters = { requests: 0, weight: 0, rateLimited429: 0, banned418: 0, waits: 0, waitedMs: 0 };

  constructor(options: RateGovernorOptions = {}) {
    this.limit = options.weightPerMinute ?? DEFAULT_WEIGHT_PER_MINUTE;
    this.safety = options.safety ?? 0.9;
    if (!(this.safety > 0 && this.safety <= 1)) throw new BadInputError(`rate governor: safety ${this.safety} must be in (0, 1]`);
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? timerSleep;
  }

  /** Takes the per-minute REQUEST_WEIGHT limit from `exchangeInfo.rateLimits` (kept as is when none is stated). */
  configure(rateLimits: readonly RateLimit[]): void {
    const limit = requestWeightPerMinute(rateLimits);
    if (limit !== null && limit > 0) this.limit = limit;
  }

  /** The weight this process may spend per window: the limit less the safety margin. */
  get budget(): number {
    return Math.max(1, Math.floor(this.limit * this.safety));
  }

  /**
   * Resolves once `weight` fits in the current window and no 429/418 pause is in force; waits
   * (never fails) for the window to roll or the pause to end. Resolution order among waiters is not FIFO.
   */
  async acquire(weight: number): Promise<WeightPermit> {
    if (!(weight > 0) || weight > this.budget) {
      throw new BadInputError(`rate governor: weight ${weight} can never fit a budget of ${this.budget} per minute`);
    }
    for (;;) {
      const t = this.now();
      if (t < this.pausedUntil) {
        await this.wait(this.pausedUntil - t);
        continue;
      }
      this.roll(t);
      if (this.used + weight <= this.budget) {
        this.used += weight;
        this.counters.requests++;
        this.counters.weight += weight;
        return this.permit(weight);
      }
      await this.wait(this.windowStart + WINDOW_MS - t);
    }
  }

  /** Counters and current state, for job reports. */
  stats(): RateGovernorStats {
    this.roll(this.now());
    return { ...this.counters, limit: this.limit, budget: this.budget, usedInWindow: this.used, pausedUntil: this.pausedUntil };
  }

  private permit(weight: number): Permit {
    const permit: Permit = {
      weight,
      window: this.windowStart,
      open: true,
      settle: (response) => this.settle(permit, response),
      cancel: () => {
        permit.open = false;
        this.inFlight.delete(permit);
      },
    };
    this.inFlight.add(permit);
    return permit;
  }

  private settle(permit: Permit, response: ResponseLike): void {
    if (!permit.open) return;
    permit.open = false;
    this.inFlight.delete(permit);
    const t = this.now();
    this.roll(t);
    const pauseEnd = pauseEndAfter(response, t);
    if (pauseEnd !== null) {
      if (response.status === 429) this.counters.rateLimited429++;
      else this.counters.banned418++;
      this.pausedUntil = Math.max(this.pausedUntil, pauseEnd);
    }
    const header = usedWeightHeader(response);
    if (header === null || permit.window !== this.windowStart) return;
    // The header counts this request and whatever the server saw from this IP; requests still in
    // flight may not be in it yet, so add them back (over-counting is the safe side).
    let pending = 0;
    for (const p of this.inFlight) if (p.window === this.windowStart) pending += p.weight;
    this.used = header + pending;
  }

  private roll(t: number): void {
    const start = Math.floor(t / WINDOW_MS) * WINDOW_MS;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.used = 0;
    }
  }

  private async wait(ms: number): Promise<void> {
    this.counters.waits++;
    this.counters.waitedMs += ms;
    await this.sleep(ms);
  }
}

/**
 * When a 429 or 418 answer at `t` says to resume: after its `Retry-After`, else at the end of the
 * minute (429) or after the shortest ban (418). Null for any other status.
 */
export function pauseEndAfter(response: ResponseLike, t: number): number | null {
  if (response.status !== 429 && response.status !== 418) return null;
  const fallback = response.status === 418 ? DEFAULT_BAN_MS : Math.floor(t / WINDOW_MS) * WINDOW_MS + WINDOW_MS - t;
  return t + (parseRetryAfter(response.headers.get('retry-after'), t) ?? fallback);
}

/** The response's `X-MBX-USED-WEIGHT-1M` (the IP's weight in the server's current minute), or null when absent or malformed. */
export function usedWeightHeader(response: ResponseLike): number | null {
  const header = response.headers.get('x-mbx-used-weight-1m');
  return header === null || !/^\d+$/.test(header.trim()) ? null : Number(header);
}

/** A new, independent governor (tests, or a process that talks to several IPs). */
export function createRateGovernor(options: RateGovernorOptions = {}): RateGovernor {
  return new RateGovernor(options);
}

/** The one governor every Binance REST call in this process shares unless told otherwise. */
export const defaultRateGovernor: RateGovernor = createRateGovernor();
