/**
 * A request-weight ledger shared by every process that spends one exchange budget (Binance counts
 * weight per IP, so several tickerflow processes on one machine spend one budget). Declared in core
 * so that a connector's governor can use it and a store backend can implement it without either
 * importing the other. Windows are fixed: `windowStart` is a multiple of the window length on the
 * caller's clock. `scope` names the budget (e.g. `binance`); the ledger knows nothing else of it.
 */

export interface WeightReserveRequest {
  scope: string;
  windowStart: number;
  weight: number;
  /** The most weight the window may hold after this reservation. */
  budget: number;
  /** The caller's now (epoch ms): a pause that ends after it refuses the reservation. */
  now: number;
}

/** `used` is the window's total after the grant, or null when refused; `pausedUntil` is a pause in force at `now`, or null. */
export interface WeightReservation {
  used: number | null;
  pausedUntil: number | null;
}

export interface WeightLedger {
  /**
   * Adds `weight` to the window's total, atomically, if the total stays within `budget` and no
   * pause is in force at `now`; otherwise changes nothing.
   */
  reserve(request: WeightReserveRequest): Promise<WeightReservation>;
  /** Raises the window's total to at least `used` (a count the exchange reported); returns the total. */
  raise(scope: string, windowStart: number, used: number): Promise<number>;
  /** Pauses the scope until `until` (epoch ms), or keeps a later pause already recorded. */
  pause(scope: string, until: number): Promise<void>;
  /** Deletes the scope's windows that start before `before`; returns how many. */
  prune(scope: string, before: number): Promise<number>;
}
