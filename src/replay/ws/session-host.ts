/** What a websocket session needs from the replay server: the clock, settings and bookkeeping. */
import type { SimClock } from '../sim-clock.js';
import type { OutFrame } from './looped-capture.js';

export interface WsSessionOptions {
  /** Real ms between server pings (Binance: 20 s). */
  pingIntervalMs: number;
  /** Real ms a ping may go unanswered before the connection is closed (Binance: 1 min). */
  pongTimeoutMs: number;
  /** Incoming messages per second per connection before it is closed (Binance: 5). */
  maxInboundPerSecond: number;
}

/** The exchanges whose websockets the replay serves. */
export const REPLAY_WS_EXCHANGES = ['binance', 'gemini', 'bitvavo', 'btcturk'] as const;
export type ReplayWsExchange = (typeof REPLAY_WS_EXCHANGES)[number];

export type DropReason = 'no-pong' | 'rate-limit' | 'fault' | 'lifetime';

export interface SessionHost {
  clock: SimClock;
  /** Simulated time at which every capture's first message is due. */
  anchorSim: number;
  options: WsSessionOptions;
  sent(exchange: ReplayWsExchange, frame: OutFrame): void;
  dropped(exchange: ReplayWsExchange, reason: DropReason): void;
  closed(session: object): void;
}
