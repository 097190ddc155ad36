/**
 * Keeps one symbol's book updates in sequence when every update carries ONE sequence number that
 * rises by exactly 1 (Bitvavo `nonce`, BTCTurk `obdiff` `CS`). Pure: it owns no book; it says what
 * to apply, in order, and when the book must be rebuilt. Binance's two-number (`U`/`u`) rule lives
 * in its own folder.
 *
 * - Until a snapshot: buffer updates (bounded); ask for one snapshot when the first arrives, if the
 *   exchange's snapshot comes by REST (`askOnFirstUpdate`), else wait for the one the socket sends.
 * - A sequenced snapshot S: drop buffered updates with n <= S; the first left must be S+1, else the
 *   snapshot is older than the buffer: ask for another and keep buffering.
 * - In sync (book at B): n <= B is old and ignored; n > B+1 is a gap: the book is void, buffering
 *   restarts with this update and a snapshot is asked for; otherwise apply and B = n.
 * - An unsequenced snapshot (a REST body without a sequence, BTCTurk) is applied as it is; the
 *   buffer is dropped and the next update sets B. Best effort: see the caller's notes.
 */
import type { BookDeltaEvent, BookSnapshotEvent } from '../../core/market-events.js';
import type { SequenceGap } from './feed-policy.js';

export type SequenceStep =
  | { type: 'buffering'; snapshotWanted: boolean }
  | { type: 'apply'; events: (BookSnapshotEvent | BookDeltaEvent)[] }
  | { type: 'ignored' }
  | { type: 'gap'; gap: SequenceGap; snapshotWanted: boolean };

export const DEFAULT_SEQUENCE_BUFFER_LIMIT = 10_000;

export interface SequenceSyncOptions {
  /** Names the exchange and the sequence in gap messages, e.g. `bitvavo BTC-EUR nonce`. */
  label: string;
  /** Ask for a snapshot when the first update arrives (true when the snapshot is fetched by REST). */
  askOnFirstUpdate: boolean;
  bufferLimit?: number;
}

export class SequenceSync {
  readonly symbol: string;
  readonly #o: SequenceSyncOptions;
  #buffer: BookDeltaEvent[] = [];
  /** The last applied sequence; null while out of sync; NaN right after an unsequenced snapshot. */
  #bookId: number | null = null;
  #snapshotPending = false;

  constructor(symbol: string, options: SequenceSyncOptions) {
    this.symbol = symbol;
    this.#o = options;
  }

  get bookId(): number | null {
    return this.#bookId;
  }

  get buffered(): number {
    return this.#buffer.length;
  }

  reset(): void {
    this.#buffer = [];
    this.#bookId = null;
    this.#snapshotPending = false;
  }

  onDelta(d: BookDeltaEvent): SequenceStep {
    const n = d.lastSequence ?? NaN;
    if (this.#bookId === null) return this.#bufferDelta(d, this.#o.askOnFirstUpdate);
    if (this.#bookId !== this.#bookId) {
      this.#bookId = n;
      return { type: 'apply', events: [d] };
    }
    if (n <= this.#bookId) return { type: 'ignored' };
    if (n > this.#bookId + 1) {
      const expected = this.#bookId + 1;
      const gap: SequenceGap = {
        symbol: this.symbol,
        expected,
        received: n,
        message: `${this.#o.label} gap: expected ${expected}, got ${n}; resyncing from a new snapshot`,
      };
      this.reset();
      const step = this.#bufferDelta(d, true);
      return { type: 'gap', gap, snapshotWanted: step.snapshotWanted };
    }
    this.#bookId = n;
    return { type: 'apply', events: [d] };
  }

  #bufferDelta(d: BookDeltaEvent, ask: boolean): SequenceStep & { type: 'buffering' } {
    this.#buffer.push(d);
    if (this.#buffer.length > (this.#o.bufferLimit ?? DEFAULT_SEQUENCE_BUFFER_LIMIT)) this.#buffer.shift();
    if (this.#snapshotPending || !ask) return { type: 'buffering', snapshotWanted: false };
    this.#snapshotPending = true;
    return { type: 'buffering', snapshotWanted: true };
  }

  onSnapshot(s: BookSnapshotEvent): SequenceStep {
    this.#snapshotPending = false;
    if (s.sequence === null) {
      this.#buffer = [];
      this.#bookId = NaN;
      return { type: 'apply', events: [s] };
    }
    const S = s.sequence;
    const kept = this.#buffer.filter((d) => (d.lastSequence ?? NaN) > S);
    const first = kept[0];
    if (first !== undefined && (first.lastSequence ?? NaN) > S + 1) {
      this.#buffer = kept;
      this.#snapshotPending = true;
      return { type: 'buffering', snapshotWanted: true };
    }
    this.#buffer = [];
    this.#bookId = S;
    const events: (BookSnapshotEvent | BookDeltaEvent)[] = [s];
    for (let i = 0; i < kept.length; i++) {
      const step = this.onDelta(kept[i]!);
      if (step.type === 'apply') events.push(...step.events);
      else if (step.type === 'gap') {
        for (const later of kept.slice(i + 1)) this.#bufferDelta(later, false);
        return step;
      }
    }
    return { type: 'apply', events };
  }
}

/** The generic step as a policy's output for one symbol. */
export function sequenceStepOutput(symbol: string, step: SequenceStep): { events: (BookSnapshotEvent | BookDeltaEvent)[]; gaps: SequenceGap[]; snapshotsWanted: string[] } {
  switch (step.type) {
    case 'apply':
      return { events: step.events, gaps: [], snapshotsWanted: [] };
    case 'ignored':
      return { events: [], gaps: [], snapshotsWanted: [] };
    case 'buffering':
      return { events: [], gaps: [], snapshotsWanted: step.snapshotWanted ? [symbol] : [] };
    case 'gap':
      return { events: [], gaps: [step.gap], snapshotsWanted: step.snapshotWanted ? [symbol] : [] };
  }
}
