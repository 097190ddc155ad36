/**
 * One Gemini market data v2 connection (`/v2/marketdata`): a client sends
 * `{"type":"subscribe","subscriptions":[{"name":"l2","symbols":[…]}]}` and gets, per symbol, the
 * whole book with the last trades, then diffs and trades, with heartbeats for the connection;
 * `{"type":"unsubscribe",…}` stops a symbol. Only `l2` was recorded: other subscription names
 * (candles) are accepted and stay silent. Messages that are not JSON or not a (un)subscribe
 * are counted and ignored — the v2 documentation specifies no error reply.
 *
 * @see https://docs.gemini.com/websocket-api/#market-data-version-2
 */
import type { WebSocket, RawData } from 'ws';
import { LoopCursor, type OutFrame } from './looped-capture.js';
import type { GeminiCapture } from './gemini-capture.js';
import { SessionFaults, type WsFault } from './ws-faults.js';
import type { SessionHost } from './session-host.js';

export function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}

function subscriptionSymbols(msg: unknown): { type: 'subscribe' | 'unsubscribe'; symbols: string[] } | undefined {
  if (typeof msg !== 'object' || msg === null) return undefined;
  const { type, subscriptions } = msg as Record<string, unknown>;
  if ((type !== 'subscribe' && type !== 'unsubscribe') || !Array.isArray(subscriptions)) return undefined;
  const symbols: string[] = [];
  for (const s of subscriptions) {
    if (typeof s !== 'object' || s === null) return undefined;
    const { name, symbols: list } = s as Record<string, unknown>;
    if (typeof name !== 'string' || !Array.isArray(list) || !list.every((x): x is string => typeof x === 'string')) return undefined;
    if (name === 'l2') symbols.push(...list);
  }
  return { type, symbols };
}

export class GeminiSession {
  readonly symbols = new Set<string>();
  readonly faults = new SessionFaults();
  private cursor: LoopCursor | undefined;
  badMessages = 0;
  closed = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly host: SessionHost,
    private readonly capture: () => GeminiCapture,
  ) {
    socket.on('message', (data, isBinary) => {
      if (!isBinary) this.onText(rawText(data));
    });
    socket.on('close', () => this.dispose());
    socket.on('error', () => this.dispose());
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.host.closed(this);
  }

  private captureTime(cap: GeminiCapture): number {
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
    const sub = subscriptionSymbols(msg);
    if (!sub) {
      this.badMessages++;
      return;
    }
    this.pump();
    const cap = this.capture();
    for (const symbol of sub.symbols) {
      if (sub.type === 'unsubscribe') {
        this.symbols.delete(symbol);
        continue;
      }
      if (this.symbols.has(symbol)) continue;
      this.symbols.add(symbol);
      const book = cap.wholeBookAt(symbol, this.captureTime(cap));
      if (book) this.send(book);
    }
  }

  private send(f: OutFrame): void {
    this.socket.send(f.text);
    this.host.sent('gemini', f);
  }

  inject(f: WsFault): void {
    if (f.kind === 'disconnect') {
      this.host.dropped('gemini', 'fault');
      this.socket.terminate();
      this.dispose();
    } else this.faults.add(f, this.host.clock.now());
  }

  pump(): void {
    if (this.closed) return;
    const cap = this.capture();
    const c = this.captureTime(cap);
    this.cursor ??= new LoopCursor(cap, c);
    const due = this.cursor.take(c).filter((f) => (f.symbol === '' ? this.symbols.size > 0 : this.symbols.has(f.symbol)));
    const isDiff = (f: OutFrame): boolean => f.stream === 'l2_updates' && !f.text.includes('"trades":');
    for (const f of this.faults.apply(due, this.host.clock.now(), isDiff)) this.send(f);
  }
}
