/**
 * The Binance weight governor shared by every process on one store: Binance limits weight per IP,
 * so `worker` ×N, `up`, `backfill --bus` and `stream` on one machine must spend one budget, not one
 * each. Each request is first granted by this process's own governor (rate-governor.ts: its count,
 * its `X-MBX-USED-WEIGHT-1M` re-sync, its 429/418 pause), then reserved in a ledger every process
 * shares (core/weight-ledger.ts; PostgreSQL in practice): one atomic statement adds the weight to
 * the UTC minute's total only if the total stays within the budget and no pause is recorded.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/rest-api/limits
 *
 * - Refused for the budget: wait for the next minute and ask again (Binance's windows are fixed
 *   minutes). Refused for a pause: wait until it ends.
 * - A 429 or 418 seen here is written to the ledger, so every other process stops at its next
 *   reservation; requests already in flight elsewhere cannot be recalled.
 * - A header above what the ledger holds (another client on the IP, or a request reserved in one
 *   minute that reached the server in the next) raises the ledger's total to it (GREATEST).
 * - One reservation per request, no leases: it costs one short round trip (median 0.4–0.9 ms on
 *   the local PostgreSQL of a loaded 2-core machine, src/store/bench/measure-weight-ledger.ts)
 *   against a REST call of 1000 klines, at most 45 a second for the whole IP; and a lease would let
 *   a process go on sending after another process's 429 — which Binance answers with an IP ban.
 * - The ledger unreachable or slower than `ledgerTimeoutMs`: warn once, go by the local governor
 *   alone (bounded by its budget and the header, which counts every process on the IP) for
 *   `retryLedgerMs`, then try the ledger again. Never blocks on the ledger, never sends unlimited.
 *
 * Windows are on this governor's clock (the exchange's clock as learned from its responses, in
 * createSources), so processes agree on the minute to within their clock error.
 *
 * Why PostgreSQL rather than NATS KV: a reservation must be a conditional increment ("add w if the
 * total stays ≤ budget"), which is one statement in SQL; on a KV store it is a read and a
 * compare-and-set retried under contention. And every process that calls Binance REST has the
 * PostgreSQL store open, while not all of them are given a bus.
 */
import type { WeightLedger, WeightReservation } from '../../core/weight-ledger.js';
import type { RateLimit } from './exchange-info.js';
import {
  defaultRateGovernor, pauseEndAfter, usedWeightHeader, WINDOW_MS,
  type RateGovernor, type RateGovernorStats, type ResponseLike, type WeightGovernor, type WeightPermit,
} from './rate-governor.js';
import { timerSleep } from '../http/index.js';

/** The ledger's name for Binance's per-IP REQUEST_WEIGHT budget. */
export const BINANCE_WEIGHT_SCOPE = 'binance';
/** Windows kept in the ledger after they end (an hour), for a look at recent spending. */
const KEEP_WINDOWS_MS = 60 * WINDOW_MS;

export interface SharedRateGovernorOptions {
  ledger: WeightLedger;
  /** The budget's name in the ledger; default `binance`. */
  scope?: string;
  /** The in-process governor every request also goes through, alone while the ledger is out. Default the process-wide one. */
  local?: RateGovernor;
  /** Epoch-ms clock that decides the minute. Default `Date.now`. */
  now?: () => number;
  /** Waits `ms`. Default a timer. */
  sleep?: (ms: number) => Promise<void>;
  /** A ledger call taking longer than this (real ms) counts as failed. Default 2000. */
  ledgerTimeoutMs?: number;
  /** After a ledger failure, how long to go by the local governor alone. Default 30 s. */
  retryLedgerMs?: number;
  /** Told when the ledger fails and when it works again. Default silent. */
  log?: { warn(message: string): void; info(message: string): void };
}

export interface SharedRateGovernorStats extends RateGovernorStats {
  ledger: {
    /** `shared` while reservations go through the ledger; `local-only` while it is out. */
    state: 'shared' | 'local-only';
    reservations: number;
    /** Reservations refused because the minute's budget was spent (the caller waited for the next). */
    refusedForBudget: number;
    /** Reservations refused because a process recorded a 429/418 pause. */
    refusedForPause: number;
    /** Ledger calls that failed or timed out. */
    errors: number;
    /** Requests granted by the local governor alone while the ledger was out. */
    localOnly: number;
  };
}

/** Budgets Binance request weight per minute across every process that shares `ledger`. */
export class SharedRateGovernor implements WeightGovernor {
  private readonly ledger: WeightLedger;
  private readonly scope: string;
  private readonly local: RateGovernor;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly ledgerTimeoutMs: number;
  private readonly retryLedgerMs: number;
  private readonly log: { warn(message: string): void; info(message: string): void } | undefined;
  private pausedUntil = 0;
  private ledgerOutUntil = 0;
  private ledgerOut = false;
  /** The ledger's total for `knownWindow` as last read (grants and raises). */
  private knownWindow = -1;
  private knownUsed = 0;
  private prunedWindow = -1;
  private readonly writes = new Set<Promise<void>>();
  private readonly counters = { reservations: 0, refusedForBudget: 0, refusedForPause: 0, refusedWeight: 0, errors: 0, localOnly: 0, waits: 0, waitedMs: 0 };

  constructor(options: SharedRateGovernorOptions) {
    this.ledger = options.ledger;
    this.scope = options.scope ?? BINANCE_WEIGHT_SCOPE;
    this.local = options.local ?? defaultRateGovernor;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? timerSleep;
    this.ledgerTimeoutMs = options.ledgerTimeoutMs ?? 2_000;
    this.retryLedgerMs = options.retryLedgerMs ?? 30_000;
    this.log = options.log;
  }

  configure(rateLimits: readonly RateLimit[]): void {
    this.local.configure(rateLimits);
  }

  /** The local governor's budget (limit × safety), which is also the most the ledger lets a minute hold. */
  get budget(): number {
    return this.local.budget;
  }

  /**
   * Resolves once `weight` was granted by the local governor and reserved in the ledger (or by the
   * local governor alone while the ledger is out); waits for the next minute or a pause's end.
   */
  async acquire(weight: number): Promise<WeightPermit> {
    for (;;) {
      const t = this.now();
      if (t < this.pausedUntil) {
        await this.wait(this.pausedUntil - t);
        continue;
      }
      const permit = await this.local.acquire(weight);
      const at = this.now();
      if (at < this.ledgerOutUntil) return this.localOnly(permit);
      const windowStart = Math.floor(at / WINDOW_MS) * WINDOW_MS;
      let r: WeightReservation;
      try {
        r = await this.call(this.ledger.reserve({ scope: this.scope, windowStart, weight, budget: this.budget, now: at }));
      } catch (err) {
        this.ledgerFailed(err);
        return this.localOnly(permit);
      }
      this.ledgerWorks();
      if (r.used !== null) {
        this.counters.reservations++;
        this.noteUsed(windowStart, r.used);
        if (this.prunedWindow !== windowStart) {
          this.prunedWindow = windowStart;
          this.background(this.ledger.prune(this.scope, windowStart - KEEP_WINDOWS_MS).then(() => undefined));
        }
        return this.track(permit, windowStart);
      }
      // Not sent: the local count keeps the weight (over-counting this minute is the safe side).
      permit.cancel();
      this.counters.refusedWeight += weight;
      if (r.pausedUntil !== null) {
        this.counters.refusedForPause++;
        this.pausedUntil = Math.max(this.pausedUntil, r.pausedUntil);
        continue;
      }
      this.counters.refusedForBudget++;
      this.noteUsed(windowStart, this.budget);
      await this.wait(windowStart + WINDOW_MS - this.now());
    }
  }

  /** The local governor's counters, less the requests the ledger refused, with the waits of both. */
  stats(): SharedRateGovernorStats {
    const l = this.local.stats();
    const c = this.counters;
    const refused = c.refusedForBudget + c.refusedForPause;
    return {
      ...l,
      requests: l.requests - refused,
      weight: l.weight - c.refusedWeight,
      waits: l.waits + c.waits,
      waitedMs: l.waitedMs + c.waitedMs,
      pausedUntil: Math.max(l.pausedUntil, this.pausedUntil),
      ledger: {
        state: this.ledgerOut ? 'local-only' : 'shared',
        reservations: c.reservations,
        refusedForBudget: c.refusedForBudget,
        refusedForPause: c.refusedForPause,
        errors: c.errors,
        localOnly: c.localOnly,
      },
    };
  }

  /** Resolves once the ledger writes started by responses (pauses, raises, pruning) are done. */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.all(this.writes);
  }

  private localOnly(permit: WeightPermit): WeightPermit {
    this.counters.localOnly++;
    return this.track(permit, null);
  }

  private track(permit: WeightPermit, windowStart: number | null): WeightPermit {
    let open = true;
    return {
      weight: permit.weight,
      settle: (response) => {
        if (!open) return;
        open = false;
        permit.settle(response);
        this.afterResponse(response, windowStart);
      },
      cancel: () => {
        open = false;
        permit.cancel();
      },
    };
  }

  private afterResponse(response: ResponseLike, windowStart: number | null): void {
    const t = this.now();
    const pauseEnd = pauseEndAfter(response, t);
    if (pauseEnd !== null && pauseEnd > this.pausedUntil) {
      this.pausedUntil = pauseEnd;
      // Written even while the ledger is out (it may be back); a failure only counts.
      this.background(this.call(this.ledger.pause(this.scope, pauseEnd)));
    }
    // The header alone, unlike the local governor's re-sync: requests still in flight are already
    // reserved in the ledger, and adding them to a header that has counted them would count them twice.
    const header = usedWeightHeader(response);
    const current = Math.floor(t / WINDOW_MS) * WINDOW_MS;
    if (header === null || windowStart !== current || t < this.ledgerOutUntil) return;
    if (this.knownWindow === current && header <= this.knownUsed) return;
    this.noteUsed(current, header);
    this.background(this.call(this.ledger.raise(this.scope, current, header)).then((used) => this.noteUsed(current, used)));
  }

  private noteUsed(windowStart: number, used: number): void {
    if (windowStart !== this.knownWindow) {
      if (windowStart < this.knownWindow) return;
      this.knownWindow = windowStart;
      this.knownUsed = used;
    } else {
      this.knownUsed = Math.max(this.knownUsed, used);
    }
  }

  private background(write: Promise<void>): void {
    const tracked: Promise<void> = write.then(
      () => this.ledgerWorks(),
      (err: unknown) => this.ledgerFailed(err),
    ).finally(() => this.writes.delete(tracked));
    this.writes.add(tracked);
  }

  private call<T>(p: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      // Not unref'd: a caller awaiting the ledger must keep the process alive until it gives up.
      timer = setTimeout(() => reject(new Error(`no answer within ${this.ledgerTimeoutMs} ms`)), this.ledgerTimeoutMs);
    });
    return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
  }

  private ledgerFailed(err: unknown): void {
    this.counters.errors++;
    this.ledgerOutUntil = this.now() + this.retryLedgerMs;
    if (this.ledgerOut) return;
    this.ledgerOut = true;
    const reason = err instanceof Error ? err.message : String(err);
    this.log?.warn(`weight ledger (${this.scope}) failed: ${reason}; going by this process's own weight governor for ${this.retryLedgerMs / 1000} s, then trying the ledger again`);
  }

  private ledgerWorks(): void {
    if (!this.ledgerOut) return;
    this.ledgerOutUntil = 0;
    this.ledgerOut = false;
    this.log?.info(`weight ledger (${this.scope}) answers again: back to the budget shared with other processes`);
  }

  private async wait(ms: number): Promise<void> {
    if (!(ms > 0)) return;
    this.counters.waits++;
    this.counters.waitedMs += ms;
    await this.sleep(ms);
  }
}
