/**
 * One archive file into the store: load (download, SHA-256 check, parse), trim the rows before
 * the window, compare with REST rows it replaces, then one transaction for its rows and manifest
 * entry. Whatever stops it (a fault, an abort) stops it before that transaction or not at all.
 */
import type { ArchiveManifestEntry } from '../core/archive-manifest.js';
import { sliceColumns, type CandleColumns } from '../core/candle.js';
import type { SeriesKey } from '../core/instrument.js';
import type { Store } from '../store/store.js';
import { abortable, throwIfAborted } from './abortable.js';
import type { Semaphore } from './semaphore.js';
import type { ArchiveFile, Sources } from './sources.js';

export interface IngestContext {
  store: Store;
  sources: Sources;
  series: SeriesKey;
  /** `Store.writeConcurrency` permits: how many store writes go at once. */
  writes: Semaphore;
  signal?: AbortSignal;
}

export interface IngestedFile {
  /** Rows the file contributed after trimming. */
  rows: number;
  /** Rows inserted or changed in the store. */
  written: number;
  bytes: number;
  manifest: ArchiveManifestEntry;
  /** REST or stream rows the archive replaced, and how many stored rows held other values. */
  replaced: number;
  differed: number;
}

/**
 * Loads and writes `file`, keeping rows with open time ≥ `keepFrom`. With `compare`, or when the
 * file replaces REST or stream rows, the stored rows are read first and the differing ones counted.
 * `taskId`: the task whose rows the write adds to, in its transaction.
 */
export async function ingestArchiveFile(
  ctx: IngestContext,
  file: ArchiveFile,
  keepFrom: number,
  compare = false,
  taskId?: number,
): Promise<IngestedFile> {
  const { store, series, signal } = ctx;
  const loaded = await abortable(ctx.sources.archive.load(file, series.interval, signal), signal);
  const candles = keepRowsFrom(loaded.candles, keepFrom);
  const manifest: ArchiveManifestEntry = { ...loaded.manifest, rows: candles.length };
  // A trimmed file is recorded as such, so that a run with an earlier --since loads it again.
  if (candles.length < loaded.candles.length) manifest.keptFrom = keepFrom;
  else delete manifest.keptFrom;

  let replaced = 0;
  let differed = 0;
  if (candles.length > 0) {
    const from = candles.openTime[0] as number;
    const to = (candles.openTime[candles.length - 1] as number) + 1;
    const counts = await store.countBySource(series, from, to);
    replaced = counts.rest + counts.stream;
    if (replaced > 0 || compare) differed = countDiffering(await store.readCandles(series, from, to), candles);
  }
  throwIfAborted(signal);
  // The rows are added to the task in the write's own transaction: a job killed at any point
  // shows exactly the rows it committed, though files of several symbols load at once.
  const written = await ctx.writes.run(() => store.writeCandles(series, candles, 'archive', manifest, { taskId }), signal);
  // Written and compared: nothing reads the columns from here on, so their memory can parse a later file.
  ctx.sources.archive.release?.(loaded.candles);
  return { rows: candles.length, written, bytes: loaded.manifest.size, manifest, replaced, differed };
}

/** The rows with open time ≥ `from` (a view, no copy); the columns are sorted by open time. */
export function keepRowsFrom(c: CandleColumns, from: number): CandleColumns {
  let cut = 0;
  while (cut < c.length && (c.openTime[cut] as number) < from) cut++;
  return cut === 0 ? c : sliceColumns(c, cut, c.length);
}

/** Stored rows whose values differ from the archive's row of the same open time (source aside). */
export function countDiffering(stored: CandleColumns, archive: CandleColumns): number {
  const FIELDS = ['open', 'high', 'low', 'close', 'volume', 'closeTime', 'quoteVolume', 'trades', 'takerBuyBase', 'takerBuyQuote'] as const;
  let differing = 0;
  let j = 0;
  for (let i = 0; i < stored.length; i++) {
    const t = stored.openTime[i] as number;
    while (j < archive.length && (archive.openTime[j] as number) < t) j++;
    if (j >= archive.length || archive.openTime[j] !== t) continue; // a row the archive lacks stays as it is
    if (FIELDS.some((f) => stored[f][i] !== archive[f][j])) differing++;
  }
  return differing;
}
