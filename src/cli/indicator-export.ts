/**
 * The streaming loop behind `indicators`: bars from the warm-up start to the window's end are read
 * chunk by chunk and fed through the indicators' streaming forms; only bars from --from on are
 * written. The first chunk is awaited before anything is written, so an empty read can still be
 * refused with nothing on the output.
 */
import { sliceColumns, type CandleColumns } from '../core/candle.js';
import type { Store } from '../store/store.js';
import { ChunkCompleteness } from '../store/chunk-completeness.js';
import { EXPORT_CHUNK_ROWS, TEXT_ROWS, type BarWindow } from './export-bars.js';
import type { CandleFormat } from './format-candles.js';
import { indicatorFormatter } from './format-indicators.js';
import type { IndicatorStreams } from './indicator-streams.js';
import type { OutputSink } from './output-sink.js';

export interface IndicatorExportOptions {
  format: CandleFormat;
  /** Decimals of the table's close column (the symbol's tick size), when known. */
  closeDecimals: number | undefined;
  sink: OutputSink;
  now: number;
  chunkRows?: number;
}

/** One chunk of bars in ascending open time, with the completeness flags of its rows from `first` on. */
export interface IndicatorChunk {
  candles: CandleColumns;
  complete(first: number): Promise<Uint8Array>;
}

/**
 * Computes `streams` over the bars of `w` (warm-up included) and writes those with open time ≥
 * `printFrom`. Returns the number of bars read; 0 means none were stored and nothing was written.
 */
export async function streamIndicators(store: Store, w: BarWindow, printFrom: number, streams: IndicatorStreams, o: IndicatorExportOptions): Promise<number> {
  const completeness = await ChunkCompleteness.load(store, w.exchange, w.symbol, w.interval, o.now);
  const abort = new AbortController();
  const stored = store.streamCandles(w.exchange, w.symbol, w.interval, w.from, w.to, { chunkRows: o.chunkRows ?? EXPORT_CHUNK_ROWS, signal: abort.signal });
  async function* chunks(): AsyncGenerator<IndicatorChunk> {
    for await (const { candles, minutes, source } of stored) {
      yield { candles, complete: (first) => completeness.flags({ candles: sliceColumns(candles, first, candles.length), minutes: minutes.subarray(first), source }) };
    }
  }
  return writeIndicators(chunks(), printFrom, streams, o, () => abort.abort());
}

/**
 * The loop of streamIndicators over any source of chunks (the store, or a running `up`'s candles
 * API, whose rows carry their completeness). `stop` ends the source early when the sink closes.
 */
export async function writeIndicators(source: AsyncIterable<IndicatorChunk>, printFrom: number, streams: IndicatorStreams, o: Omit<IndicatorExportOptions, 'now' | 'chunkRows'>, stop: () => void = () => undefined): Promise<number> {
  const chunks = source[Symbol.asyncIterator]();
  let next = await chunks.next();
  if (next.done === true) return 0;
  const f = indicatorFormatter(o.format, streams.names, o.closeDecimals);
  const end = async (): Promise<void> => {
    stop();
    await chunks.return?.();
  };
  if (!(await o.sink.write(f.begin()))) {
    await end();
    return 1;
  }
  const width = streams.names.length;
  // One set of value columns reused for every slice: the formatter is done with a slice before the next.
  const buffers = Array.from({ length: width }, () => new Float64Array(TEXT_ROWS));
  let read = 0;
  let lastOpenTime = NaN;
  let lastClose = NaN;
  while (next.done !== true) {
    const { candles: c } = next.value;
    let first = 0;
    while (first < c.length && (c.openTime[first] as number) < printFrom) first++;
    const printed = sliceColumns(c, first, c.length);
    const complete = printed.length > 0 ? await next.value.complete(first) : new Uint8Array(0);
    for (let i = 0; i < first; i++) streams.update(c.open[i]!, c.high[i]!, c.low[i]!, c.close[i]!, c.volume[i]!, c.openTime[i]!);
    // Computed and written a slice at a time, as exportBars does, so the text of a whole chunk is never held.
    for (let lo = 0; lo < printed.length; lo += TEXT_ROWS) {
      const hi = Math.min(printed.length, lo + TEXT_ROWS);
      const values = buffers.map((b) => b.subarray(0, hi - lo));
      for (let i = lo; i < hi; i++) {
        const row = streams.update(printed.open[i]!, printed.high[i]!, printed.low[i]!, printed.close[i]!, printed.volume[i]!, printed.openTime[i]!);
        for (let j = 0; j < width; j++) values[j]![i - lo] = row[j]!;
      }
      const part = { length: hi - lo, openTime: printed.openTime.subarray(lo, hi), close: printed.close.subarray(lo, hi), values, complete: complete.subarray(lo, hi) };
      if (!(await o.sink.write(f.rows(part)))) {
        await end();
        return read + c.length;
      }
    }
    read += c.length;
    lastOpenTime = c.openTime[c.length - 1] as number;
    lastClose = c.close[c.length - 1] as number;
    next = await chunks.next();
  }
  await o.sink.write(f.end({ levels: streams.levels(), lastOpenTime, lastClose }));
  return read;
}
