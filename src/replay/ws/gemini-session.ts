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
import type { WebSocket } from 'ws';
import type { OutFrame } from './looped-capture.js';
import type { GeminiCapture } from './gemini-capture.js';
import { LoopedSession } from './looped-session.js';
import type { SessionHost } from './session-host.js';

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

export class GeminiSession extends LoopedSession<GeminiCapture> {
  readonly symbols = new Set<string>();

  constructor(socket: WebSocket, host: SessionHost, capture: () => GeminiCapture) {
    super('gemini', socket, host, capture);
  }

  protected onMessage(msg: unknown): void {
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

  protected wants(f: OutFrame): boolean {
    return f.symbol === '' ? this.symbols.size > 0 : this.symbols.has(f.symbol);
  }

  /** `l2_updates` carrying trades is the whole book a subscribe gets, not a diff. */
  protected isBookDiff(f: OutFrame): boolean {
    return f.stream === 'l2_updates' && !f.text.includes('"trades":');
  }
}
