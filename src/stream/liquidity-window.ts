/**
 * Windowed liquidity signals per market (issue 17 item 4): book-update notional per side and their
 * ratio, the same over the top levels of the book at the window's end, trade-flow imbalance,
 * spread and mid. The definitions are in ../store/signal-records.ts (LiquidityWindow).
 *
 * Events are placed by their exchange time (receive time where there is none). A window is
 * emitted once the newest event time seen for its market, or the clock given to `tick`, reaches
 * its end plus the grace; an event for a window already emitted is late: dropped and counted,
 * never patched in, and the window (if among the market's last 8 emitted) is emitted again
 * marked incomplete. Only windows that saw an event are emitted. The same events give the same
 * records, keyed by window start, so a replay or a restart never double-counts.
 *
 * The book at a window's end is read through `bookFor` when the first event at or after the end
 * arrives, before it is applied: call `onEvent` with an event before applying it to the book.
 */
import type { BookDeltaEvent, BookSnapshotEvent, MarketEvent, MarketRef, TradeEvent } from '../core/market-events.js';
import { BadInputError, ConfigError } from '../core/errors.js';
import type { LiquidityWindow } from '../store/signal-records.js';
import type { BookView } from './book-view.js';
import { DecimalSum } from './decimal-sum.js';

export type { LiquidityWindow } from '../store/signal-records.js';

export interface LiquidityWindowOptions {
  /** Window length (default 60 s). */
  windowMs?: number;
  /** How long after a window's end late events are still counted in it (default 2 s). */
  graceMs?: number;
  /** Levels per side summed from the book at the window's end (default 10). */
  topLevels?: number;
  /** The market's book, or undefined when none is kept (the book fields are then null). */
  bookFor?: (ref: MarketRef) => BookView | undefined;
}

interface BookAtEnd {
  bid: number | null;
  ask: number | null;
  bestBid: number | null;
  bestAsk: number | null;
}

class OpenWindow {
  readonly bid = new DecimalSum();
  readonly ask = new DecimalSum();
  readonly buy = new DecimalSum();
  readonly sell = new DecimalSum();
  deltaEvents = 0;
  bidLevels = 0;
  askLevels = 0;
  trades = 0;
  book: BookAtEnd | null = null;
  constructor(readonly start: number) {}

  addDelta(e: BookDeltaEvent): void {
    this.deltaEvents++;
    this.bidLevels += e.bids.length;
    this.askLevels += e.asks.length;
    for (const [p, q] of e.bids) this.bid.add(p, q);
    for (const [p, q] of e.asks) this.ask.add(p, q);
  }

  addTrade(t: TradeEvent): void {
    this.trades++;
    if (t.takerSide === 'buy') this.buy.add(t.quantity);
    else if (t.takerSide === 'sell') this.sell.add(t.quantity);
  }
}

const finite = (x: number): boolean => x > -Infinity && x < Infinity;

/** Refuses an event whose numbers cannot be summed, before any state changes (a bad event is never half-counted). */
function checkEvent(e: TradeEvent | BookDeltaEvent | BookSnapshotEvent, time: number): void {
  const what = `${e.kind} ${e.exchange}:${e.symbol} at ${time}`;
  if (!finite(time)) throw new BadInputError(`${what}: time is not a finite number`);
  if (e.kind === 'trade') {
    if (!(e.quantity >= 0 && finite(e.quantity))) throw new BadInputError(`${what}: quantity ${e.quantity} is not a finite number ≥ 0`);
    return;
  }
  for (const [p, q] of [...e.bids, ...e.asks]) {
    if (!(p > 0 && finite(p)) || !(q >= 0 && finite(q))) throw new BadInputError(`${what}: level [${p}, ${q}] is not a finite price > 0 and quantity ≥ 0`);
  }
}

/** Emitted windows remembered per market for late events to mark. */
const RECENT_WINDOWS = 8;

const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);

function notional(levels: readonly (readonly [number, number])[]): number {
  const sum = new DecimalSum();
  for (const [p, q] of levels) sum.add(p, q);
  return sum.value;
}

class MarketWindows {
  readonly open = new Map<number, OpenWindow>();
  /** Windows starting before this were emitted. */
  emittedBefore = Number.NEGATIVE_INFINITY;
  newest = Number.NEGATIVE_INFINITY;
  /** The last windows emitted, by start: a late event marks its window incomplete if it is still here. */
  readonly recent = new Map<number, LiquidityWindow>();
  constructor(readonly ref: MarketRef) {}
}

export class LiquidityWindows {
  readonly windowMs: number;
  readonly #graceMs: number;
  readonly #topLevels: number;
  readonly #bookFor: (ref: MarketRef) => BookView | undefined;
  readonly #markets = new Map<string, MarketWindows>();
  #late = 0;

  constructor(options: LiquidityWindowOptions = {}) {
    this.windowMs = options.windowMs ?? 60_000;
    this.#graceMs = options.graceMs ?? 2_000;
    this.#topLevels = options.topLevels ?? 10;
    this.#bookFor = options.bookFor ?? (() => undefined);
    if (!Number.isInteger(this.windowMs) || this.windowMs <= 0) throw new ConfigError(`liquidity window length must be a positive whole number of ms, not ${this.windowMs}`);
    if (!(this.#graceMs >= 0)) throw new ConfigError(`liquidity window grace must be ≥ 0 ms, not ${this.#graceMs}`);
    if (!Number.isInteger(this.#topLevels) || this.#topLevels <= 0) throw new ConfigError(`liquidity window top levels must be a positive integer, not ${this.#topLevels}`);
  }

  /** Events dropped because their window had already been emitted. */
  get late(): number {
    return this.#late;
  }

  /** Takes one event (before it is applied to the book); returns the windows it completed, oldest first. */
  onEvent(e: MarketEvent): LiquidityWindow[] {
    if (e.kind !== 'trade' && e.kind !== 'book_delta' && e.kind !== 'book_snapshot') return [];
    // A snapshot without the exchange's time (Binance REST depth) is in no window and must not move
    // the market's clock to this machine's receive time: in a replay, exchange times are years
    // behind it, and every open window would be emitted at once, its later events dropped as late.
    if (e.kind === 'book_snapshot' && e.exchangeTime === null) return [];
    const key = `${e.exchange}:${e.symbol}`;
    let m = this.#markets.get(key);
    if (m === undefined) this.#markets.set(key, (m = new MarketWindows({ exchange: e.exchange, symbol: e.symbol })));
    const time = e.exchangeTime ?? e.receivedAt;
    checkEvent(e, time);
    this.#readBooksEndedBy(m, time);
    const start = Math.floor(time / this.windowMs) * this.windowMs;
    if (start < m.emittedBefore) {
      this.#late++;
      // Its window went out without it: sent again marked incomplete (the same row, upserted), so
      // it is never passed off as exact. A redelivered event (JetStream after a restart) does this too.
      const sent = m.recent.get(start);
      if (sent === undefined || sent.incomplete) return [];
      const marked = { ...sent, incomplete: true };
      m.recent.set(start, marked);
      return [marked];
    }
    if (e.kind !== 'book_snapshot') {
      let w = m.open.get(start);
      if (w === undefined) m.open.set(start, (w = new OpenWindow(start)));
      if (e.kind === 'trade') w.addTrade(e);
      else w.addDelta(e);
    }
    if (time > m.newest) m.newest = time;
    return this.#emitUpTo(m, m.newest);
  }

  /** Emits every window whose end plus the grace is at or before `now`, for every market, oldest first per market. */
  tick(now: number | ((ref: MarketRef) => number)): LiquidityWindow[] {
    const out: LiquidityWindow[] = [];
    for (const m of this.#markets.values()) {
      const at = typeof now === 'number' ? now : now(m.ref);
      this.#readBooksEndedBy(m, at);
      out.push(...this.#emitUpTo(m, at));
    }
    return out;
  }

  /** Reads the book for every open window that ended at or before `time` and has not read it yet. */
  #readBooksEndedBy(m: MarketWindows, time: number): void {
    for (const w of m.open.values()) {
      if (w.book === null && w.start + this.windowMs <= time) w.book = this.#readBook(m.ref);
    }
  }

  #readBook(ref: MarketRef): BookAtEnd {
    const book = this.#bookFor(ref);
    if (book === undefined) return { bid: null, ask: null, bestBid: null, bestAsk: null };
    const bids = book.top('bid', this.#topLevels);
    const asks = book.top('ask', this.#topLevels);
    return { bid: notional(bids), ask: notional(asks), bestBid: bids[0]?.[0] ?? null, bestAsk: asks[0]?.[0] ?? null };
  }

  #emitUpTo(m: MarketWindows, time: number): LiquidityWindow[] {
    const due = [...m.open.values()].filter((w) => w.start + this.windowMs + this.#graceMs <= time).sort((a, b) => a.start - b.start);
    for (const w of due) {
      m.open.delete(w.start);
      m.emittedBefore = Math.max(m.emittedBefore, w.start + this.windowMs);
    }
    const out = due.map((w) => this.#record(m.ref, w));
    for (const w of out) m.recent.set(w.windowStart, w);
    for (const start of m.recent.keys()) if (m.recent.size > RECENT_WINDOWS) m.recent.delete(start);
    return out;
  }

  #record(ref: MarketRef, w: OpenWindow): LiquidityWindow {
    const book = w.book ?? this.#readBook(ref);
    const bid = w.bid.value;
    const ask = w.ask.value;
    const buy = w.buy.value;
    const sell = w.sell.value;
    const sided = buy + sell;
    const both = book.bestBid !== null && book.bestAsk !== null;
    return {
      exchange: ref.exchange, symbol: ref.symbol, windowStart: w.start, windowMs: this.windowMs,
      bidDeltaNotional: bid, askDeltaNotional: ask, deltaRatio: ratio(bid, ask),
      topLevels: this.#topLevels, bookBidNotional: book.bid, bookAskNotional: book.ask, bookRatio: ratio(book.bid, book.ask),
      takerBuyQuantity: buy, takerSellQuantity: sell, tradeImbalance: sided === 0 ? null : (buy - sell) / sided,
      bestBid: book.bestBid, bestAsk: book.bestAsk,
      spread: both ? (book.bestAsk as number) - (book.bestBid as number) : null,
      mid: both ? ((book.bestAsk as number) + (book.bestBid as number)) / 2 : null,
      deltaEvents: w.deltaEvents, bidLevels: w.bidLevels, askLevels: w.askLevels, trades: w.trades,
      // The windows see only the events they are given; the live stream marks those over an outage.
      incomplete: false,
    };
  }
}
