/**
 * The demo's history load: universe → backfill → sync → gaps once against the replay server, a
 * line per step and a summary. The demo's own output lines go through `out`.
 */
import type { Interval } from '../../core/intervals.js';
import { isoMinute, utcDate } from '../../core/time.js';
import { runBackfillJob } from '../../pipeline/backfill-job.js';
import { runGapsJob } from '../../pipeline/gaps-job.js';
import type { Sources } from '../../pipeline/sources.js';
import { runSyncJob } from '../../pipeline/sync-job.js';
import { followedSymbols, runUniverseJob } from '../../pipeline/universe-job.js';
import type { ReplayServer } from '../../replay/index.js';
import type { Store } from '../../store/store.js';
import type { CliContext } from '../context.js';
import { progressBar } from '../progress-bar.js';

export interface HistoryPlan {
  /** Coins by market cap from the recorded CoinGecko list (0: only `manual`). */
  top: number;
  manual: string[];
  interval: Interval;
  since?: number;
  /** Real start of the command, for the summary's duration. */
  started: number;
}

export /** Universe → backfill → sync → gaps, once, with a line per step and a summary. */
async function loadHistory(ctx: CliContext, replay: ReplayServer, sources: Sources, plan: HistoryPlan): Promise<void> {
  const clock = (): number => replay.clock.now();
  const exchange = sources.exchange.exchange;
  const { interval, manual } = plan;
  out(`tickerflow demo: replay server ${replay.url}, simulated now ${new Date(clock()).toISOString()}, store ${ctx.store.kind} ${ctx.store.location}`);

  const u = ctx.config.universe;
  const universe = await runUniverseJob(ctx.store, sources, ctx.logger, { top: plan.top, vsCurrency: 'usd', quotePreference: u.quote_preference, manualSymbols: manual, now: clock() });
  const symbols = await followedSymbols(ctx.store, exchange, utcDate(clock()), manual);
  const unmapped = universe.snapshot.entries.filter((e) => e.symbol === null).map((e) => e.coingeckoId);
  const before = await storedRows(ctx.store, exchange, symbols, interval);
  const picked = plan.top > 0 ? `top ${plan.top} of the recorded CoinGecko markets + ${manual.join(', ')}` : 'named coins';
  out(`universe ${universe.snapshot.date}: ${picked} → ${symbols.join(' ')}${unmapped.length ? ` (no pair: ${unmapped.join(', ')})` : ''}`);

  const bar = progressBar('backfill');
  const backfill = await runBackfillJob(ctx.store, sources, ctx.logger, { symbols, interval, since: plan.since, progress: bar });
  bar?.stop();
  for (const r of backfill.results) {
    if (r.failed !== undefined) out(`backfill ${r.symbol.padEnd(9)} FAILED, ${r.failed}`);
    else out(`backfill ${r.symbol.padEnd(9)} ${r.archiveFiles} archive files (${r.archiveRows} rows), ${r.restRows} REST rows${r.rejectedFiles.length ? `, rejected: ${r.rejectedFiles.join(', ')}` : ''}`);
  }
  const sync = await runSyncJob(ctx.store, sources, ctx.logger, { symbols, interval });
  const gaps = await runGapsJob(ctx.store, sources, ctx.logger, { symbols, interval, since: plan.since, repair: true });
  out(`sync: ${sync.rows} rows; gaps: ${gaps.found} found, ${gaps.missingCandles} missing candles, ${gaps.repairedCandles} repaired`);

  const after = await storedRows(ctx.store, exchange, symbols, interval);
  const noData = symbols.filter((sym) => !after.withData.includes(sym));
  const stats = replay.stats();
  out(`summary: ${after.withData.length} symbols with candles, ${after.rows} candles stored, ${after.rows - before.rows} added by this run; ` +
    `${stats.binance.requests} Binance requests (weight ${stats.binance.weight}, ${stats.binance.rateLimited429} × 429); ${((Date.now() - plan.started) / 1000).toFixed(1)} s`);
  if (noData.length > 0) out(`no candles before ${isoMinute(clock())} in the recorded data for: ${noData.join(' ')}`);
}

export function out(s: string): void {
  process.stdout.write(`${s}\n`);
}

/** Stored candles of the followed symbols at `interval`, and which of them have any. */
async function storedRows(store: Store, exchange: string, symbols: readonly string[], interval: Interval): Promise<{ rows: number; withData: string[] }> {
  let rows = 0;
  const withData: string[] = [];
  for (const symbol of symbols) {
    const s = await store.seriesStats({ exchange, symbol, interval });
    if (s !== null) {
      withData.push(symbol);
      rows += s.count;
    }
  }
  return { rows, withData };
}
