/**
 * Bitvavo's feed policy: keeps each market's book in `nonce` sequence with its snapshot (REST
 * `GET /{market}/book`, or a websocket `getBook` answer when one arrives), asks for a snapshot per
 * market when one is needed (first update after a connect, or a gap); a gap voids only that
 * market's book. Procedure: PROTOCOLS.md §5 (buffer by nonce, compare with the snapshot's nonce,
 * apply only newer updates).
 */
import type { MarketEvent } from '../../core/market-events.js';
import { emptyOutput, type FeedPolicy, type PolicyOutput } from '../ws/feed-policy.js';
import type { RawFrame } from '../ws/raw-frame.js';
import { SequenceSync, sequenceStepOutput } from '../ws/sequence-sync.js';
import { mapBitvavoFrame, parseBitvavoBookSnapshot } from './book-mappers.js';
import { bitvavoFrameMarket, bitvavoStreamCapabilities } from './ws-v2.js';

export class BitvavoFeedPolicy implements FeedPolicy {
  readonly exchange = 'bitvavo' as const;
  readonly capabilities = bitvavoStreamCapabilities;
  readonly #syncs = new Map<string, SequenceSync>();
  /** Requests the exchange refused (`errorCode` answers), with the last one's text. */
  exchangeErrors = 0;
  lastExchangeError: string | null = null;

  #sync(market: string): SequenceSync {
    let s = this.#syncs.get(market);
    if (s === undefined) {
      s = new SequenceSync(market, { label: `bitvavo ${market} book nonce`, askOnFirstUpdate: true });
      this.#syncs.set(market, s);
    }
    return s;
  }

  symbolOfFrame(text: string): string | null {
    return bitvavoFrameMarket(text);
  }

  onConnected(): PolicyOutput {
    for (const s of this.#syncs.values()) s.reset();
    return emptyOutput();
  }

  onFrame(frame: RawFrame): PolicyOutput {
    const m = mapBitvavoFrame(frame.text, frame.receivedAt);
    switch (m.kind) {
      case 'book_delta':
        return sequenceStepOutput(m.symbol, this.#sync(m.symbol).onDelta(m));
      case 'book_snapshot':
        return sequenceStepOutput(m.symbol, this.#sync(m.symbol).onSnapshot(m));
      case 'trade': {
        const events: MarketEvent[] = [m];
        return { events, gaps: [], snapshotsWanted: [] };
      }
      case 'error':
        this.exchangeErrors++;
        this.lastExchangeError = `${m.action} ${m.market ?? ''} error ${m.code}: ${m.message}`;
        return emptyOutput();
      default:
        return emptyOutput();
    }
  }

  onSnapshot(symbol: string, body: string, receivedAt: number): PolicyOutput {
    return sequenceStepOutput(symbol, this.#sync(symbol).onSnapshot(parseBitvavoBookSnapshot(body, symbol, receivedAt)));
  }
}
