/**
 * The live stream in one process: each exchange's websocket feed (connectors/) → its live books
 * (validated, resynced per symbol) → normalised events, each given its global arrival sequence by
 * the lake writer and then published on the bus (`md.<kind>.<exchange>.<symbol>`), where the
 * processors build 1m bars and liquidity windows into the store. Events of all exchanges pass one
 * queue, so the lake's sequence is the order the processors saw them in, and a replay over the
 * lake (replay-lake.ts) reproduces the bars and signals.
 *
 * Bars and windows close on the events themselves, through the event-clock driver (a tick after
 * each second of receive time closes what each market's own event clock has passed), never on a
 * wall-clock timer, whose moments a replay cannot see. A market that falls silent keeps its last
 * bar open until its next event.
 *
 * A restart resumes from the lake (stream-resume.ts): at a market's first live event the stream
 * replays the lake's trades of its open bar to the processors, fetches the trades it missed by id
 * (Binance) through the lake and processors, drops live trades it already holds, and marks the
 * windows over the outage incomplete.
 */
import { MemoryBus } from '../bus/memory/memory-bus.js';
import type { Bus } from '../bus/bus.js';
import { formatMarketRef, type MarketEvent, type MarketRef, type StreamExchange, type TradeEvent } from '../core/market-events.js';
import { ConfigError } from '../core/errors.js';
import { LakeWriter } from '../store/lake/lake-writer.js';
import type { LiveBooks } from './live-books.js';
import { liveFeeds, type ExchangeFeed } from './live-feeds.js';
import { ProcessorBooks } from './processor-books.js';
import { BatchedStreamStore } from './batched-stream-store.js';
import { isConnectionLost } from '../store/postgres/connection-lost.js';
import { EventClockDriver } from './event-clock-driver.js';
import { StreamProcessors } from './stream-processors.js';
import type { StreamPayload } from './stream-payload.js';
import { SILENT_MARKET_MS, watchLakeRetention, watchSilentMarkets } from './stream-watchers.js';
import { MAX_BACKFILL_TRADES, type LiveStreamOptions, type LiveStreamStatus } from './live-stream-options.js';
import { appendOutage, heldTradesToReplay, Outages, readResumePoints, type MarketResume, type TradesById } from './stream-resume.js';

export { MAX_BACKFILL_TRADES, type LiveStreamOptions, type LiveStreamStatus } from './live-stream-options.js';
export type { LiveStreamUrls } from './live-feeds.js';

export class LiveStream {
  readonly #options: LiveStreamOptions;
  readonly #bus: Bus<StreamPayload>;
  readonly #processors: StreamProcessors;
  readonly #driver: EventClockDriver;
  /** Bars and windows are written once a second (or at 10,000 rows) in one transaction per series: a store shared with `up`'s jobs would otherwise queue a transaction per bar. */
  readonly #writes: BatchedStreamStore;
  #flushing: Promise<void> = Promise.resolve();
  #flushTimer: NodeJS.Timeout | null = null;
  /** Stops the retention and silent-market timers (stream-watchers.ts). */
  readonly #unwatch: Array<() => void> = [];
  /** Markets a live event has come from. */
  readonly #heard = new Set<string>();
  readonly #stop = new AbortController();
  readonly #books: LiveBooks[] = [];
  #lake: LakeWriter | null = null;
  #lakeFiles = 0;
  #events = 0;
  #sequence = 0;
  /** One queue for every exchange's events: lake sequence, then bus, in arrival order. */
  #queue: Promise<unknown> = Promise.resolve();
  #pumps: Promise<void>[] = [];
  /** Markets the lake held events of at start, until their first live event. */
  #resume = new Map<string, MarketResume>();
  readonly #outages = new Outages();
  /** Markets whose outage ends at their first live event with an exchange time, still to come. */
  readonly #openOutages = new Set<string>();
  /** Per market with trade ids, the highest id fed (held in the lake or fetched); live trades at or below it are dropped. */
  readonly #lastTradeId = new Map<string, number>();
  /** Per market with trade ids, when its newest live trade was received and made (the start of a gap after it). */
  readonly #lastTradeAt = new Map<string, { receivedAt: number; exchangeTime: number | null }>();
  /** Per market, the newest trade the lake held at start: its id and time. */
  readonly #heldTrade = new Map<string, { id: string; time: number }>();
  readonly #tradesById = new Map<StreamExchange, TradesById>();
  #backfilled = 0;
  #heldDropped = 0;
  readonly #unfilled = new Set<string>();
  readonly done: Promise<void>;
  #resolveDone!: () => void;
  #rejectDone!: (err: unknown) => void;

  private constructor(options: LiveStreamOptions) {
    this.#options = options;
    this.#bus = options.bus ?? new MemoryBus<StreamPayload>();
    const store = options.store;
    // A write failing because the database is away (a PostgreSQL restart) is held and retried, not fatal.
    this.#writes = new BatchedStreamStore({
      writeCandles: (...args) => store.writeCandles(...args),
      upsertSignals: (windows) => store.upsertSignals(windows.map((w) => this.#outages.mark(w))),
    }, undefined, { retryable: isConnectionLost, log: options.log, signal: this.#stop.signal });
    this.#processors = new StreamProcessors({
      bus: this.#bus,
      store: this.#writes,
      events: options.events,
      books: new ProcessorBooks((ref, err) => options.log(`stream: ${ref.exchange}:${ref.symbol} book event refused, book dropped until its next snapshot: ${String(err)}`)),
      windows: { windowMs: options.windowMs },
      onRejected: (e, err) => options.log(`stream: ${e.exchange}:${e.symbol} ${e.kind} refused: ${err.message}`),
    });
    this.#driver = new EventClockDriver(this.#bus, this.#processors);
    this.done = new Promise((resolve, reject) => {
      this.#resolveDone = resolve;
      this.#rejectDone = reject;
    });
  }

  /** Opens the lake and starts every exchange's feed; `done` settles when it stops (rejects on a store or lake failure). */
  static async start(options: LiveStreamOptions): Promise<LiveStream> {
    if (options.markets.length === 0) throw new ConfigError('stream: no markets to stream (set [stream] markets, e.g. ["binance:BTCUSDT"])');
    const s = new LiveStream(options);
    // Each exchange's feed is built first (lazily: nothing connects yet), so a symbol an exchange
    // cannot be subscribed with is refused before the lake is opened.
    const { urls, staleAfterMs, log, kinds, binanceGovernor } = options;
    const feeds = liveFeeds(options.markets, { urls, kinds, staleAfterMs, log, signal: s.#stop.signal, ...(binanceGovernor === undefined ? {} : { binanceGovernor }) });
    if (options.lakeRoot !== null) {
      s.#lake = await LakeWriter.open(options.lakeRoot, { ...options.lake, onPublish: () => s.#lakeFiles++ });
      s.#sequence = s.#lake.lastSequence;
      const days = options.lakeRetentionDays ?? null;
      if (days !== null) s.#unwatch.push(await watchLakeRetention(options.lakeRoot, days, log));
      s.#resume = await readResumePoints(options.lakeRoot, options.markets, options.kinds);
      for (const r of s.#resume.values()) {
        s.#outages.open(r.ref, 'receive', r.heldReceivedUntil);
        if (Number.isFinite(r.heldUntil)) s.#outages.open(r.ref, 'exchange', r.heldUntil);
        if (r.lastTrade) s.#lastTradeId.set(`${r.ref.exchange}:${r.ref.symbol}`, Number(r.lastTrade.tradeId));
        if (r.lastTrade) s.#heldTrade.set(`${r.ref.exchange}:${r.ref.symbol}`, { id: r.lastTrade.tradeId, time: r.lastTrade.exchangeTime ?? r.lastTrade.receivedAt });
      }
    }
    for (const f of feeds) s.#pumps.push(s.#pump(f));
    // A market nothing arrives from (a symbol the exchange does not list is simply never sent) is said, once.
    s.#unwatch.push(watchSilentMarkets(options.markets.map(formatMarketRef), s.#heard, options.silentMarketMs ?? SILENT_MARKET_MS, log));
    s.#processors.done.catch((err: unknown) => s.#fail(err));
    s.#flushTimer = setInterval(() => void s.#flush().catch((err: unknown) => s.#fail(err)), 1000);
    return s;
  }

  async #pump({ exchange, feed, books, tradesById }: ExchangeFeed): Promise<void> {
    if (tradesById) this.#tradesById.set(exchange, tradesById);
    this.#books.push(books);
    try {
      for await (const e of books.run(feed)) {
        await (this.#queue = this.#queue.then(() => this.#acceptLive(e)));
        if (this.#stop.signal.aborted) break;
      }
    } catch (err) {
      this.#fail(err);
    }
  }

  /** A live event: the market's resume first (on its first one), then the event unless its trade id is held. */
  async #acceptLive(e: MarketEvent): Promise<void> {
    const key = `${e.exchange}:${e.symbol}`;
    this.#heard.add(key);
    const resume = this.#resume.get(key);
    if (resume) {
      this.#resume.delete(key);
      if (Number.isFinite(resume.heldUntil)) this.#openOutages.add(key);
      await this.#closeOutage(e, 'receive', e.receivedAt);
      await this.#resumeMarket(resume);
    }
    if (e.exchangeTime !== null && this.#openOutages.delete(key)) await this.#closeOutage(e, 'exchange', e.exchangeTime);
    if (e.kind === 'trade') {
      await this.#fillTradeGap(key, e);
      if (this.#isHeld(key, e)) return;
      this.#lastTradeAt.set(key, { receivedAt: e.receivedAt, exchangeTime: e.exchangeTime });
    }
    await this.#accept(e);
  }

  /**
   * Trade ids of one market are consecutive (Binance): a live trade past the next id means trades
   * were lost in between (a reconnect, a dropped message). They are fetched by id, through the lake
   * and the processors, before this one, and the span is logged as an outage, so the windows over it
   * (whose book updates are lost for good) are marked incomplete; bars stay exact.
   */
  async #fillTradeGap(key: string, e: TradeEvent): Promise<void> {
    const fetch = this.#tradesById.get(e.exchange);
    const last = this.#lastTradeId.get(key);
    const since = this.#lastTradeAt.get(key);
    const id = Number(e.tradeId);
    if (!fetch || last === undefined || since === undefined || !(id > last + 1)) return;
    const ref = { exchange: e.exchange, symbol: e.symbol };
    this.#outages.open(ref, 'receive', since.receivedAt);
    if (since.exchangeTime !== null) this.#outages.open(ref, 'exchange', since.exchangeTime);
    const missing = id - last - 1;
    const before = this.#backfilled;
    try {
      await this.#fetchById(key, ref, fetch, last, id, Math.min(missing, this.#options.maxBackfillTrades ?? MAX_BACKFILL_TRADES));
    } catch (err) {
      this.#options.log(`stream: ${key}: could not fetch trades ${last + 1}…${id - 1} lost in the live feed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const fetched = this.#backfilled - before;
    if (fetched < missing) this.#unfilled.add(key);
    this.#options.log(`stream: ${key}: trades ${last + 1}…${id - 1} were lost in the live feed; fetched ${fetched} of ${missing} by id`);
    await this.#closeOutage(e, 'receive', e.receivedAt);
    if (e.exchangeTime !== null) await this.#closeOutage(e, 'exchange', e.exchangeTime);
  }

  /** Ends the market's outage in `clock` at `to` and logs it in the lake folder for replays. */
  async #closeOutage(ref: MarketRef, clock: 'exchange' | 'receive', to: number): Promise<void> {
    const span = this.#outages.close(ref, clock, to);
    if (span && this.#options.lakeRoot !== null) await appendOutage(this.#options.lakeRoot, span);
  }

  /**
   * True when the market's trade ids already reached this one (it is dropped); else records it as
   * the newest. On an exchange without trades by id only the trades the lake held before the
   * restart are dropped: those before the newest held trade's time, and that trade itself (a
   * Gemini subscription starts with its recent trades again). By time, not id: Gemini's ids are
   * not in order within a book's list, and Bitvavo's are UUIDs.
   */
  #isHeld(key: string, e: TradeEvent): boolean {
    if (!this.#tradesById.has(e.exchange)) {
      const held = this.#heldTrade.get(key);
      if (held === undefined || ((e.exchangeTime ?? e.receivedAt) >= held.time && e.tradeId !== held.id)) return false;
      this.#heldDropped++;
      return true;
    }
    const id = Number(e.tradeId);
    const last = this.#lastTradeId.get(key);
    if (last !== undefined && id <= last) {
      this.#heldDropped++;
      return true;
    }
    this.#lastTradeId.set(key, id);
    return false;
  }

  /** Replays the lake's trades of the open bar to the processors, then fetches the missed ones by id (paged) through lake and processors. */
  async #resumeMarket(r: MarketResume): Promise<void> {
    const { lakeRoot, windowMs, log } = this.#options;
    const key = `${r.ref.exchange}:${r.ref.symbol}`;
    if (lakeRoot !== null) for await (const t of heldTradesToReplay(lakeRoot, r, windowMs)) await this.#driver.push(t);
    const fetch = this.#tradesById.get(r.ref.exchange);
    const last = this.#lastTradeId.get(key);
    if (!fetch || last === undefined) return;
    const max = this.#options.maxBackfillTrades ?? MAX_BACKFILL_TRADES;
    try {
      const fetched = await this.#fetchById(key, r.ref, fetch, last, Number.POSITIVE_INFINITY, max);
      if (fetched >= max) {
        this.#unfilled.add(key);
        log(`stream: ${key}: fetched ${fetched} missed trades (the most a restart fetches); the rest of the outage is not filled`);
      } else {
        log(`stream: ${key}: resumed after trade ${last}: fetched ${fetched} missed trades by id`);
      }
    } catch (err) {
      this.#unfilled.add(key);
      log(`stream: ${key}: could not fetch the trades missed after ${last}: ${err instanceof Error ? err.message : String(err)}; the outage stays unfilled`);
    }
  }

  /**
   * The market's trades after the newest held id, fetched by id in pages (only ids below `below`,
   * until `max` or an empty page) through the lake and the processors; returns how many.
   */
  async #fetchById(key: string, ref: MarketRef, fetch: TradesById, last: number, below: number, max: number): Promise<number> {
    let fetched = 0;
    while (fetched < max) {
      const page = (await fetch(ref, (this.#lastTradeId.get(key) ?? last) + 1)).filter((t) => Number(t.tradeId) < below);
      if (page.length === 0) break;
      for (const t of page) if (!this.#isHeld(key, t)) await this.#accept(t);
      fetched += page.length;
      this.#backfilled += page.length;
    }
    return fetched;
  }

  async #accept(e: MarketEvent): Promise<void> {
    if (this.#lake) {
      const seq = await this.#lake.write(e);
      if (seq !== null) this.#sequence = seq;
    } else {
      this.#sequence++;
    }
    this.#events++;
    await this.#driver.push(e);
  }

  /** Writes what the processors emitted since the last flush; flushes never overlap. */
  #flush(): Promise<void> {
    return (this.#flushing = this.#flushing.then(() => this.#writes.flush()));
  }

  /** The first failure that stopped the stream: `done` rejects with it (a caller exits non-zero). */
  #failure: { error: unknown } | null = null;

  #fail(err: unknown): void {
    this.#failure ??= { error: err };
    this.#options.log(`stream: stopped: ${err instanceof Error ? err.message : String(err)}`);
    void this.stop();
  }

  status(): LiveStreamStatus {
    return {
      exchanges: this.#books.map((b) => b.status()),
      processors: this.#processors.counts,
      events: this.#events,
      lastSequence: this.#sequence,
      lakeFiles: this.#lakeFiles,
      resume: { backfilledTrades: this.#backfilled, heldTradesDropped: this.#heldDropped, unfilledMarkets: [...this.#unfilled] },
    };
  }

  #stopping: Promise<void> | null = null;

  /** Stops the feeds, lets the processors finish what they took, flushes the lake. */
  stop(): Promise<void> {
    this.#stopping ??= (async () => {
      this.#stop.abort();
      if (this.#flushTimer) clearInterval(this.#flushTimer);
      for (const unwatch of this.#unwatch) unwatch();
      for (const b of this.#books) b.close();
      await Promise.allSettled(this.#pumps);
      await this.#queue.catch(() => undefined);
      await this.#processors.stop().catch(() => undefined);
      await this.#flush().catch((err: unknown) => this.#options.log(`stream: last write of bars and windows failed: ${String(err)}`));
      await this.#lake?.close();
      if (this.#failure === null) this.#resolveDone();
      else this.#rejectDone(this.#failure.error);
    })();
    return this.#stopping;
  }
}
