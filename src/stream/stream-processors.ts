/**
 * Runs the bar builder and the liquidity windows on the bus: reads `md.>`, writes closed bars to
 * the candle store (source `stream`) and windows to the signals table, and publishes both
 * (`bar.1m.<exchange>.<symbol>`, `signal.liquidity.<exchange>.<symbol>`). Both writes are keyed
 * upserts, so a redelivered or replayed event range rewrites the same rows.
 *
 * `done` rejects with the first error that is not bad input (a store write that failed); the
 * processing stops there, and the caller decides (restart and replay: the writes are keyed).
 *
 * Books: the windows read a market's book at a window's end before the event that ends it is
 * applied, so when `books` is given the runner applies each book event itself, after the
 * processors saw it.
 */
import type { Bus, Subscription } from '../bus/bus.js';
import { derivedSubject } from '../bus/subjects.js';
import { BadInputError } from '../core/errors.js';
import type { BookDeltaEvent, BookSnapshotEvent, MarketEvent, MarketRef } from '../core/market-events.js';
import type { Store } from '../store/store.js';
import { BarBuilder, type StreamBar } from './bar-builder.js';
import { candleStoreSink, type BarSink } from './bar-sink.js';
import type { BookView } from './book-view.js';
import { LiquidityWindows, type LiquidityWindow, type LiquidityWindowOptions } from './liquidity-window.js';
import type { StreamPayload } from './stream-payload.js';

export interface BookKeeper {
  view(ref: MarketRef): BookView | undefined;
  apply(e: BookSnapshotEvent | BookDeltaEvent): void;
}

export interface StreamProcessorsOptions {
  bus: Bus<StreamPayload>;
  store: Pick<Store, 'writeCandles' | 'upsertSignals'>;
  /** Where the events come from: default a new `bus.subscribe('md.>')`; on NATS, a durable consumer a restarted process resumes. */
  events?: Subscription<StreamPayload>;
  books?: BookKeeper;
  windows?: Omit<LiquidityWindowOptions, 'bookFor'>;
  barGraceMs?: number;
  /** Told about each event the processors refuse (to log it); the stream goes on. */
  onRejected?: (event: MarketEvent, error: BadInputError) => void;
}

export interface StreamProcessorCounts {
  events: number;
  /** Events refused as bad input (counted in `events` too). */
  rejected: number;
  bars: number;
  windows: number;
  lateTrades: number;
  lateWindowEvents: number;
}

export class StreamProcessors {
  readonly #bars: BarBuilder;
  readonly #windows: LiquidityWindows;
  readonly #sink: BarSink;
  readonly #subscription: Subscription<StreamPayload>;
  readonly done: Promise<void>;
  #events = 0;
  #barCount = 0;
  #windowCount = 0;
  #rejected = 0;
  /** Serialises ticks with event handling, so a tick never interleaves with an event's writes. */
  #queue: Promise<unknown> = Promise.resolve();
  /**
   * Per market, the newest time its bars and its windows are keyed in: bars by the exchange's
   * time (of any of its events that carries one: a Binance depth diff moves a quiet market's
   * trade clock too), windows by exchange time or receive time, as the windows key each event.
   */
  readonly #clocks = new Map<string, { bars: number; windows: number }>();

  constructor(private readonly options: StreamProcessorsOptions) {
    this.#bars = new BarBuilder({ graceMs: options.barGraceMs });
    this.#windows = new LiquidityWindows({ ...options.windows, bookFor: (ref) => options.books?.view(ref) });
    this.#sink = candleStoreSink(options.store);
    this.#subscription = options.events ?? options.bus.subscribe('md.>');
    this.done = this.#run();
  }

  get counts(): StreamProcessorCounts {
    return {
      events: this.#events, rejected: this.#rejected, bars: this.#barCount, windows: this.#windowCount, lateTrades: this.#bars.late, lateWindowEvents: this.#windows.late,
    };
  }

  async #run(): Promise<void> {
    for await (const { data } of this.#subscription) {
      if (data.kind === 'bar' || data.kind === 'liquidity') continue;
      await (this.#queue = this.#queue.then(() => this.#onEvent(data)));
    }
  }

  async #onEvent(e: MarketEvent): Promise<void> {
    this.#events++;
    const key = `${e.exchange}:${e.symbol}`;
    const clock = this.#clocks.get(key) ?? { bars: Number.NEGATIVE_INFINITY, windows: Number.NEGATIVE_INFINITY };
    if (e.exchangeTime !== null && e.exchangeTime > clock.bars) clock.bars = e.exchangeTime;
    // As the windows key it (liquidity-window.ts): a snapshot without the exchange's time moves no clock.
    if (!(e.kind === 'book_snapshot' && e.exchangeTime === null)) clock.windows = Math.max(clock.windows, e.exchangeTime ?? e.receivedAt);
    this.#clocks.set(key, clock);
    let bars: StreamBar[];
    let windows: LiquidityWindow[];
    try {
      bars = e.kind === 'trade' ? this.#bars.onTrade(e) : [];
      windows = this.#windows.onEvent(e);
    } catch (err) {
      // An event the processors refuse (a number that cannot be summed) is counted and skipped; it never stops the stream.
      if (!(err instanceof BadInputError)) throw err;
      this.#rejected++;
      this.options.onRejected?.(e, err);
      return;
    }
    if ((e.kind === 'book_snapshot' || e.kind === 'book_delta') && this.options.books) this.options.books.apply(e);
    await this.#emit(bars, windows);
  }

  /**
   * Emits what the clock closed: bars and windows whose end plus grace is at or before `now` (call
   * it every second or so). Without `now`, each market's own event clock: the newest time its
   * bars and windows are keyed in, which only the events move, so the same events give the same
   * bars and windows however the ticks fall (live and in a replay); with `now`, that time for
   * every market (a test, or the end of a replay's range). It runs after the events already taken from the bus, not after those
   * still buffered on it.
   */
  tick(now?: number): Promise<void> {
    const clock = (ref: MarketRef, which: 'bars' | 'windows'): number => this.#clocks.get(`${ref.exchange}:${ref.symbol}`)?.[which] ?? Number.NEGATIVE_INFINITY;
    const p = this.#queue.then(() =>
      this.#emit(this.#bars.tick(now ?? ((ref) => clock(ref, 'bars'))), this.#windows.tick(now ?? ((ref) => clock(ref, 'windows')))),
    );
    this.#queue = p;
    return p;
  }

  async #emit(bars: readonly StreamBar[], windows: readonly LiquidityWindow[]): Promise<void> {
    if (bars.length > 0) {
      await this.#sink(bars);
      this.#barCount += bars.length;
      for (const bar of bars) await this.options.bus.publish(derivedSubject('bar', '1m', bar), { kind: 'bar', bar });
    }
    if (windows.length > 0) {
      await this.options.store.upsertSignals(windows);
      this.#windowCount += windows.length;
      for (const w of windows) await this.options.bus.publish(derivedSubject('signal', 'liquidity', w), { kind: 'liquidity', window: w });
    }
  }

  /** Stops reading the bus; events already buffered are still processed. */
  async stop(): Promise<void> {
    await this.#subscription.unsubscribe();
    await this.done;
    await this.#queue;
  }
}
