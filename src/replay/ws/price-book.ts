/**
 * A two-sided price book kept by the replay server with its own code (a test double shares no
 * code with what it tests): levels keyed by numeric price, quantities kept as the exchange's own
 * decimal text so a served snapshot repeats the recorded strings. A quantity that parses to 0
 * removes the level — Binance diff depth and Gemini `l2_updates` both send absolute sizes.
 */
import { BadInputError } from '../../core/errors.js';

export type Level = readonly [price: string, qty: string];
export type BookSideName = 'bids' | 'asks';

export class PriceBook {
  readonly bids = new Map<number, Level>();
  readonly asks = new Map<number, Level>();

  /** Sets each level's quantity (absolute), removing levels whose quantity is zero. */
  apply(side: BookSideName, levels: readonly Level[]): void {
    const book = this[side];
    for (const [price, qty] of levels) {
      const p = Number(price);
      if (!Number.isFinite(p)) throw new RangeError(`price "${price}" is not a number`);
      if (Number(qty) === 0) book.delete(p);
      else book.set(p, [price, qty]);
    }
  }

  clone(): PriceBook {
    const copy = new PriceBook();
    for (const [p, l] of this.bids) copy.bids.set(p, l);
    for (const [p, l] of this.asks) copy.asks.set(p, l);
    return copy;
  }

  /** Best levels first: bids high to low, asks low to high, at most `limit` of each. */
  top(side: BookSideName, limit = Number.POSITIVE_INFINITY): Level[] {
    const prices = [...this[side].keys()].sort(side === 'bids' ? (a, b) => b - a : (a, b) => a - b);
    const out: Level[] = [];
    for (const p of prices) {
      if (out.length >= limit) break;
      const level = this[side].get(p);
      if (level) out.push(level);
    }
    return out;
  }

  /**
   * The absolute-size changes that turn this book into `target`: every level of `target` that
   * differs, and every level only here set to `zero` (the exchange's own spelling of nothing).
   */
  changesTo(target: PriceBook, zero: (side: BookSideName, level: Level) => string): Record<BookSideName, Level[]> {
    const out: Record<BookSideName, Level[]> = { bids: [], asks: [] };
    for (const side of ['bids', 'asks'] as const) {
      for (const [p, level] of this[side]) if (!target[side].has(p)) out[side].push([level[0], zero(side, level)]);
      for (const [p, level] of target[side]) {
        const mine = this[side].get(p);
        if (!mine || mine[1] !== level[1]) out[side].push(level);
      }
    }
    return out;
  }
}

/** `[["price","qty"],…]` as recorded, or a BadInputError naming `where`. */
export function parseLevels(v: unknown, where: string): Level[] {
  if (!Array.isArray(v)) throw new BadInputError(`${where}: levels are not an array`);
  return v.map((l) => {
    if (!Array.isArray(l) || typeof l[0] !== 'string' || typeof l[1] !== 'string') throw new BadInputError(`${where}: level ${JSON.stringify(l)} is not ["price","qty"]`);
    return [l[0], l[1]] as const;
  });
}
