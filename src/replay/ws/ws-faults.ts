/**
 * Faults the replay's websocket endpoints inject on request (`POST /_ws/faults`, or
 * `server.ws.inject`), each applied to every connection of the named exchange open at that
 * moment: `disconnect` closes them; `drop-depth` skips the next `count` depth frames (Binance
 * `depthUpdate`, Gemini `l2_updates` diffs, Bitvavo `book` events, BTCTurk 432 diffs) so the
 * client sees a sequence gap (Binance, Bitvavo, BTCTurk) or a silently wrong book (Gemini has no
 * sequence numbers); `stall` holds a stream (or all streams)
 * back for `seconds` of simulated time, then delivers what was held in order; `malformed` sends
 * the next `count` frames cut in half (invalid JSON).
 */
import { z } from 'zod';
import type { OutFrame } from './looped-capture.js';
import { REPLAY_WS_EXCHANGES } from './session-host.js';

export const wsFaultSchema = z
  .object({
    exchange: z.enum(REPLAY_WS_EXCHANGES),
    kind: z.enum(['disconnect', 'drop-depth', 'stall', 'malformed']),
    /** Binance stream name, or Gemini symbol, Bitvavo market or BTCTurk pair, the fault is limited to; default every stream. */
    stream: z.string().min(1).optional(),
    /** For `stall`: simulated seconds. */
    seconds: z.number().positive().optional(),
    /** For `drop-depth` and `malformed`: how many frames; default 1. */
    count: z.number().int().positive().optional(),
  })
  .strict()
  .refine((f) => f.kind !== 'stall' || f.seconds !== undefined, { message: 'a stall needs "seconds"' });

export type WsFault = z.infer<typeof wsFaultSchema>;

export interface AppliedWsFault extends WsFault {
  /** Connections it was applied to. */
  connections: number;
  /** Simulated time it was applied. */
  at: number;
}

const ALL = '*';

/** One connection's pending faults. */
export class SessionFaults {
  private readonly drops = new Map<string, number>();
  private readonly stalls = new Map<string, number>();
  private held: OutFrame[] = [];
  private malformed = 0;
  dropped = 0;

  add(f: WsFault, now: number): void {
    const key = f.stream ?? ALL;
    if (f.kind === 'drop-depth') this.drops.set(key, (this.drops.get(key) ?? 0) + (f.count ?? 1));
    if (f.kind === 'stall') this.stalls.set(key, Math.max(this.stalls.get(key) ?? 0, now + (f.seconds ?? 0) * 1000));
    if (f.kind === 'malformed') this.malformed += f.count ?? 1;
  }

  private stalled(f: OutFrame, now: number): boolean {
    for (const key of [f.stream, f.symbol, ALL]) if ((this.stalls.get(key) ?? 0) > now) return true;
    return false;
  }

  private drop(f: OutFrame): boolean {
    for (const key of [f.stream, f.symbol, ALL]) {
      const n = this.drops.get(key) ?? 0;
      if (n > 0) {
        this.drops.set(key, n - 1);
        this.dropped++;
        return true;
      }
    }
    return false;
  }

  /** What to send now of `frames` (due at simulated `now`); `isDepth` says which ones may be dropped. */
  apply(frames: OutFrame[], now: number, isDepth: (f: OutFrame) => boolean): OutFrame[] {
    const queue = this.held.length > 0 ? [...this.held, ...frames] : frames;
    this.held = [];
    const out: OutFrame[] = [];
    for (const f of queue) {
      if (this.stalled(f, now)) {
        this.held.push(f);
        continue;
      }
      if (isDepth(f) && this.drop(f)) continue;
      if (this.malformed > 0) {
        this.malformed--;
        out.push({ ...f, text: f.text.slice(0, Math.max(1, f.text.length >> 1)), derived: 'malformed-fault' });
        continue;
      }
      out.push(f);
    }
    return out;
  }
}
