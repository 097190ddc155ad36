/**
 * The stored liquidity windows that signal operands read, held in columns per market for the
 * bars about to be evaluated, and loaded from the store before the runner steps them (the
 * evaluator itself does no I/O). The engine and the preview load them the same way, so a window
 * stored before a bar is evaluated is read the same by both.
 */
import type { LiquidityWindow, SignalStore } from '../store/signal-records.js';
import { SIGNAL_WINDOW_MS, type SignalField } from './signal-catalog.js';

/** One market's windows: their ends ascending, and one column per field some rule reads (NaN for null). */
export class SignalColumns {
  private ends = new Float64Array(0);
  private readonly columns = new Map<SignalField, Float64Array>();

  constructor(
    readonly exchange: string,
    readonly symbol: string,
  ) {}

  /** Makes `field` one of the columns kept. */
  keep(field: SignalField): void {
    if (!this.columns.has(field)) this.columns.set(field, new Float64Array(0));
  }

  /** Replaces the windows held by these (ascending by start, of one window length, as the store reads them). */
  load(windows: readonly LiquidityWindow[]): void {
    this.ends = Float64Array.from(windows, (w) => w.windowStart + w.windowMs);
    for (const field of this.columns.keys()) this.columns.set(field, Float64Array.from(windows, (w) => w[field] ?? NaN));
  }

  /**
   * `field` of the newest window ending within the bar (open < end ≤ close): never one that ends
   * after the close (no look-ahead), nor one older than the bar (a stream stopped long ago). NaN
   * when there is none or its value is null.
   */
  at(field: SignalField, open: number, close: number): number {
    const ends = this.ends;
    // The first window ending after the close, then the one before it.
    let lo = 0;
    let hi = ends.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ends[mid] as number) <= close) lo = mid + 1;
      else hi = mid;
    }
    const i = lo - 1;
    if (i < 0 || (ends[i] as number) <= open) return NaN;
    return (this.columns.get(field) as Float64Array)[i] as number;
  }
}

/** Every market some rule's signal operands read, keyed `exchange|symbol`. */
export class SignalPool {
  private readonly markets = new Map<string, SignalColumns>();

  market(exchange: string, symbol: string, field: SignalField): SignalColumns {
    const key = `${exchange}|${symbol}`;
    let m = this.markets.get(key);
    if (m === undefined) {
      m = new SignalColumns(exchange, symbol);
      this.markets.set(key, m);
    }
    m.keep(field);
    return m;
  }

  get size(): number {
    return this.markets.size;
  }

  /**
   * Loads every market's windows that can end within a bar opening at or after `from` and closing
   * by `to` (window start in [from − length, to)), replacing what was held.
   */
  async load(store: SignalStore, from: number, to: number): Promise<void> {
    if (!(to > from)) return;
    for (const m of this.markets.values()) m.load(await store.readSignals(m.exchange, m.symbol, SIGNAL_WINDOW_MS, from - SIGNAL_WINDOW_MS, to));
  }
}
