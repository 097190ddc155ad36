/**
 * Binance's feed policy: maps combined-stream frames, keeps each symbol's depth in sequence with
 * its REST snapshot, and asks for a snapshot per symbol when one is needed (first event after a
 * connect, or a gap). A gap voids only that symbol's book.
 */
import { emptyOutput, type FeedPolicy, type PolicyOutput } from '../../ws/feed-policy.js';
import type { RawFrame } from '../../ws/raw-frame.js';
import { parseDepthSnapshot } from './depth-snapshot.js';
import { DepthSync, type DepthSyncStep } from './depth-sync.js';
import { mapBinanceFrame } from './stream-mappers.js';
import { binanceFrameStream, binanceStreamCapabilities } from './streams.js';

export class BinanceFeedPolicy implements FeedPolicy {
  readonly exchange = 'binance' as const;
  readonly capabilities = binanceStreamCapabilities;
  readonly #syncs = new Map<string, DepthSync>();
  /** Server shutdown notices seen; the caller reconnects on one. */
  shutdownNotices = 0;

  #sync(symbol: string): DepthSync {
    let s = this.#syncs.get(symbol);
    if (s === undefined) {
      s = new DepthSync(symbol);
      this.#syncs.set(symbol, s);
    }
    return s;
  }

  symbolOfFrame(text: string): string | null {
    const stream = binanceFrameStream(text);
    const at = stream === null ? -1 : stream.indexOf('@');
    return stream === null || at <= 0 ? null : stream.slice(0, at).toUpperCase();
  }

  onConnected(): PolicyOutput {
    for (const s of this.#syncs.values()) s.reset();
    return emptyOutput();
  }

  onFrame(frame: RawFrame): PolicyOutput {
    const m = mapBinanceFrame(frame.text, frame.receivedAt);
    if (m.kind === 'book_delta') return stepOutput(this.#sync(m.symbol), this.#sync(m.symbol).onDelta(m));
    if (m.kind === 'book_ticker') return emptyOutput();
    if (m.kind === 'control') {
      if (m.control === 'shutdown') this.shutdownNotices++;
      return emptyOutput();
    }
    return { events: [m], gaps: [], snapshotsWanted: [] };
  }

  onSnapshot(symbol: string, body: string, receivedAt: number): PolicyOutput {
    const snapshot = parseDepthSnapshot(body, symbol, receivedAt);
    const sync = this.#sync(symbol);
    return stepOutput(sync, sync.onSnapshot(snapshot));
  }
}

function stepOutput(sync: DepthSync, step: DepthSyncStep): PolicyOutput {
  switch (step.type) {
    case 'apply':
      return { events: step.events, gaps: [], snapshotsWanted: [] };
    case 'ignored':
      return emptyOutput();
    case 'buffering':
      return { events: [], gaps: [], snapshotsWanted: step.snapshotWanted ? [sync.symbol] : [] };
    case 'gap':
      return { events: [], gaps: [step.gap], snapshotsWanted: step.snapshotWanted ? [sync.symbol] : [] };
  }
}
