/**
 * The books the stream processors keep for themselves (`BookKeeper`): one `OrderBook` per market,
 * built only from the snapshot and delta events on the bus. Live and in a replay over the lake the
 * processors see the same events in the same order, so their books, and the top-of-book sums a
 * window reads from them, are the same.
 *
 * An event with a bad level is refused by the book before it changes anything; the market's book
 * is then dropped until its next snapshot, and the refusal counted. (A crossed book is the feed's
 * to detect and resync: LiveBooks counts it.)
 */
import { formatMarketRef, type BookDeltaEvent, type BookSnapshotEvent, type MarketRef } from '../core/market-events.js';
import type { BookView } from './book-view.js';
import { OrderBook } from './order-book.js';
import type { BookKeeper } from './stream-processors.js';

export class ProcessorBooks implements BookKeeper {
  readonly #books = new Map<string, OrderBook>();
  #refused = 0;

  constructor(private readonly onRefused: (ref: MarketRef, err: unknown) => void = () => undefined) {}

  /** Book events refused for a bad level, each dropping its market's book until the next snapshot. */
  get refused(): number {
    return this.#refused;
  }

  view(ref: MarketRef): BookView | undefined {
    return this.#books.get(formatMarketRef(ref));
  }

  apply(e: BookSnapshotEvent | BookDeltaEvent): void {
    const key = formatMarketRef(e);
    try {
      if (e.kind === 'book_snapshot') {
        const book = new OrderBook(e);
        book.applySnapshot(e.bids, e.asks);
        this.#books.set(key, book);
      } else {
        this.#books.get(key)?.applyLevels(e.bids, e.asks);
      }
    } catch (err) {
      this.#refused++;
      this.#books.delete(key);
      this.onRefused(e, err);
    }
  }
}
