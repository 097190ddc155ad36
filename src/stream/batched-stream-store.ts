/**
 * A write buffer for the replay: the processors' bar and window writes are collected and written
 * in batches (per series one `writeCandles`, one `upsertSignals`) instead of one database
 * transaction per emitted bar, which is most of a replay's time on DuckDB. Both writes are keyed
 * upserts, so batching changes no stored value: a row written later in the same batch replaces an
 * earlier one with the same key, as it would in the store. Memory stays bounded: the buffer is
 * written whenever it holds `maxRows`, and by `flush()` at the end. A failed write surfaces at the
 * flush (or the write that triggered it); the replay can simply be run again.
 */
import { candlesFromColumns, columnsFromCandles, type Candle, type CandleColumns, type CandleSource } from '../core/candle.js';
import type { SeriesKey } from '../core/instrument.js';
import type { LiquidityWindow } from '../store/signal-records.js';
import type { Store } from '../store/store.js';

export type StreamStore = Pick<Store, 'writeCandles' | 'upsertSignals'>;

interface SeriesBuffer {
  series: SeriesKey;
  source: CandleSource;
  byOpenTime: Map<number, Candle>;
}

export class BatchedStreamStore implements StreamStore {
  readonly #series = new Map<string, SeriesBuffer>();
  readonly #windows = new Map<string, LiquidityWindow>();
  #rows = 0;

  constructor(
    private readonly store: StreamStore,
    private readonly maxRows = 10_000,
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

  /** Writes everything buffered. */
  async flush(): Promise<void> {
    const series = [...this.#series.values()];
    const windows = [...this.#windows.values()];
    this.#series.clear();
    this.#windows.clear();
    this.#rows = 0;
    for (const s of series) {
      const candles = [...s.byOpenTime.values()].sort((a, b) => a.openTime - b.openTime);
      await this.store.writeCandles(s.series, columnsFromCandles(candles), s.source);
    }
    if (windows.length > 0) await this.store.upsertSignals(windows);
  }
}
