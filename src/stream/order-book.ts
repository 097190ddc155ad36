/**
 * A generic L2 order book: absolute level quantities keyed by numeric price (never by the raw
 * string: exchanges pad prices differently between snapshot and deltas), a quantity of 0 removes
 * a level.
 *
 * Each side is a sorted array with its best level at the END (bids ascending, asks descending),
 * so the updates that dominate a live feed — near the top of the book — insert or remove close to
 * the end and move few elements; a lookup is a binary search. Good for thousands of levels.
 */
import type { BookLevel, MarketRef } from '../core/market-events.js';
import { formatMarketRef } from '../core/market-events.js';
import { BadInputError } from '../core/errors.js';

export type BookSideName = 'bid' | 'ask';

/** What a reader of a book needs (e.g. the windowed-signal processor): best first. */
export interface BookView {
  top(side: BookSideName, n: number): BookLevel[];
  bestBid(): BookLevel | null;
  bestAsk(): BookLevel | null;
}

/** A book whose best bid is at or above its best ask: the exchange's state and ours disagree. */
export class CrossedBookError extends BadInputError {
  readonly bid: number;
  readonly ask: number;
  constructor(ref: MarketRef, bid: number, ask: number) {
    super(`${formatMarketRef(ref)} book is crossed: best bid ${bid} >= best ask ${ask}`);
    this.bid = bid;
    this.ask = ask;
  }
}

class BookSide {
  /** Prices sorted so that the best is last. */
  readonly #prices: number[] = [];
  readonly #quantities: number[] = [];
  readonly #ascending: boolean;

  constructor(bestIsHighest: boolean) {
    this.#ascending = bestIsHighest;
  }

  get size(): number {
    return this.#prices.length;
  }

  clear(): void {
    this.#prices.length = 0;
    this.#quantities.length = 0;
  }

  /** Index of price, or −(insertion point) − 1. */
  #find(price: number): number {
    const prices = this.#prices;
    let lo = 0;
    let hi = prices.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const p = prices[mid]!;
      if (p === price) return mid;
      if (this.#ascending ? p < price : p > price) lo = mid + 1;
      else hi = mid - 1;
    }
    return -lo - 1;
  }

  set(price: number, quantity: number): void {
    const i = this.#find(price);
    if (i >= 0) {
      if (quantity === 0) {
        this.#prices.splice(i, 1);
        this.#quantities.splice(i, 1);
      } else {
        this.#quantities[i] = quantity;
      }
    } else if (quantity !== 0) {
      const at = -i - 1;
      if (at === this.#prices.length) {
        this.#prices.push(price);
        this.#quantities.push(quantity);
      } else {
        this.#prices.splice(at, 0, price);
        this.#quantities.splice(at, 0, quantity);
      }
    }
  }

  best(): BookLevel | null {
    const n = this.#prices.length;
    return n === 0 ? null : [this.#prices[n - 1]!, this.#quantities[n - 1]!];
  }

  top(n: number): BookLevel[] {
    const out: BookLevel[] = [];
    for (let i = this.#prices.length - 1; i >= 0 && out.length < n; i--) out.push([this.#prices[i]!, this.#quantities[i]!]);
    return out;
  }
}

function checkLevel(ref: MarketRef, side: BookSideName, level: BookLevel): void {
  const [price, quantity] = level;
  if (!Number.isFinite(price) || price <= 0 || !Number.isFinite(quantity) || quantity < 0) {
    throw new BadInputError(`${formatMarketRef(ref)} ${side} level [${price}, ${quantity}] is not a positive price with a quantity >= 0`);
  }
}

export class OrderBook implements BookView {
  readonly ref: MarketRef;
  readonly #bids = new BookSide(true);
  readonly #asks = new BookSide(false);

  constructor(ref: MarketRef) {
    this.ref = ref;
  }

  get depth(): { bids: number; asks: number } {
    return { bids: this.#bids.size, asks: this.#asks.size };
  }

  /**
   * Replaces the whole book. Every level is checked before anything changes, so a bad snapshot
   * leaves the previous book as it was.
   */
  applySnapshot(bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    for (const l of bids) checkLevel(this.ref, 'bid', l);
    for (const l of asks) checkLevel(this.ref, 'ask', l);
    this.#bids.clear();
    this.#asks.clear();
    for (const [p, q] of bids) this.#bids.set(p, q);
    for (const [p, q] of asks) this.#asks.set(p, q);
  }

  /** Sets each level's absolute quantity (0 removes it); all levels are checked first. */
  applyLevels(bids: readonly BookLevel[], asks: readonly BookLevel[]): void {
    for (const l of bids) checkLevel(this.ref, 'bid', l);
    for (const l of asks) checkLevel(this.ref, 'ask', l);
    for (const [p, q] of bids) this.#bids.set(p, q);
    for (const [p, q] of asks) this.#asks.set(p, q);
  }

  bestBid(): BookLevel | null {
    return this.#bids.best();
  }

  bestAsk(): BookLevel | null {
    return this.#asks.best();
  }

  top(side: BookSideName, n: number): BookLevel[] {
    return side === 'bid' ? this.#bids.top(n) : this.#asks.top(n);
  }

  /** The crossed-book error naming symbol and prices, or null when bid < ask (or a side is empty). */
  crossed(): CrossedBookError | null {
    const bid = this.#bids.best();
    const ask = this.#asks.best();
    if (bid === null || ask === null || bid[0] < ask[0]) return null;
    return new CrossedBookError(this.ref, bid[0], ask[0]);
  }
}
