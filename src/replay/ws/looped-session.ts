/**
 * What every replayed websocket connection on one looped capture shares: the socket's wiring,
 * the capture-time mapping, one loop cursor, the injected faults and the bookkeeping sent to the
 * host. A session says only which exchange it is, how it answers a client's JSON message, which
 * frames the client has asked for and which of those are book diffs (the ones a drop-depth fault
 * drops). Text that is not JSON is counted in `badMessages` and ignored.
 */
import type { WebSocket, RawData } from 'ws';
import { LoopCursor, type LoopedCapture, type OutFrame } from './looped-capture.js';
import { SessionFaults, type WsFault } from './ws-faults.js';
import type { ReplayWsExchange, SessionHost } from './session-host.js';

export function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

export abstract class LoopedSession<C extends LoopedCapture> {
  readonly faults = new SessionFaults();
  private cursor: LoopCursor | undefined;
  badMessages = 0;
  closed = false;

  constructor(
    private readonly exchange: ReplayWsExchange,
    protected readonly socket: WebSocket,
    protected readonly host: SessionHost,
    protected readonly capture: () => C,
  ) {
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onText(rawText(data));
    });
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
  }

  /** Answers one client message that parsed as JSON (any shape: checking it is the session's). */
  protected abstract onMessage(msg: unknown): void;

  /** Whether the client has asked for `f`. */
  protected abstract wants(f: OutFrame): boolean;

  /** Whether `f` is a book diff, dropped by a drop-depth fault. */
  protected abstract isBookDiff(f: OutFrame): boolean;

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.closed(this);
  }

  private onText(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.badMessages++;
      return;
    }
    this.onMessage(msg);
  }

  protected captureTime(cap: C): number {
    return cap.startAt + (this.host.clock.now() - this.host.anchorSim);
  }

  protected send(f: OutFrame): void {
    this.socket.send(f.text);
    this.host.sent(this.exchange, f);
  }

  inject(f: WsFault): void {
    if (f.kind === 'disconnect') {
      this.host.dropped(this.exchange, 'fault');
      this.socket.terminate();
      this.dispose();
    } else this.faults.add(f, this.host.clock.now());
  }

  /** Sends every frame the client asked for that is due by now, through the injected faults. */
  pump(): void {
    if (this.closed) return;
    const cap = this.capture();
    const c = this.captureTime(cap);
    this.cursor ??= new LoopCursor(cap, c);
    const due = this.cursor.take(c).filter((f) => this.wants(f));
    for (const f of this.faults.apply(due, this.host.clock.now(), (x) => this.isBookDiff(x))) this.send(f);
  }
}
