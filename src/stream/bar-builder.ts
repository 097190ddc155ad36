/**
 * 1m bars from trades, per (exchange, symbol), by the exchange's trade time (the receive time where
 * the exchange sends none).
 *
 * A minute's bar is emitted when a trade of a later minute arrives, or when `tick(now)` is called
 * with `now ≥ minute end + grace` (the caller drives the clock, so tests and replays are
 * deterministic). A minute without trades gives o = h = l = c = the previous close with volume 0
 * and 0 trades; nothing is emitted before a symbol's first trade. A trade for a minute already
 * emitted is late: it is dropped and counted in `late`, never patched into a bar already sent.
 *
 * Volumes and quote volumes are exact decimal sums rounded once (decimal-sum.ts), as the exchange
 * computes its own klines: equal to the last bit to DuckDB's DECIMAL GROUP BY over the same
 * recorded trades (bar-builder.test.ts). Taker-buy volumes come from `takerSide`;
 * a trade with an unknown side counts in neither taker-buy sum.
 */
import type { Candle } from '../core/candle.js';
import { BadInputError } from '../core/errors.js';
import type { MarketRef, TradeEvent } from '../core/market-events.js';
import { DecimalSum } from './decimal-sum.js';

export const MINUTE_MS = 60_000;

/** A closed 1m bar of one market. */
export interface StreamBar extends MarketRef {
  candle: Candle;
}

export interface BarBuilderOptions {
  /** How long after a minute's end `tick` waits for its late trades before emitting it (default 2 s). */
  graceMs?: number;
  /**
   * Most zero-trade bars in a row a market gets (default 60). Past that the market is taken as
   * silent (its feed stopped or it halted): no more flat bars are made up, and its next trade
   * starts a new bar after a gap that the gap scan and REST repair see, instead of hours of
   * invented flat minutes.
   */
  maxFlatBars?: number;
}

/** The minute being built for one market: `openTime`, and its trades so far (none yet: `open` is NaN). */
class OpenMinute {
  open = Number.NaN;
  high = Number.NaN;
  low = Number.NaN;
  close = Number.NaN;
  trades = 0;
  volume = new DecimalSum();
  quoteVolume = new DecimalSum();
  takerBuyBase = new DecimalSum();
  takerBuyQuote = new DecimalSum();
  constructor(readonly openTime: number, readonly previousClose: number) {}

  add(t: TradeEvent): void {
    if (this.trades === 0) {
      this.open = this.high = this.low = t.price;
    } else {
      if (t.price > this.high) this.high = t.price;
      if (t.price < this.low) this.low = t.price;
    }
    this.close = t.price;
    this.trades++;
    this.volume.add(t.quantity);
    this.quoteVolume.add(t.price, t.quantity);
    if (t.takerSide === 'buy') {
      this.takerBuyBase.add(t.quantity);
      this.takerBuyQuote.add(t.price, t.quantity);
    }
  }

  candle(): Candle {
    const openTime = this.openTime;
    const closeTime = openTime + MINUTE_MS - 1;
    if (this.trades === 0) {
      const p = this.previousClose;
      return { openTime, open: p, high: p, low: p, close: p, volume: 0, closeTime, quoteVolume: 0, trades: 0, takerBuyBase: 0, takerBuyQuote: 0 };
    }
    return {
      openTime, open: this.open, high: this.high, low: this.low, close: this.close, volume: this.volume.value, closeTime,
      quoteVolume: this.quoteVolume.value, trades: this.trades, takerBuyBase: this.takerBuyBase.value, takerBuyQuote: this.takerBuyQuote.value,
    };
  }

  /** The minute after this one, opening at this one's close. */
  next(): OpenMinute {
    return new OpenMinute(this.openTime + MINUTE_MS, this.trades === 0 ? this.previousClose : this.close);
  }
}

interface Market {
  ref: MarketRef;
  minute: OpenMinute;
  /** Zero-trade bars emitted since the last traded one. */
  flat: number;
}

export class BarBuilder {
  readonly #graceMs: number;
  readonly #maxFlatBars: number;
  readonly #markets = new Map<string, Market>();
  #late = 0;

  constructor(options: BarBuilderOptions = {}) {
    this.#graceMs = options.graceMs ?? 2000;
    this.#maxFlatBars = options.maxFlatBars ?? 60;
  }

  /** Trades dropped because their minute had already been emitted. */
  get late(): number {
    return this.#late;
  }

  /** Adds a trade; returns the bars it closed (its market's earlier minutes, zero-trade ones included), oldest first. */
  onTrade(t: TradeEvent): StreamBar[] {
    const time = t.exchangeTime ?? t.receivedAt;
    // Checked before any state changes, so a bad trade leaves every bar as it was.
    if (!(t.price > 0 && t.price < Infinity) || !(t.quantity >= 0 && t.quantity < Infinity) || !Number.isFinite(time)) {
      throw new BadInputError(`trade ${t.exchange}:${t.symbol} ${t.tradeId}: price ${t.price}, quantity ${t.quantity} and time ${time} must be finite, the price > 0 and the quantity ≥ 0`);
    }
    const openTime = Math.floor(time / MINUTE_MS) * MINUTE_MS;
    const key = `${t.exchange}:${t.symbol}`;
    const market = this.#markets.get(key);
    if (market === undefined) {
      const minute = new OpenMinute(openTime, t.price);
      minute.add(t);
      this.#markets.set(key, { ref: { exchange: t.exchange, symbol: t.symbol }, minute, flat: 0 });
      return [];
    }
    if (openTime < market.minute.openTime) {
      this.#late++;
      return [];
    }
    const out: StreamBar[] = [];
    while (market.minute.openTime < openTime) {
      if (this.#silent(market)) {
        market.minute = new OpenMinute(openTime, market.minute.previousClose);
        break;
      }
      this.#emit(market, out);
    }
    market.minute.add(t);
    if (market.minute.trades === 1) market.flat = 0;
    return out;
  }

  /** Emits, for every market, each minute whose end plus the grace is at or before `now`, oldest first. */
  tick(now: number | ((ref: MarketRef) => number)): StreamBar[] {
    const out: StreamBar[] = [];
    for (const market of this.#markets.values()) {
      const at = typeof now === 'number' ? now : now(market.ref);
      while (at >= market.minute.openTime + MINUTE_MS + this.#graceMs && !this.#silent(market)) this.#emit(market, out);
    }
    return out;
  }

  /** Whether the market's open minute is flat and it already had its most flat bars in a row. */
  #silent(market: Market): boolean {
    return market.minute.trades === 0 && market.flat >= this.#maxFlatBars;
  }

  #emit(market: Market, out: StreamBar[]): void {
    out.push({ ...market.ref, candle: market.minute.candle() });
    market.flat = market.minute.trades === 0 ? market.flat + 1 : 0;
    market.minute = market.minute.next();
  }
}
