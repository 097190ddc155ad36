/**
 * Keeps one symbol's diff-depth events in sequence with its REST snapshot — Binance's "how to
 * manage a local order book correctly" (PROTOCOLS.md §3, text of 2025-11-12). Pure: it owns no
 * book; it says what to apply, in order, and when the book must be rebuilt.
 * @see https://developers.binance.com/docs/binance-spot-api-docs/web-socket-streams#how-to-manage-a-local-order-book-correctly
 *
 * - Buffer every event from connect; ask for a snapshot when the first one arrives.
 * - On the snapshot (`lastUpdateId` L): drop buffered events with `u <= L`; the first one left must
 *   have `U <= L+1 <= u`. If instead it starts after L+1, the snapshot is older than the buffer:
 *   ask for another and keep buffering.
 * - In sync (book id B): an event with `u <= B` is old and ignored; `U > B+1` is a gap — the book
 *   is void, buffering restarts with this event and a new snapshot is asked for; otherwise apply
 *   and B = u. (Normally `U == B+1`.)
 * The snapshot may arrive after events newer than it (the hftbacktest recording does this): that
 * is why the buffer, not the arrival order, decides where the book starts.
 */
import type { BookDeltaEvent, BookSnapshotEvent } from '../../../core/market-events.js';
import type { SequenceGap } from '../../ws/feed-policy.js';

export type DepthSyncStep =
  | { type: 'buffering'; snapshotWanted: boolean }
  | { type: 'apply'; events: (BookSnapshotEvent | BookDeltaEvent)[] }
  | { type: 'ignored' }
  | { type: 'gap'; gap: SequenceGap; snapshotWanted: boolean };

/** Events kept while waiting for a snapshot; older ones are dropped (a snapshot newer than them is needed anyway). */
export const DEFAULT_DEPTH_BUFFER_LIMIT = 10_000;

export class DepthSync {
  readonly symbol: string;
  readonly #bufferLimit: number;
  #buffer: BookDeltaEvent[] = [];
  #bookId: number | null = null;
  #snapshotPending = false;

  constructor(symbol: string, bufferLimit = DEFAULT_DEPTH_BUFFER_LIMIT) {
    this.symbol = symbol;
    this.#bufferLimit = bufferLimit;
  }

  /** The last applied update id, or null while the book is not in sync. */
  get bookId(): number | null {
    return this.#bookId;
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  /** Forget everything (a new connection): buffering starts again. */
  reset(): void {
    this.#buffer = [];
    this.#bookId = null;
    this.#snapshotPending = false;
  }

  onDelta(d: BookDeltaEvent): DepthSyncStep {
    const U = d.firstSequence ?? NaN;
    const u = d.lastSequence ?? NaN;
    if (this.#bookId === null) return this.#bufferDelta(d);
    if (u <= this.#bookId) return { type: 'ignored' };
    if (U > this.#bookId + 1) {
      const expected = this.#bookId + 1;
      const gap: SequenceGap = {
        symbol: this.symbol,
        expected,
        received: U,
        message: `binance ${this.symbol} depth gap: expected update ${expected}, got U=${U} u=${u}; resyncing from a new snapshot`,
      };
      this.#bookId = null;
      this.#buffer = [];
      this.#snapshotPending = false;
      const step = this.#bufferDelta(d);
      return { type: 'gap', gap, snapshotWanted: step.type === 'buffering' && step.snapshotWanted };
    }
    this.#bookId = u;
    return { type: 'apply', events: [d] };
  }

  #bufferDelta(d: BookDeltaEvent): DepthSyncStep & { type: 'buffering' } {
    this.#buffer.push(d);
    if (this.#buffer.length > this.#bufferLimit) this.#buffer.shift();
    if (this.#snapshotPending) return { type: 'buffering', snapshotWanted: false };
    this.#snapshotPending = true;
    return { type: 'buffering', snapshotWanted: true };
  }

  onSnapshot(s: BookSnapshotEvent): DepthSyncStep {
    this.#snapshotPending = false;
    const L = s.sequence ?? NaN;
    const kept = this.#buffer.filter((d) => (d.lastSequence ?? NaN) > L);
    const first = kept[0];
    if (first !== undefined && (first.firstSequence ?? NaN) > L + 1) {
      // Older than every event still buffered: wait for a newer snapshot.
      this.#buffer = kept;
      this.#snapshotPending = true;
      return { type: 'buffering', snapshotWanted: true };
    }
    this.#buffer = [];
    this.#bookId = L;
    const events: (BookSnapshotEvent | BookDeltaEvent)[] = [s];
    for (let i = 0; i < kept.length; i++) {
      const step = this.onDelta(kept[i]!);
      if (step.type === 'apply') events.push(...step.events);
      else if (step.type === 'gap') {
        // A hole inside the buffer: the book is void again, nothing of it is handed out.
        for (const later of kept.slice(i + 1)) this.#bufferDelta(later);
        return { type: 'gap', gap: step.gap, snapshotWanted: step.snapshotWanted };
      }
    }
    return { type: 'apply', events };
  }
}
