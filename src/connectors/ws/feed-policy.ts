/**
 * How one exchange turns raw frames into normalised events and keeps its books in sequence.
 * Implemented per exchange (`connectors/<exchange>/ws/`), driven by the generic live-books keeper
 * in `stream/`, which owns the order books, the counters and the REST snapshot fetches.
 */
import type { FeedCapabilities, MarketEvent, StreamExchange } from '../../core/market-events.js';
import type { RawFrame } from './raw-frame.js';

/** A broken book sequence: the book must be rebuilt from a new snapshot. */
export interface SequenceGap {
  symbol: string;
  /** The update id the book needed next. */
  expected: number;
  /** The first update id the exchange sent instead. */
  received: number;
  message: string;
}

/**
 * What one step produced. Book events in `events` are in sequence and ready to apply in order:
 * a `book_snapshot` replaces the symbol's book, a `book_delta` updates it.
 */
export interface PolicyOutput {
  events: MarketEvent[];
  gaps: SequenceGap[];
  /** Symbols whose book needs a REST snapshot (fetch it, then call `onSnapshot`). */
  snapshotsWanted: string[];
}

export interface FeedPolicy {
  readonly exchange: StreamExchange;
  readonly capabilities: FeedCapabilities;
  /** A (re)connection started: book state from the previous connection is void. */
  onConnected(): PolicyOutput;
  /** The symbol a frame is about, read without parsing it (to charge a malformed frame to its book), or null. */
  symbolOfFrame(text: string): string | null;
  /** Maps one frame; throws BadInputError naming what was wrong for a malformed one. */
  onFrame(frame: RawFrame): PolicyOutput;
  /** A REST snapshot body for a symbol that asked for one; throws BadInputError if malformed. */
  onSnapshot(symbol: string, body: string, receivedAt: number): PolicyOutput;
}

export function emptyOutput(): PolicyOutput {
  return { events: [], gaps: [], snapshotsWanted: [] };
}
