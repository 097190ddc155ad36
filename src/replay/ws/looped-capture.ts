/**
 * A recorded capture replayed on the simulated clock and looped: loop 0 is the recording as
 * received; loop k ≥ 1 replays messages from `loopStartIndex` on, `k × periodMs` later, with the
 * exchange's ids and times shifted by the capture's own code (`render`) so sequences continue
 * across the seam, preceded by derived frames (`resets`) that bring books back to the loop's
 * starting state. Capture time c maps to (loop k, time t inside the recording).
 */
import type { RecordedMessage } from './capture-readers.js';

/**
 * Why a frame is not the recording byte for byte. `rescheduled`: a recorded frame (or a
 * documentation example) given its place in a capture built from single frames, its sequence
 * number or time moved to follow the served book (Bitvavo, BTCTurk).
 */
export type DerivedKind = 'loop-shift' | 'loop-reset' | 'subscribe-book' | 'rescheduled' | 'malformed-fault';

export interface OutFrame {
  stream: string;
  /** Symbol the frame belongs to (exchange spelling), '' for connection-level frames. */
  symbol: string;
  text: string;
  derived: DerivedKind | null;
  loop: number;
}

export interface LoopedCapture {
  readonly messages: readonly RecordedMessage[];
  /** Capture time of the first message. */
  readonly startAt: number;
  readonly loopStartIndex: number;
  readonly periodMs: number;
  /** Message `i` as sent in loop `k`; null when that loop does not send it. */
  render(k: number, i: number): OutFrame | null;
  /** Derived frames sent just before loop k's first message (k ≥ 1). */
  resets(k: number): OutFrame[];
}

/** Loop and in-recording time of capture time `c`. */
export function locate(cap: LoopedCapture, c: number): { k: number; t: number } {
  const loopStartAt = cap.messages[cap.loopStartIndex]?.at ?? cap.startAt;
  if (c < loopStartAt + cap.periodMs) return { k: 0, t: c };
  const k = Math.floor((c - loopStartAt) / cap.periodMs);
  return { k, t: c - k * cap.periodMs };
}

/** Index of the first message in [from, messages.length) received after `t`. */
export function firstAfter(messages: readonly RecordedMessage[], t: number, from = 0): number {
  let lo = from;
  let hi = messages.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((messages[mid] as RecordedMessage).at <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Period of a capture: its length from `loopStartIndex` plus one median gap, rounded up to `grainMs`. */
export function loopPeriod(messages: readonly RecordedMessage[], loopStartIndex: number, grainMs = 1): number {
  const first = messages[loopStartIndex];
  const last = messages[messages.length - 1];
  if (!first || !last) return grainMs;
  const gaps: number[] = [];
  for (let i = loopStartIndex + 1; i < messages.length && gaps.length < 1001; i++) gaps.push((messages[i] as RecordedMessage).at - (messages[i - 1] as RecordedMessage).at);
  gaps.sort((a, b) => a - b);
  const gap = Math.max(1, gaps[gaps.length >> 1] ?? 1);
  return Math.ceil((last.at - first.at + gap) / grainMs) * grainMs;
}

/**
 * One connection's position in a looped capture. `take(c)` returns every frame due at or before
 * capture time `c`; a backlog older than `maxBacklogMs` (the clock jumped) is skipped, not sent.
 */
export class LoopCursor {
  private k: number;
  private i: number;
  private resetPending = false;
  skipped = 0;

  constructor(private readonly cap: LoopedCapture, c: number, private readonly maxBacklogMs = 60_000) {
    ({ k: this.k, i: this.i } = this.positionAfter(c));
  }

  private positionAfter(c: number): { k: number; i: number } {
    const { k, t } = locate(this.cap, c);
    const i = firstAfter(this.cap.messages, t, k === 0 ? 0 : this.cap.loopStartIndex);
    if (i < this.cap.messages.length) return { k, i };
    this.resetPending = true;
    return { k: k + 1, i: this.cap.loopStartIndex };
  }

  private due(): number {
    return (this.cap.messages[this.i] as RecordedMessage).at + this.k * this.cap.periodMs;
  }

  take(c: number): OutFrame[] {
    const out: OutFrame[] = [];
    if (this.cap.messages.length === 0) return out;
    if (c - this.due() > this.maxBacklogMs) {
      const before = { k: this.k, i: this.i };
      this.resetPending = false;
      ({ k: this.k, i: this.i } = this.positionAfter(c - this.maxBacklogMs));
      this.skipped += (this.k - before.k) * (this.cap.messages.length - this.cap.loopStartIndex) + this.i - before.i;
    }
    while (this.due() <= c) {
      if (this.resetPending) {
        out.push(...this.cap.resets(this.k));
        this.resetPending = false;
      }
      const frame = this.cap.render(this.k, this.i);
      if (frame) out.push(frame);
      this.i++;
      if (this.i >= this.cap.messages.length) {
        this.k++;
        this.i = this.cap.loopStartIndex;
        this.resetPending = true;
      }
    }
    return out;
  }
}
