/** `tickerflow universe | backfill | sync | gaps`: run one pipeline job now and print its summary. */
import { Option, type Command } from 'commander';
import { utcDate } from '../../core/time.js';
import { parseTime } from '../../core/time.js';
import { runBackfillJob } from '../../pipeline/backfill-job.js';
import type { BuiltSources } from '../../pipeline/create-sources.js';
import { BadInputError } from '../../core/errors.js';
import { runGapsJob } from '../../pipeline/gaps-job.js';
import { requireListed } from '../../pipeline/listing-time.js';
import { runSyncJob } from '../../pipeline/sync-job.js';
import { followedSymbols, runUniverseJob } from '../../pipeline/universe-job.js';
import { refuseWhileUp, runningUp, withContext, withStoreOr, type CliContext } from '../context.js';
import { universeRowSchema } from '../../api/routes/market-routes.js';
import { universeRows, universeSymbols, type UniverseRow } from '../../api/universe-summary.js';
import { QUERY_INTERVALS, type Interval } from '../../core/intervals.js';
import { formatUniverse } from './universe-list.js';
import { formatGapList } from './gaps-list.js';
import { z } from 'zod';
import { gapListRowSchema } from '../../api/pipeline-schemas.js';
import { gapListRows, type GapListRow } from '../../pipeline/gap-list-rows.js';
import { nonNegativeIntArg, symbolsArg, timeArg } from '../options.js';
import { progressBar } from '../progress-bar.js';
import { StopSignals } from '../stop-signals.js';
import { QueuedFileLoader } from '../../pipeline/queued-file-loader.js';
import { addWorkQueueOptions, openWorkQueue, requireSharedStore, type WorkQueueOptions } from '../work-queue-options.js';

/** The named symbols, each checked to be listed on the exchange; else the followed ones. */
async function symbolsFor(ctx: CliContext, given: string[], sources: BuiltSources): Promise<string[]> {
  if (given.length > 0) {
    const named = symbolsArg(given);
    await requireListed(ctx.store, sources, named);
    return named;
  }
  const list = await followedSymbols(ctx.store, ctx.config.universe.exchange, utcDate(sources.exchange.now()), ctx.config.universe.symbols);
  if (list.length === 0) throw new Error('no symbols to work on: run `tickerflow universe` first, name symbols, or list them in [universe].symbols');
  return list;
}

/** Prints each failed task of the job (a symbol the exchange kept refusing) and exits 1 if there is one. */
async function sayFailedTasks(ctx: CliContext, jobId: number): Promise<void> {
  const failed = (await ctx.store.getJob(jobId))?.tasks.filter((t) => t.status === 'failed') ?? [];
  for (const t of failed) process.stdout.write(`FAILED ${t.name}: ${t.error ?? 'no reason recorded'}\n`);
  if (failed.length > 0) process.exitCode = 1;
}

/** The sources, with the exchange's clock learned first: "now" decides which candles are closed. */
async function syncedSources(ctx: CliContext): Promise<BuiltSources> {
  const sources = ctx.sources();
  await sources.syncClock();
  return sources;
}

function since(ctx: CliContext, opt: number | undefined): number | undefined {
  return opt ?? (ctx.config.history.since === undefined ? undefined : parseTime(ctx.config.history.since, 'history.since'));
}

export function registerPipelineCommands(program: Command): void {
  program
    .command('universe')
    .description('refresh the top-N universe from CoinGecko, map it to exchange pairs, save a dated snapshot, backfill coins that entered')
    .option('--top <n>', 'how many coins by market cap (overrides [universe].top)', nonNegativeIntArg)
    .option('--no-backfill', 'do not backfill symbols that entered the universe')
    .option('--list', 'refresh nothing: list the followed symbols with last price, 24 h change, RSI(14) and TD setup (through a running up\'s API)')
    .addOption(new Option('-i, --interval <interval>', 'with --list: the interval of the figures').choices(QUERY_INTERVALS).default('1h'))
    .action(async (opts: { top?: number; backfill: boolean; list?: boolean; interval: Interval }, cmd: Command) => {
      if (opts.list === true) {
        const remote = runningUp(cmd);
        const read = remote === null ? undefined : async (): Promise<UniverseRow[]> =>
          z.object({ symbols: z.array(universeRowSchema) }).parse(await remote.getJson('/api/v1/universe', { interval: opts.interval })).symbols;
        await withStoreOr(cmd, read, async (ctx) => {
          const now = Date.now();
          const u = ctx.config.universe;
          return universeRows(ctx.store, u.exchange, await universeSymbols(ctx.store, u.exchange, u.symbols, utcDate(now)), opts.interval, now);
        }, (rows) => process.stdout.write(formatUniverse(rows, opts.interval)));
        return;
      }
      refuseWhileUp(cmd, `up refreshes the universe itself every [schedule] universe_every_hours and backfills the symbols that enter; \`tickerflow universe --list\` shows it now. To refresh it now, stop up (Ctrl-C), run this again, then start up.`);
      await withContext(cmd, async (ctx) => {
        const sources = await syncedSources(ctx);
        const u = ctx.config.universe;
        const res = await runUniverseJob(ctx.store, sources, ctx.logger, {
          top: opts.top ?? u.top, vsCurrency: u.vs_currency, quotePreference: u.quote_preference, manualSymbols: u.symbols, now: sources.exchange.now(),
        });
        const mapped = res.snapshot.entries.filter((e) => e.symbol !== null);
        process.stdout.write(`universe ${res.snapshot.date}: ${res.snapshot.entries.length} coins, ${mapped.length} mapped: ${mapped.map((e) => e.symbol).join(' ')}\n`);
        const unmapped = res.snapshot.entries.filter((e) => e.symbol === null).map((e) => e.coingeckoId);
        if (unmapped.length > 0) process.stdout.write(`no ${u.exchange} pair for: ${unmapped.join(' ')}\n`);
        if (opts.backfill && res.entered.length > 0) {
          process.stdout.write(`backfilling ${res.entered.length} symbols that entered: ${res.entered.join(' ')}\n`);
          const bar = progressBar('backfill');
          await runBackfillJob(ctx.store, sources, ctx.logger, { symbols: res.entered, interval: ctx.interval, since: since(ctx, undefined), progress: bar, concurrency: ctx.config.history.backfill_concurrency });
          bar?.stop();
        }
      });
    });

  const backfill = program
    .command('backfill')
    .description('load history: verified archive files first, then REST for the tail not archived yet')
    .argument('[symbols...]', 'symbols (default: the current universe)')
    .option('--since <time>', 'earliest open time to keep (default [history].since, else the listing)', timeArg);
  addWorkQueueOptions(backfill, 'queue the archive files on this NATS JetStream (nats://host[:port]) for `tickerflow worker`s to load, and wait for them; needs --db postgres://…')
    .action(async (given: string[], opts: WorkQueueOptions & { since?: number }, cmd: Command) => {
      refuseWhileUp(cmd, 'up backfills every symbol that enters the universe by itself. To backfill other symbols or an earlier --since now, stop up (Ctrl-C), run this backfill, then start up again.');
      if (opts.bus !== undefined) requireSharedStore(cmd, 'backfill --bus');
      await withContext(cmd, async (ctx) => {
        const sources = await syncedSources(ctx);
        const symbols = await symbolsFor(ctx, given, sources);
        const queue = opts.bus === undefined ? undefined : await openWorkQueue(opts.bus, opts);
        const loader = queue === undefined ? undefined : new QueuedFileLoader(queue, ctx.store, ctx.logger);
        const bar = progressBar('backfill');
        const started = Date.now();
        // Ctrl-C stops between files: no file is committed in part, and the job is closed as stopped.
        const stop = new StopSignals('tickerflow backfill: stopping after the files being written (nothing is committed in part; Ctrl-C again quits at once)');
        const { jobId, results } = await runBackfillJob(ctx.store, sources, ctx.logger, { symbols, interval: ctx.interval, since: since(ctx, opts.since), progress: bar, concurrency: ctx.config.history.backfill_concurrency, queue: loader, signal: stop.signal })
          .finally(async () => {
            stop.release();
            loader?.stop();
            await queue?.close();
          });
        bar?.stop();
        if (stop.signal.aborted) {
          process.stdout.write(`backfill job ${jobId} stopped on request after ${((Date.now() - started) / 1000).toFixed(1)} s; a rerun goes on from the files committed (details: tickerflow jobs show ${jobId})\n`);
          process.exitCode = 130;
          return;
        }
        for (const r of results) {
          if (r.failed !== undefined) process.stdout.write(`${r.symbol}: FAILED, ${r.failed}\n`);
          else process.stdout.write(`${r.symbol}: ${r.archiveFiles} archive files (${r.archiveRows} rows), ${r.restRows} REST rows${r.rejectedFiles.length > 0 ? `, REJECTED ${r.rejectedFiles.join(', ')}` : ''}\n`);
        }
        process.stdout.write(`backfill job ${jobId} done in ${((Date.now() - started) / 1000).toFixed(1)} s (details: tickerflow jobs show ${jobId})\n`);
        if (results.some((r) => r.failed !== undefined)) process.exitCode = 1;
        else if (results.some((r) => r.rejectedFiles.length > 0)) process.exitCode = 2;
      });
    });

  program
    .command('sync')
    .description('top up every followed symbol to the last closed candle from REST')
    .argument('[symbols...]', 'symbols (default: the current universe)')
    .action(async (given: string[], _opts: unknown, cmd: Command) => {
      refuseWhileUp(cmd, 'up syncs the followed symbols itself every [schedule] sync_every_seconds; stop it (Ctrl-C) to run sync by hand.');
      await withContext(cmd, async (ctx) => {
        const sources = await syncedSources(ctx);
        const symbols = await symbolsFor(ctx, given, sources);
        const res = await runSyncJob(ctx.store, sources, ctx.logger, { symbols, interval: ctx.interval });
        process.stdout.write(`sync job ${res.jobId}: ${res.rows} rows written for ${symbols.length} symbols\n`);
        if (res.needBackfill.length > 0) process.stdout.write(`nothing stored yet (run backfill): ${res.needBackfill.join(' ')}\n`);
        await sayFailedTasks(ctx, res.jobId);
      });
    });

  program
    .command('gaps')
    .description('find missing candles since listing, classify them, repair holes from REST; --list shows the ledger')
    .argument('[symbols...]', 'symbols (default: the current universe)')
    .option('--no-repair', 'only find and classify')
    .option('--since <time>', 'earliest open time to check', timeArg)
    .option('--list', 'run no job: per symbol, coverage since listing (or --since), first/last candle, open gaps by kind')
    .addOption(new Option('-i, --interval <interval>', 'with --list: the interval of the series listed (default [history] interval)').choices(QUERY_INTERVALS))
    .action(async (given: string[], opts: { repair: boolean; since?: number; list?: boolean; interval?: Interval }, cmd: Command) => {
      if (opts.interval !== undefined && opts.list !== true) throw new BadInputError('gaps: --interval goes with --list (the gaps job works on [history] interval)');
      if (opts.list === true) {
        const remote = runningUp(cmd);
        const read = remote === null ? undefined : async (): Promise<GapListRow[]> =>
          z.object({ rows: z.array(gapListRowSchema) }).parse(await remote.getJson('/api/v1/gaps/summary', { symbols: given.length > 0 ? symbolsArg(given).join(',') : undefined, since: opts.since, interval: opts.interval })).rows;
        await withStoreOr(cmd, read, async (ctx) => {
          // A listing reads the store only: the local clock says which candles are due, and the
          // exchange is asked nothing unless a named symbol is not in the stored instrument list.
          const sources = ctx.sources();
          const symbols = await symbolsFor(ctx, given, sources);
          return gapListRows(ctx.store, sources.exchange.exchange, symbols, opts.interval ?? ctx.interval, since(ctx, opts.since), sources.exchange.now());
        }, (rows) => process.stdout.write(formatGapList(rows)));
        return;
      }
      refuseWhileUp(cmd, 'up finds and repairs gaps itself every [schedule] gaps_every_minutes; `tickerflow gaps --list` reads the ledger through its API. To run the gaps job now, stop up (Ctrl-C) first.');
      await withContext(cmd, async (ctx) => {
        const sources = await syncedSources(ctx);
        const symbols = await symbolsFor(ctx, given, sources);
        const s = await runGapsJob(ctx.store, sources, ctx.logger, { symbols, interval: ctx.interval, since: since(ctx, opts.since), repair: opts.repair });
        const kinds = Object.entries(s.byKind).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ');
        process.stdout.write(`gaps job ${s.jobId}: ${s.found} gaps (${kinds || 'none'}), ${s.missingCandles} missing candles, ${s.repairedCandles} repaired, ${s.closed} earlier gaps found filled\n`);
        await sayFailedTasks(ctx, s.jobId);
      });
    });
}
