/**
 * The liquidity signals a rule may read (`bid_ask_ratio@gemini`): each names one numeric field of
 * the stream's stored windows (store/signal-records.ts, docs/STREAM.md), read from the newest
 * window of the market that ended within the bar being evaluated (signal-windows.ts).
 */
import type { LiquidityWindow } from '../store/signal-records.js';

/** The window length the operands read: the stream's default (`[stream] window_seconds = 60`). */
export const SIGNAL_WINDOW_MS = 60_000;

export type SignalField = Exclude<keyof LiquidityWindow, 'exchange' | 'symbol' | 'windowStart' | 'windowMs' | 'topLevels' | 'incomplete'>;

/** Operand name → the window's field, in the order the docs list them. */
export const SIGNAL_OPERANDS = {
  bid_ask_ratio: 'deltaRatio',
  bid_notional: 'bidDeltaNotional',
  ask_notional: 'askDeltaNotional',
  top10_bid_ask_ratio: 'bookRatio',
  top10_bid_notional: 'bookBidNotional',
  top10_ask_notional: 'bookAskNotional',
  trade_imbalance: 'tradeImbalance',
  spread: 'spread',
  mid: 'mid',
  best_bid: 'bestBid',
  best_ask: 'bestAsk',
  trades: 'trades',
} as const satisfies Record<string, SignalField>;

export type SignalName = keyof typeof SIGNAL_OPERANDS;

export function isSignalName(name: string): name is SignalName {
  return Object.hasOwn(SIGNAL_OPERANDS, name);
}
