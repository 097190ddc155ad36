/**
 * The gaps job: finds missing candles since listing, classifies each run, and repairs holes from
 * REST. Candles are never synthesised: what the exchange does not have stays missing, recorded
 * in the gap ledger as an outage. Each scan is authoritative for its window: a ledger row it no
 * longer finds (filled by a repair or a later publication) is marked `repaired`, so no stale
 * `open` row outlives the minutes it named.
 */
import type { Logger } from 'pino';
import { floorToInterval, intervalMs, type Interval } from '../core/intervals.js';
import type { SeriesKey } from '../core/instrument.js';
import { isoMinute } from '../core/time.js';
import type { Gap, GapKind, GapStatus, Store } from '../store/store.js';
import { listingTime } from './backfill-job.js';
import { fetchRestRange } from './fetch-rest-range.js';
import { JobRecorder } from './job-recorder.js';
import type { Sources } from './sources.js';

export interface GapsOptions {
  symbols: readonly string[];
  interval: Interval;
  since?: number;
  /** Try to fill holes from REST (default true). */
  repair: boolean;
  /** Stops the job between symbols and REST pages. */
  signal?: AbortSignal;
  /** Recorded with the job's params (a queued job's id). */
  jobParams?: Record<string, unknown>;
}

export interface GapsSummary {
  jobId: number;
  found: number;
  missingCandles: number;
  repairedCandles: number;
  byKind: Record<GapKind, number>;
  /** Ledger rows found filled since they were recorded, now marked repaired. */
  closed: number;
}

export async function runGapsJob(store: Store, sources: Sources, logger: Logger, opts: GapsOptions): Promise<GapsSummary> {
  const job = await JobRecorder.start(store, logger, 'gaps', { symbols: opts.symbols, interval: opts.interval, repair: opts.repair, ...opts.jobParams });
  const summary: GapsSummary = { jobId: job.id, found: 0, missingCandles: 0, repairedCandles: 0, byKind: { not_published: 0, before_listing: 0, exchange_outage: 0, hole: 0 }, closed: 0 };
  for (const symbol of opts.symbols) {
    if (opts.signal?.aborted === true) break;
    await job.task(`${symbol} gaps`, async (log) => {
      const scan = await scanSymbol(store, sources, symbol, opts);
      const gaps = scan?.gaps ?? [];
      if (scan !== null) {
        const series: SeriesKey = { exchange: sources.exchange.exchange, symbol, interval: opts.interval };
        const closed = await store.reconcileGaps(series, scan.from, scan.to, gaps, `filled since it was recorded (found by gaps job ${job.id} at ${isoMinute(scan.at)})`);
        summary.closed += closed;
        if (closed > 0) await log.info(`${closed} gaps recorded earlier are filled now: marked repaired`);
      }
      // Every candle the repair wrote, also those around a gap REST could fill only in part.
      const repaired = scan?.written ?? 0;
      for (const g of gaps) {
        const n = (g.to - g.from) / intervalMs(opts.interval) + 1;
        summary.found++;
        summary.byKind[g.kind]++;
        summary.missingCandles += n;
        await log.info(`${g.kind} ${isoMinute(g.from)} .. ${isoMinute(g.to)} (${n} candles): ${g.status}${g.note === null ? '' : ` — ${g.note}`}`);
      }
      summary.repairedCandles += repaired;
      return { rows: repaired, value: gaps.length };
    });
  }
  await job.finish(`${summary.found} gaps, ${summary.missingCandles} missing candles, ${summary.repairedCandles} repaired from REST, ${summary.closed} earlier gaps found filled`);
  return summary;
}

/** The gaps found, and the window [from, to) the scan covered (null: the symbol has no candles yet). */
interface Scan {
  gaps: Gap[];
  /** Candles the repair fetched from REST and wrote. */
  written: number;
  from: number;
  to: number;
  at: number;
}

async function scanSymbol(store: Store, sources: Sources, symbol: string, opts: GapsOptions): Promise<Scan | null> {
  const exchange = sources.exchange.exchange;
  const series: SeriesKey = { exchange, symbol, interval: opts.interval };
  const len = intervalMs(opts.interval);
  const now = sources.exchange.now();
  const end = floorToInterval(now, opts.interval);
  const listedAt = await listingTime(store, sources, symbol, opts.interval);
  const gap = (from: number, to: number, kind: GapKind, status: GapStatus, note: string | null): Gap => ({
    exchange, symbol, interval: opts.interval, from, to, kind, status, detectedAt: now, note,
  });
  if (listedAt === null) return null;
  const gaps: Gap[] = [];
  let writtenTotal = 0;
  if (opts.since !== undefined && opts.since < listedAt) {
    gaps.push(gap(floorToInterval(opts.since, opts.interval), listedAt - len, 'before_listing', 'unrepairable', `listed ${isoMinute(listedAt)}`));
  }
  const start = Math.max(listedAt, opts.since ?? 0);
  // Without repair nothing is asked of the exchange, so a range it already said it lacks stays an outage.
  const known = opts.repair ? new Map<number, Gap>() : new Map((await store.listGaps({ exchange, symbol })).filter((g) => g.interval === opts.interval).map((g) => [g.from, g]));
  for (const range of await store.missingRanges(series, start, end)) {
    if (!opts.repair) {
      const prev = known.get(range.from);
      gaps.push(prev?.status === 'unrepairable' && prev.to === range.to ? prev : gap(range.from, range.to, 'hole', 'open', null));
      continue;
    }
    const written = await fetchRestRange(store, sources.exchange, series, range.from, range.to + len, opts.signal);
    writtenTotal += written;
    const left = await store.missingRanges(series, range.from, range.to + len);
    if (left.length === 0) {
      gaps.push(gap(range.from, range.to, 'hole', 'repaired', `${written} candles fetched from REST`));
      continue;
    }
    const repairedNote = written > 0 ? `; ${written} candles around it were repaired from REST` : '';
    for (const rest of left) {
      // The newest candles may simply not be served yet; anything older that REST lacks is an outage.
      const recent = rest.to >= end - 2 * len;
      gaps.push(
        recent
          ? gap(rest.from, rest.to, 'not_published', 'open', `not served by the exchange yet${repairedNote}`)
          : gap(rest.from, rest.to, 'exchange_outage', 'unrepairable', `the exchange has no candles here${repairedNote}`),
      );
    }
  }
  return { gaps, written: writtenTotal, from: start, to: end, at: now };
}
