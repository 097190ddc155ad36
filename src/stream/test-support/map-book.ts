/**
 * Test-only order book over two maps, applying snapshots and deltas (absolute level sizes, 0
 * removes) with no validation: enough to give the liquidity windows a BookView in tests. The
 * real, validated order book is another module's.
 */
import type { BookDeltaEvent, BookSnapshotEvent } from '../../core/market-events.js';
import type { BookView } from '../book-view.js';

export class MapBook implements BookView {
  readonly #bids = new Map<number, number>();
  readonly #asks = new Map<number, number>();

  apply(e: BookSnapshotEvent | BookDeltaEvent): void {
    if (e.kind === 'book_snapshot') {
      this.#bids.clear();
      this.#asks.clear();
    }
    for (const [p, q] of e.bids) if (q === 0) this.#bids.delete(p); else this.#bids.set(p, q);
    for (const [p, q] of e.asks) if (q === 0) this.#asks.delete(p); else this.#asks.set(p, q);
  }

  top(side: 'bid' | 'ask', n: number): readonly (readonly [number, number])[] {
    const levels = [...(side === 'bid' ? this.#bids : this.#asks)];
    levels.sort((a, b) => (side === 'bid' ? b[0] - a[0] : a[0] - b[0]));
    return levels.slice(0, n);
  }
}
