/** What the stream puts on the bus: market events (`md.…`), its bars (`bar.1m.…`) and signals (`signal.liquidity.…`). */
import type { MarketEvent } from '../core/market-events.js';
import type { LiquidityWindow } from '../store/signal-records.js';
import type { StreamBar } from './bar-builder.js';

export type StreamPayload = MarketEvent | { kind: 'bar'; bar: StreamBar } | { kind: 'liquidity'; window: LiquidityWindow };
