/**
 * The backfill job: archive first (verified monthly and daily zips, each committed whole with its
 * manifest entry), then REST for the tail the archive has not published yet. Files already in
 * the manifest are skipped, so a rerun after a crash picks up where the last run stopped.
 */
import type { Logger } from 'pino';
import { floorToInterval, intervalMs, type Interval } from '../core/intervals.js';
import type { SeriesKey } from '../core/instrument.js';
import { isoMinute } from '../core/time.js';
import { NotFoundError } from '../core/errors.js';
import type { Store } from '../store/store.js';
import { JobRecorder, type TaskLog } from './job-recorder.js';
import type { Progress } from './progress.js';
import { fetchRestRange } from './fetch-rest-range.js';
import type { ArchiveFile, Sources } from './sources.js';

export interface BackfillOptions {
  symbols: readonly string[];
  interval: Interval;
  /** Earliest open time to keep; default: the symbol's listing. */
  since?: number;
  progress?: Progress;
}

export interface BackfillSymbolResult {
  symbol: string;
  archiveFiles: number;
  archiveRows: number;
  restRows: number;
  rejectedFiles: string[];
}

export async function runBackfillJob(store: Store, sources: Sources, logger: Logger, opts: BackfillOptions): Promise<{ jobId: number; results: BackfillSymbolResult[] }> {
  const job = await JobRecorder.start(store, logger, 'backfill', { symbols: opts.symbols, interval: opts.interval, since: opts.since ?? null });
  const results: BackfillSymbolResult[] = [];
  for (const symbol of opts.symbols) {
    const r = await backfillSymbol(job, store, sources, symbol, opts);
    if (r !== undefined) results.push(r);
  }
  const rows = results.reduce((n, r) => n + r.archiveRows + r.restRows, 0);
  const rejected = results.reduce((n, r) => n + r.rejectedFiles.length, 0);
  await job.finish(`${results.length}/${opts.symbols.length} symbols, ${rows} rows written, ${rejected} archive files rejected`);
  return { jobId: job.id, results };
}

async function backfillSymbol(job: JobRecorder, store: Store, sources: Sources, symbol: string, opts: BackfillOptions): Promise<BackfillSymbolResult | undefined> {
  const exchange = sources.exchange.exchange;
  const series: SeriesKey = { exchange, symbol, interval: opts.interval };
  const len = intervalMs(opts.interval);
  const result: BackfillSymbolResult = { symbol, archiveFiles: 0, archiveRows: 0, restRows: 0, rejectedFiles: [] };

  const window = await job.task(`${symbol} listing`, async (log) => {
    const listedAt = await listingTime(store, sources, symbol, opts.interval);
    if (listedAt === null) {
      await log.info(`${symbol} has no ${opts.interval} candles on ${exchange} yet`);
      return { rows: 0, value: null };
    }
    const start = Math.max(listedAt, opts.since ?? 0);
    const end = floorToInterval(sources.exchange.now(), opts.interval); // open time of the forming candle: exclusive end
    await log.info(`${symbol} listed ${isoMinute(listedAt)}; keeping ${isoMinute(start)} .. ${isoMinute(end - len)}`);
    return { rows: 0, value: { start, end } };
  });
  if (window === undefined) return undefined;
  if (window === null) return result;
  const { start, end } = window;
  if (start >= end) return result;

  const files = await job.task(`${symbol} archive listing`, async (log) => {
    const all = await sources.archive.listFiles(symbol, opts.interval);
    const chosen = chooseArchiveFiles(all, start, end);
    await log.info(`${all.length} archive files published, ${chosen.length} cover the window`);
    return { rows: 0, value: chosen };
  });
  let archivedUntil = start;
  const toIngest: ArchiveFile[] = [];
  for (const file of files ?? []) {
    archivedUntil = Math.max(archivedUntil, Math.min(file.end, end));
    if ((await store.getManifest(file.key)) === null) toIngest.push(file);
  }
  opts.progress?.add(toIngest.length);
  for (const file of toIngest) {
    opts.progress?.start(file.key);
    const rows = await job.task(`ingest ${file.key}`, async (log) => {
      const { candles, manifest } = await sources.archive.load(file, opts.interval);
      const changed = await store.writeCandles(series, candles, 'archive', manifest);
      await log.info(`${candles.length} rows verified (sha256 ${manifest.sha256.slice(0, 12)}…), ${changed} written`);
      return { rows: changed, value: candles.length };
    });
    if (rows === undefined) result.rejectedFiles.push(file.key);
    else {
      result.archiveFiles++;
      result.archiveRows += rows;
    }
    opts.progress?.tick(file.key);
  }

  // REST for the tail the archive does not cover yet (the current, unpublished days).
  const tailFrom = Math.max(start, archivedUntil);
  if (tailFrom < end) {
    const restRows = await job.task(`${symbol} REST tail ${isoMinute(tailFrom)} .. ${isoMinute(end - len)}`, (log) =>
      restTail(store, sources, series, tailFrom, end, log),
    );
    result.restRows = restRows ?? 0;
  }
  return result;
}

async function restTail(store: Store, sources: Sources, series: SeriesKey, from: number, to: number, log: TaskLog): Promise<{ rows: number; value: number }> {
  const missing = await store.missingRanges(series, from, to);
  let rows = 0;
  for (const range of missing) {
    rows += await fetchRestRange(store, sources.exchange, series, range.from, range.to + intervalMs(series.interval));
  }
  await log.info(`${missing.length} missing ranges fetched from REST, ${rows} rows written`);
  return { rows, value: rows };
}

/**
 * The listing time, from the store or else asked of the exchange once and remembered. A symbol
 * the store does not know yet is looked up in the exchange's instrument list first, so that a
 * mistyped symbol fails with a clear reason instead of an empty history.
 */
export async function listingTime(store: Store, sources: Sources, symbol: string, interval: Interval): Promise<number | null> {
  const exchange = sources.exchange.exchange;
  let known = (await store.listInstruments(exchange)).find((i) => i.symbol === symbol);
  if (known === undefined) {
    const all = await sources.exchange.instruments();
    await store.upsertInstruments(all);
    known = all.find((i) => i.symbol === symbol);
    if (known === undefined) throw new NotFoundError(`${symbol} is not listed on ${exchange}`);
  }
  if (known.listedAt != null) return known.listedAt;
  const first = await sources.exchange.firstCandleTime(symbol, interval);
  if (first !== null) await store.setListedAt(exchange, symbol, first);
  return first;
}

/**
 * Picks the files that cover [start, end): each complete month from its monthly file, and
 * daily files only for days no chosen monthly file covers.
 */
export function chooseArchiveFiles(all: readonly ArchiveFile[], start: number, end: number): ArchiveFile[] {
  const overlapping = all.filter((f) => f.end > start && f.start < end);
  const monthly = overlapping.filter((f) => f.period === 'monthly');
  const daily = overlapping.filter((f) => f.period === 'daily' && !monthly.some((m) => m.start <= f.start && f.end <= m.end));
  return [...monthly, ...daily].sort((a, b) => a.start - b.start || a.key.localeCompare(b.key));
}
