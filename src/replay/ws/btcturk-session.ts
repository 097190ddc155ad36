/**
 * One BTCTurk websocket feed connection: the recorded 991 version frame first, then a join
 * `[151,{"type":151,"channel","event":<pair>,"join":true}]` is answered
 * `[100,{"type":100,"ok":true,"message":"join|<channel>:<pair>"}]` and, on `obdiff`, the pair's
 * 431 book followed by its 432 diffs; a second join of the same pair is answered `ok:false` with
 * the same message (both as recorded). Pairs the capture has no book of, lower-case ones and other
 * channels are acknowledged `ok:true` and then stay silent, as the exchange was recorded doing for
 * unknown pairs. A leave (`"join":false`) stops the pair's frames unanswered, and anything else is
 * counted and ignored: no recorded frame shows an answer to either.
 *
 * @see https://docs.btcturk.com/websocket-feed/models
 */
import type { WebSocket } from 'ws';
import type { OutFrame } from './looped-capture.js';
import type { BtcturkCapture } from './btcturk-capture.js';
import { LoopedSession } from './looped-session.js';
import type { SessionHost } from './session-host.js';

type Json = Record<string, unknown>;

/** `[151,{channel, event, join}]`, or undefined. */
function joinRequest(v: unknown): { channel: string; pair: string; join: boolean } | undefined {
  if (!Array.isArray(v) || v[0] !== 151 || typeof v[1] !== 'object' || v[1] === null) return undefined;
  const { channel, event, join } = v[1] as Json;
  if (typeof channel !== 'string' || typeof event !== 'string' || typeof join !== 'boolean') return undefined;
  return { channel, pair: event, join };
}

export class BtcturkSession extends LoopedSession<BtcturkCapture> {
  /** Joined `channel:pair` keys. */
  readonly joined = new Set<string>();

  constructor(socket: WebSocket, host: SessionHost, capture: () => BtcturkCapture) {
    super('btcturk', socket, host, capture);
    socket.send(capture().versionFrame);
  }

  protected onMessage(msg: unknown): void {
    const req = joinRequest(msg);
    if (!req) {
      this.badMessages++;
      return;
    }
    const key = `${req.channel}:${req.pair}`;
    if (!req.join) {
      this.joined.delete(key);
      return;
    }
    const fresh = !this.joined.has(key);
    this.pump();
    this.joined.add(key);
    this.socket.send(JSON.stringify([100, { type: 100, ok: fresh, message: `join|${key}` }]));
    if (!fresh || req.channel !== 'obdiff') return;
    const cap = this.capture();
    const book = cap.joinBook(req.pair, this.captureTime(cap));
    if (book) this.send(book);
  }

  protected wants(f: OutFrame): boolean {
    return this.joined.has(`${f.stream}:${f.symbol}`);
  }

  /** Every frame of the capture is an `obdiff` 432 diff. */
  protected isBookDiff(): boolean {
    return true;
  }
}
