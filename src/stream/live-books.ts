/**
 * Live books for one exchange connection: takes the feed's raw frames and lifecycle notices, maps
 * them through the exchange's policy, keeps one validated order book per symbol, fetches REST
 * snapshots when a policy asks (first sync, or after a gap: only that symbol's book is rebuilt,
 * the others keep flowing), and counts what went wrong per book — what `tickerflow stream status`
 * shows.
 *
 * A malformed frame is counted, logged with its raw bytes cut to 200 characters, and skipped: it
 * never stops the feed. A crossed book is counted and logged once per episode.
 */
import type { MarketEvent, StreamExchange } from '../core/market-events.js';
import { formatMarketRef } from '../core/market-events.js';
import type { FeedPolicy, PolicyOutput } from '../connectors/ws/feed-policy.js';
import type { RawFrame } from '../connectors/ws/raw-frame.js';
import type { WsFeedItem } from '../connectors/ws/ws-feed.js';
import { backoffMs } from '../connectors/http/backoff.js';
import { OrderBook, type BookView } from './order-book.js';

export interface BookStatus {
  symbol: string;
  /** Whether the book is built and in sequence (false while waiting for a snapshot). */
  synced: boolean;
  bids: number;
  asks: number;
  gaps: number;
  /** Snapshots applied after the symbol's first one (after a gap or a reconnect). */
  resyncs: number;
  /** Updates after which the best bid was at or above the best ask. */
  crossed: number;
  /** Malformed frames about this symbol (also in the feed's total). */
  malformed: number;
  snapshotFailures: number;
}

export interface LiveBooksStatus {
  exchange: StreamExchange;
  connections: number;
  frames: number;
  malformedFrames: number;
  books: BookStatus[];
}

export interface LiveBooksOptions {
  policy: FeedPolicy;
  /** Fetches the REST snapshot body of a symbol (needed for sequenced books such as Binance's). */
  fetchSnapshot?: (symbol: string, signal: AbortSignal) => Promise<string>;
  /** Where warnings go (malformed frames, gaps, crossed books, failed snapshots). Never given secrets. */
  log?: (line: string) => void;
  /** Back-off between failed snapshot fetches of one symbol. Defaults 1 s … 30 s. */
  snapshotRetry?: { baseMs: number; capMs: number };
  /** Clock for snapshot receive times; tests pass their own. */
  now?: () => number;
}

interface BookEntry {
  book: OrderBook;
  status: BookStatus;
  snapshots: number;
  isCrossed: boolean;
  fetching: boolean;
}

const RAW_LOG_CHARS = 200;

export class LiveBooks {
  readonly #policy: FeedPolicy;
  readonly #options: LiveBooksOptions;
  readonly #log: (line: string) => void;
  readonly #books = new Map<string, BookEntry>();
  readonly #stop = new AbortController();
  readonly #timers = new Set<NodeJS.Timeout>();
  readonly #ready: { symbol: string; body: string; receivedAt: number }[] = [];
  #wakeReady: (() => void) | null = null;
  #connections = 0;
  #frames = 0;
  #malformed = 0;

  constructor(options: LiveBooksOptions) {
    this.#policy = options.policy;
    this.#options = options;
    this.#log = options.log ?? ((line) => console.warn(line));
  }

  /** The symbol's book while it is in sync, else undefined. */
  book(symbol: string): BookView | undefined {
    const e = this.#books.get(symbol);
    return e?.status.synced === true ? e.book : undefined;
  }

  status(): LiveBooksStatus {
    const books = [...this.#books.values()].map((e) => ({ ...e.status, ...depthOf(e.book) }));
    books.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    return { exchange: this.#policy.exchange, connections: this.#connections, frames: this.#frames, malformedFrames: this.#malformed, books };
  }

  onConnected(): void {
    this.#connections++;
    for (const e of this.#books.values()) e.status.synced = false;
    this.#handle(this.#policy.onConnected());
  }

  /** Maps one frame and applies it; returns the events to publish, in order. */
  onFrame(frame: RawFrame): MarketEvent[] {
    this.#frames++;
    let out: PolicyOutput;
    try {
      out = this.#policy.onFrame(frame);
    } catch (err) {
      this.#malformedFrame(frame.text, err);
      const symbol = this.#policy.symbolOfFrame(frame.text);
      if (symbol !== null) {
        const e = this.#entry(symbol);
        e.status.malformed++;
        // A sequenced feed finds a lost update at the next one (a gap, then a resync). Without
        // sequence numbers (Gemini) the frame may have held an update nobody will notice missing:
        // the book is no longer known to be right, and its updates stay unused until the next
        // connection sends it whole.
        if (!this.#policy.capabilities.sequencedBook && e.status.synced) {
          e.status.synced = false;
          e.status.gaps++;
          this.#log(`${this.#policy.exchange} ${symbol}: a malformed frame may have held a book update; the book is unsynced until the next connection`);
        }
      }
      return [];
    }
    return this.#handle(out);
  }

  /** Applies a fetched REST snapshot (normally called for you when `fetchSnapshot` resolves). */
  onSnapshot(symbol: string, body: string, receivedAt: number): MarketEvent[] {
    let out: PolicyOutput;
    try {
      out = this.#policy.onSnapshot(symbol, body, receivedAt);
    } catch (err) {
      this.#malformedFrame(body, err, `snapshot for ${symbol}`);
      this.#entry(symbol).status.malformed++;
      this.#snapshotFailed(symbol);
      return [];
    }
    // A snapshot older than the buffered events: ask again, but after a pause, not in a tight loop.
    const again = out.snapshotsWanted;
    for (const s of again) this.#retryLater(s, 1);
    return this.#handle({ ...out, snapshotsWanted: [] });
  }

  /**
   * Events of the feed, books kept along the way, until the feed ends; stops pending fetches after.
   * To stop promptly, abort the feed's signal (breaking out of this loop alone leaves the socket
   * open until its next frame).
   */
  async *run(feed: AsyncIterable<WsFeedItem>): AsyncGenerator<MarketEvent> {
    const it = feed[Symbol.asyncIterator]();
    let next = it.next();
    try {
      while (true) {
        for (let r = this.#ready.shift(); r !== undefined; r = this.#ready.shift()) yield* this.onSnapshot(r.symbol, r.body, r.receivedAt);
        const readyNow = new Promise<'snapshot'>((resolve) => (this.#wakeReady = () => resolve('snapshot')));
        const got = await Promise.race([next, readyNow]);
        this.#wakeReady = null;
        if (got === 'snapshot') continue;
        if (got.done === true) break;
        next = it.next();
        const item = got.value;
        if (item.type === 'frame') yield* this.onFrame(item);
        else if (item.type === 'connected') this.onConnected();
        else if (item.type === 'disconnected') this.#log(`${this.#policy.exchange} feed disconnected: ${item.reason}`);
      }
    } finally {
      this.close();
      // The feed may be mid-`next()` (we race it against snapshots), and an async generator queues
      // `return()` behind a pending `next()`: don't wait for it. Stop a live feed with its AbortSignal.
      void it.return?.(undefined)?.catch(() => undefined);
    }
  }

  /** Cancels pending snapshot fetches and retries. */
  close(): void {
    this.#stop.abort();
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }

  #entry(symbol: string): BookEntry {
    let e = this.#books.get(symbol);
    if (e === undefined) {
      e = {
        book: new OrderBook({ exchange: this.#policy.exchange, symbol }),
        status: { symbol, synced: false, bids: 0, asks: 0, gaps: 0, resyncs: 0, crossed: 0, malformed: 0, snapshotFailures: 0 },
        snapshots: 0,
        isCrossed: false,
        fetching: false,
      };
      this.#books.set(symbol, e);
    }
    return e;
  }

  #handle(out: PolicyOutput): MarketEvent[] {
    for (const gap of out.gaps) {
      const e = this.#entry(gap.symbol);
      e.status.gaps++;
      e.status.synced = false;
      this.#log(gap.message);
    }
    for (const symbol of out.snapshotsWanted) this.#fetch(symbol, 1);
    for (const ev of out.events) {
      if (ev.kind === 'book_snapshot') {
        const e = this.#entry(ev.symbol);
        e.book.applySnapshot(ev.bids, ev.asks);
        if (e.snapshots++ > 0) e.status.resyncs++;
        e.status.synced = true;
        this.#checkCrossed(e);
      } else if (ev.kind === 'book_delta') {
        const e = this.#entry(ev.symbol);
        if (!e.status.synced) continue;
        try {
          e.book.applyLevels(ev.bids, ev.asks);
        } catch (err) {
          // The mappers refuse bad levels first; should one get here, the book is no longer trustworthy.
          e.status.synced = false;
          e.status.malformed++;
          this.#malformedFrame(JSON.stringify(ev), err, 'book update');
          continue;
        }
        this.#checkCrossed(e);
      }
    }
    return out.events;
  }

  #checkCrossed(e: BookEntry): void {
    const err = e.book.crossed();
    if (err === null) {
      e.isCrossed = false;
      return;
    }
    e.status.crossed++;
    if (!e.isCrossed) this.#log(err.message);
    e.isCrossed = true;
  }

  #malformedFrame(text: string, err: unknown, what = 'frame'): void {
    this.#malformed++;
    const raw = text.length > RAW_LOG_CHARS ? `${text.slice(0, RAW_LOG_CHARS)}… (${text.length} chars)` : text;
    this.#log(`${this.#policy.exchange}: malformed ${what} skipped: ${err instanceof Error ? err.message : String(err)}; raw: ${raw}`);
  }

  #fetch(symbol: string, attempt: number): void {
    const fetchSnapshot = this.#options.fetchSnapshot;
    const e = this.#entry(symbol);
    if (fetchSnapshot === undefined || e.fetching || this.#stop.signal.aborted) return;
    e.fetching = true;
    fetchSnapshot(symbol, this.#stop.signal).then(
      (body) => {
        e.fetching = false;
        this.#ready.push({ symbol, body, receivedAt: (this.#options.now ?? Date.now)() });
        this.#wakeReady?.();
      },
      (err: unknown) => {
        e.fetching = false;
        if (this.#stop.signal.aborted) return;
        this.#log(`${formatMarketRef(e.book.ref)} snapshot fetch failed (attempt ${attempt}): ${err instanceof Error ? err.message : String(err)}`);
        this.#snapshotFailed(symbol, attempt);
      },
    );
  }

  #snapshotFailed(symbol: string, attempt = 1): void {
    this.#entry(symbol).status.snapshotFailures++;
    this.#retryLater(symbol, attempt);
  }

  #retryLater(symbol: string, attempt: number): void {
    const retry = this.#options.snapshotRetry ?? { baseMs: 1000, capMs: 30_000 };
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#fetch(symbol, attempt + 1);
    }, backoffMs(attempt, retry.baseMs, retry.capMs));
    this.#timers.add(timer);
  }
}

function depthOf(book: OrderBook): { bids: number; asks: number } {
  return book.depth;
}
