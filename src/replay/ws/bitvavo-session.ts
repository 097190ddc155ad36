/**
 * One Bitvavo websocket API v2 connection (`/v2/`): `{"action":"subscribe","channels":[{"name",
 * "markets"}]}` is answered `{"event":"subscribed","subscriptions":{…}}` listing every
 * subscription on the socket (as recorded; the documentation's example says `"event":"book"`),
 * with no book sent on subscribe (as recorded); then `book` events and `trades` of the subscribed
 * markets. `getBook` (`{"action":"getBook","requestId","market","depth"}`) is answered with the
 * book as the REST route serves it, inside `{"action":"getBook","requestId","response"}`, and
 * `getTime` with `{"action":"getTime","response":{"time","timeNs"}}`, both as recorded. Channels
 * other than `book` and `trades` (ticker, candles), markets the capture has no book of, and
 * messages that are none of these are accepted or counted and stay unanswered: no recorded or
 * documented answer covers them.
 *
 * @see https://docs.bitvavo.com/docs/websocket-api/book-subscription
 */
import type { WebSocket } from 'ws';
import type { OutFrame } from './looped-capture.js';
import type { BitvavoCapture } from './bitvavo-capture.js';
import { LoopedSession } from './looped-session.js';
import type { SessionHost } from './session-host.js';

type Json = Record<string, unknown>;

function isRecord(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `channels` of a subscribe as name → markets, or undefined when it is not that shape. */
function channelsOf(v: unknown): Map<string, string[]> | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = new Map<string, string[]>();
  for (const c of v) {
    if (!isRecord(c) || typeof c.name !== 'string' || !Array.isArray(c.markets) || !c.markets.every((m): m is string => typeof m === 'string')) return undefined;
    out.set(c.name, [...(out.get(c.name) ?? []), ...c.markets]);
  }
  return out;
}

export class BitvavoSession extends LoopedSession<BitvavoCapture> {
  /** Channel name → subscribed markets, in the order subscribed. */
  readonly subscriptions = new Map<string, Set<string>>();

  constructor(socket: WebSocket, host: SessionHost, capture: () => BitvavoCapture) {
    super('bitvavo', socket, host, capture);
  }

  protected onMessage(msg: unknown): void {
    if (!isRecord(msg)) {
      this.badMessages++;
      return;
    }
    const cap = this.capture();
    if (msg.action === 'subscribe') {
      const channels = channelsOf(msg.channels);
      if (!channels) {
        this.badMessages++;
        return;
      }
      this.pump();
      for (const [name, markets] of channels) {
        const set = this.subscriptions.get(name) ?? new Set<string>();
        for (const m of markets) set.add(m);
        this.subscriptions.set(name, set);
      }
      const listed = Object.fromEntries([...this.subscriptions].map(([name, set]) => [name, [...set]]));
      this.socket.send(JSON.stringify({ event: 'subscribed', subscriptions: listed }));
    } else if (msg.action === 'getBook' && typeof msg.market === 'string') {
      const depth = typeof msg.depth === 'number' && msg.depth > 0 ? msg.depth : undefined;
      const book = cap.bookAt(msg.market, this.captureTime(cap), depth);
      if (!book) {
        this.badMessages++;
        return;
      }
      const head = JSON.stringify({ action: 'getBook', ...(msg.requestId === undefined ? {} : { requestId: msg.requestId }) });
      this.socket.send(`${head.slice(0, -1)},"response":${book.body}}`);
    } else if (msg.action === 'getTime') {
      const ms = Math.floor(this.captureTime(cap));
      this.socket.send(`{"action":"getTime","response":{"time":${ms},"timeNs":${BigInt(ms) * 1_000_000n}}}`);
    } else {
      this.badMessages++;
    }
  }

  protected wants(f: OutFrame): boolean {
    return this.subscriptions.get(f.stream)?.has(f.symbol) === true;
  }

  protected isBookDiff(f: OutFrame): boolean {
    return f.stream === 'book';
  }
}
