/** Test support: a stored liquidity window (store/signal-records.ts) with plain values, patched per test. */
import type { LiquidityWindow } from '../../store/signal-records.js';

export function liquidityWindow(exchange: string, symbol: string, windowStart: number, patch: Partial<LiquidityWindow> = {}): LiquidityWindow {
  return {
    exchange, symbol, windowStart, windowMs: 60_000, bidDeltaNotional: 500, askDeltaNotional: 400, deltaRatio: 1.25,
    topLevels: 10, bookBidNotional: 790, bookAskNotional: 307, bookRatio: 790 / 307, takerBuyQuantity: 3, takerSellQuantity: 1, tradeImbalance: 0.5,
    bestBid: 100, bestAsk: 102, spread: 2, mid: 101, deltaEvents: 2, bidLevels: 3, askLevels: 3, trades: 4, incomplete: false, ...patch,
  };
}
