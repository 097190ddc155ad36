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
import { LoopCursor, type OutFrame } from './looped-capture.js';
import type { BtcturkCapture } from './btcturk-capture.js';
import { rawText } from './gemini-session.js';
import { SessionFaults, type WsFault } from './ws-faults.js';
import type { SessionHost } from './session-host.js';

type Json = Record<string, unknown>;

/** `[151,{channel, event, join}]`, or undefined. */
function joinRequest(v: unknown): { channel: string; pair: string; join: boolean } | undefined {
  if (!Array.isArray(v) || v[0] !== 151 || typeof v[1] !== 'object' || v[1] === null) return undefined;
  const { channel, event, join } = v[1] as Json;
  if (typeof channel !== 'string' || typeof event !== 'string' || typeof join !== 'boolean') return undefined;
  return { channel, pair: event, join };
}

export class BtcturkSession {
  /** Joined `channel:pair` keys. */
  readonly joined = new Set<string>();
  readonly faults = new SessionFaults();
  private cursor: LoopCursor | undefined;
  badMessages = 0;
  closed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly host: SessionHost,
    private readonly capture: () => BtcturkCapture,
  ) {
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onText(rawText(data));
    });
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
    socket.send(capture().versionFrame);
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.closed(this);
  }

  private captureTime(cap: BtcturkCapture): number {
    return cap.startAt + (this.host.clock.now() - this.host.anchorSim);
  }

  private onText(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.badMessages++;
      return;
    }
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

  private send(f: OutFrame): void {
    this.socket.send(f.text);
    this.host.sent('btcturk', f);
  }

  inject(f: WsFault): void {
    if (f.kind === 'disconnect') {
      this.host.dropped('btcturk', 'fault');
      this.socket.terminate();
      this.dispose();
    } else this.faults.add(f, this.host.clock.now());
  }

  pump(): void {
    if (this.closed) return;
    const cap = this.capture();
    const c = this.captureTime(cap);
    this.cursor ??= new LoopCursor(cap, c);
    const due = this.cursor.take(c).filter((f) => this.joined.has(`${f.stream}:${f.symbol}`));
    for (const f of this.faults.apply(due, this.host.clock.now(), () => true)) this.send(f);
  }
}
