/**
 * A write buffer for the replay: the processors' bar and window writes are collected and written
 * in batches (per series one `writeCandles`, one `upsertSignals`) instead of one database
 * transaction per emitted bar, which is most of a replay's time on DuckDB. Both writes are keyed
 * upserts, so batching changes no stored value: a row written later in the same batch replaces an
 * earlier one with the same key, as it would in the store. Memory stays bounded: the buffer is
 * written whenever it holds `maxRows`, and by `flush()` at the end. A failed write surfaces at the
 * flush (or the write that triggered it); the replay can simply be run again.
 *
 * A live stream passes `retry`: a batch whose write fails because the database is away (a
 * PostgreSQL restart: connection refused or terminated) stays held and is written whole again with
 * backoff until the database is back (the upserts by key make a repeated write harmless); writes
 * made meanwhile collect in the buffer, and once it holds `maxRows` they wait (back-pressure on the
 * processors, and through the bus on the feeds), so the hold is bounded. Other failures (a
 * constraint, a full disk) still surface. Flushes never overlap, so an older batch never lands
 * after a newer one.
 */
import { candlesFromColumns, columnsFromCandles, type Candle, type CandleColumns, type CandleSource } from '../core/candle.js';
import type { SeriesKey } from '../core/instrument.js';
import type { LiquidityWindow } from '../store/signal-records.js';
import type { Store } from '../store/store.js';

export type StreamStore = Pick<Store, 'writeCandles' | 'upsertSignals'>;

export interface StoreWriteRetry {
  /** Whether a failed write may be tried again (the database away, e.g. store/postgres/connection-lost.ts). */
  retryable: (err: unknown) => boolean;
  /** Told once when writes start failing and once when they work again. */
  log: (line: string) => void;
  /** Backoff between attempts, doubling from `baseMs` up to `capMs`; default 250 ms → 5 s. */
  backoff?: { baseMs: number; capMs: number };
  /** Once aborted (the stream stopping), a failed write is not tried again: the flush rejects with its error. */
  signal?: AbortSignal;
  /** Waits `ms` (tests); default a timer. */
  sleep?: (ms: number) => Promise<void>;
}

interface SeriesBuffer {
  series: SeriesKey;
  source: CandleSource;
  byOpenTime: Map<number, Candle>;
}

export class BatchedStreamStore implements StreamStore {
  readonly #series = new Map<string, SeriesBuffer>();
  readonly #windows = new Map<string, LiquidityWindow>();
  #rows = 0;
  #flushing: Promise<void> = Promise.resolve();
  #failingSince: number | null = null;

  constructor(
    private readonly store: StreamStore,
    private readonly maxRows = 10_000,
    private readonly retry: StoreWriteRetry | null = null,
  ) {}

  async writeCandles(series: SeriesKey, candles: CandleColumns, source: CandleSource): Promise<number> {
    const key = `${series.exchange}\u0000${series.symbol}\u0000${series.interval}\u0000${source}`;
    let buffer = this.#series.get(key);
    if (!buffer) this.#series.set(key, (buffer = { series, source, byOpenTime: new Map() }));
    const rows = candlesFromColumns(candles);
    for (const c of rows) buffer.byOpenTime.set(c.openTime, c);
    await this.#added(rows.length);
    return rows.length;
  }

  async upsertSignals(windows: readonly LiquidityWindow[]): Promise<number> {
    for (const w of windows) this.#windows.set(`${w.exchange}\u0000${w.symbol}\u0000${w.windowMs}\u0000${w.windowStart}`, w);
    await this.#added(windows.length);
    return windows.length;
  }

  async #added(n: number): Promise<void> {
    this.#rows += n;
    if (this.#rows >= this.maxRows) await this.flush();
  }

  /** Writes everything buffered (after any flush still under way). */
  flush(): Promise<void> {
    const next = this.#flushing.catch(() => undefined).then(() => this.#writeBuffered());
    this.#flushing = next;
    return next;
  }

  async #writeBuffered(): Promise<void> {
    const series = [...this.#series.values()].map((s) => ({ ...s, candles: [...s.byOpenTime.values()].sort((a, b) => a.openTime - b.openTime) }));
    const windows = [...this.#windows.values()];
    this.#series.clear();
    this.#windows.clear();
    this.#rows = 0;
    if (series.length === 0 && windows.length === 0) return;
    const write = async (): Promise<void> => {
      for (const s of series) await this.store.writeCandles(s.series, columnsFromCandles(s.candles), s.source);
      if (windows.length > 0) await this.store.upsertSignals(windows);
    };
    const retry = this.retry;
    if (retry === null) return write();
    const { baseMs, capMs } = retry.backoff ?? { baseMs: 250, capMs: 5_000 };
    const sleep = retry.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
    for (let attempt = 0; ; attempt++) {
      try {
        await write();
        if (this.#failingSince !== null) {
          retry.log(`stream: the store is back: bars and windows written again (held ${Math.round((Date.now() - this.#failingSince) / 1000)} s)`);
          this.#failingSince = null;
        }
        return;
      } catch (err) {
        if (!retry.retryable(err) || retry.signal?.aborted === true) throw err;
        if (this.#failingSince === null) {
          this.#failingSince = Date.now();
          retry.log(`stream: the store is away (${err instanceof Error ? err.message : String(err)}): holding ${series.reduce((n, s) => n + s.candles.length, 0)} bars and ${windows.length} windows, retrying until it is back`);
        }
        await abortable(sleep(Math.min(capMs, baseMs * 2 ** Math.min(attempt, 20))), retry.signal);
      }
    }
  }
}

/** `wait`, or less if `signal` aborts first. */
function abortable(wait: Promise<void>, signal: AbortSignal | undefined): Promise<void> {
  if (signal === undefined) return wait;
  if (signal.aborted) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = (): void => {
      signal.removeEventListener('abort', done);
      resolve();
    };
    signal.addEventListener('abort', done, { once: true });
    void wait.then(done);
  });
}
