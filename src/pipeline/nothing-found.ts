/**
 * Symbols whose backfill found nothing (not traded yet at that time, or delisted), remembered so
 * that `up` does not start a new backfill for them every minute. A memory lapses after a day, the
 * scheduler clears it when the universe changes, and the hourly archive check forgets a symbol
 * once files for it are listed and loaded; kept in memory, as a restart is a change too.
 */
import { DAY_MS } from '../core/intervals.js';

export class NothingFound {
  readonly #since = new Map<string, number>();

  constructor(private readonly lapseMs: number = DAY_MS) {}

  remember(symbol: string, now: number): void {
    this.#since.set(symbol, now);
  }

  /** True while `symbol` is remembered and its memory has not lapsed. */
  has(symbol: string, now: number): boolean {
    const at = this.#since.get(symbol);
    if (at === undefined) return false;
    if (now - at < this.lapseMs) return true;
    this.#since.delete(symbol);
    return false;
  }

  forget(symbol: string): void {
    this.#since.delete(symbol);
  }

  clear(): void {
    this.#since.clear();
  }

  get size(): number {
    return this.#since.size;
  }
}
