/**
 * BTCTurk's feed policy over the `obdiff` channel: the 431 a join sends is the book (sequence
 * `CS`), 432 diffs follow in `CS` order. A gap voids only that pair's book and asks for the REST
 * order book.
 *
 * Known limit: the REST body carries no `CS`, so a book rebuilt from it cannot be aligned with the
 * diffs exactly: it is applied as it is, the diffs buffered meanwhile are dropped, and the next
 * diff's `CS` becomes the sequence (diffs carry absolute amounts, so one diff applied twice does no
 * harm; a diff between the REST answer and the next one received is missed). A reconnect (new
 * join, new 431) makes the book exact again.
 */
import { emptyOutput, type FeedPolicy, type PolicyOutput } from '../ws/feed-policy.js';
import type { RawFrame } from '../ws/raw-frame.js';
import { SequenceSync, sequenceStepOutput } from '../ws/sequence-sync.js';
import { mapBtcturkFrame, parseBtcturkOrderbook } from './orderbook-mappers.js';
import { btcturkFramePair, btcturkStreamCapabilities } from './ws-feed-models.js';

export class BtcturkFeedPolicy implements FeedPolicy {
  readonly exchange = 'btcturk' as const;
  readonly capabilities = btcturkStreamCapabilities;
  readonly #syncs = new Map<string, SequenceSync>();
  /** Join results with `ok: false`, and the last one's message (`join|obdiff:BTCUSDT`). */
  joinFailures = 0;
  lastJoinFailure: string | null = null;

  #sync(pair: string): SequenceSync {
    let s = this.#syncs.get(pair);
    if (s === undefined) {
      // The snapshot comes with the join: no REST fetch until a gap.
      s = new SequenceSync(pair, { label: `btcturk ${pair} obdiff CS`, askOnFirstUpdate: false });
      this.#syncs.set(pair, s);
    }
    return s;
  }

  symbolOfFrame(text: string): string | null {
    return btcturkFramePair(text);
  }

  onConnected(): PolicyOutput {
    for (const s of this.#syncs.values()) s.reset();
    return emptyOutput();
  }

  onFrame(frame: RawFrame): PolicyOutput {
    const m = mapBtcturkFrame(frame.text, frame.receivedAt);
    switch (m.kind) {
      case 'book_snapshot':
        return sequenceStepOutput(m.symbol, this.#sync(m.symbol).onSnapshot(m));
      case 'book_delta':
        return sequenceStepOutput(m.symbol, this.#sync(m.symbol).onDelta(m));
      case 'result':
        if (!m.ok) {
          this.joinFailures++;
          this.lastJoinFailure = m.message;
        }
        return emptyOutput();
      default:
        return emptyOutput();
    }
  }

  onSnapshot(symbol: string, body: string, receivedAt: number): PolicyOutput {
    return sequenceStepOutput(symbol, this.#sync(symbol).onSnapshot(parseBtcturkOrderbook(body, symbol, receivedAt)));
  }
}
