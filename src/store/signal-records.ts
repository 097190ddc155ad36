/**
 * What the store keeps for stream signals (migration 9, table `signals`): one liquidity window
 * of one market, as stream/liquidity-window.ts computes it and the bus carries it. Keyed by (exchange, symbol, windowStart, windowMs):
 * computing a window again (a replay, a restart, a redelivery) yields the same record, and storing
 * it is an upsert by that key.
 *
 * Definitions (window = [windowStart, windowStart + windowMs) of each event's exchange time, or its
 * receive time where the exchange sends none):
 * - `bidDeltaNotional` / `askDeltaNotional`: Σ price × quantity over every level of every
 *   BookDeltaEvent in the window, bids and asks apart, with the quantity as the exchange sent it
 *   (the level's new size, not a difference; a removal, size 0, adds 0). Snapshots are not
 *   counted. What the Gemini bot summed from `l2` updates. Exact decimal sums, rounded once.
 * - `deltaRatio` = bid / ask of those sums (null when the ask sum is 0).
 * - `bookBidNotional` / `bookAskNotional`: Σ price × quantity over the best `topLevels` levels of
 *   each side of the book as it stood at the window's end (before the first event at or after
 *   it was applied), `bookRatio` their ratio; null without a book or with an empty ask side.
 * - `tradeImbalance` = (taker buy qty − taker sell qty) / (their sum) over the window's trades
 *   with a known taker side; null when there are none.
 * - `bestBid`, `bestAsk`, `spread` = ask − bid and `mid` = (ask + bid) / 2 of the book at the end; null when a side is empty.
 * - counts: delta events, bid and ask levels in them, trades (sided or not).
 * - `incomplete` (migration 11): the window overlaps time the stream process was not connected
 *   (killed and restarted), so book updates of it were never received and its sums are short.
 */
export interface LiquidityWindow {
  /** The exchange id and its own symbol (the stream's MarketRef; kept as text like the rest of the store). */
  exchange: string;
  symbol: string;
  windowStart: number;
  windowMs: number;
  bidDeltaNotional: number;
  askDeltaNotional: number;
  deltaRatio: number | null;
  topLevels: number;
  bookBidNotional: number | null;
  bookAskNotional: number | null;
  bookRatio: number | null;
  takerBuyQuantity: number;
  takerSellQuantity: number;
  tradeImbalance: number | null;
  bestBid: number | null;
  bestAsk: number | null;
  spread: number | null;
  mid: number | null;
  deltaEvents: number;
  bidLevels: number;
  askLevels: number;
  trades: number;
  /** The window overlaps an outage of the stream process: its values are not the whole window's. */
  incomplete: boolean;
}

/** The numeric fields of a record, in the store's column order after the key. */
export const LIQUIDITY_VALUE_FIELDS = [
  'bidDeltaNotional', 'askDeltaNotional', 'deltaRatio', 'topLevels', 'bookBidNotional', 'bookAskNotional', 'bookRatio',
  'takerBuyQuantity', 'takerSellQuantity', 'tradeImbalance', 'bestBid', 'bestAsk', 'spread', 'mid', 'deltaEvents', 'bidLevels', 'askLevels', 'trades',
] as const satisfies readonly (keyof LiquidityWindow)[];

export interface SignalStore {
  /**
   * Upserts windows by (exchange, symbol, windowStart, windowMs) in one transaction: a window
   * written again replaces its row (same values after a replay). Returns the rows written.
   * A record the database refuses (empty symbol, negative start, window length ≤ 0, a count
   * below 0) rejects with StoreError and writes nothing.
   */
  upsertSignals(windows: readonly LiquidityWindow[]): Promise<number>;
  /** The market's windows of length `windowMs` with from ≤ windowStart < to, ascending. */
  readSignals(exchange: string, symbol: string, windowMs: number, from: number, to: number): Promise<LiquidityWindow[]>;
}
