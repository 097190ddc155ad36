/**
 * `tickerflow demo`: the real pipeline (universe → backfill → sync → gaps) against the replay
 * server started in this process on a free port, serving the bundled recorded data. No network.
 */
import type { Command } from 'commander';
import { isoMinute, parseTime } from '../../core/time.js';
import { runBackfillJob } from '../../pipeline/backfill-job.js';
import { createReplaySources } from '../../pipeline/create-sources.js';
import { runGapsJob } from '../../pipeline/gaps-job.js';
import { runSyncJob } from '../../pipeline/sync-job.js';
import { followedSymbols, runUniverseJob } from '../../pipeline/universe-job.js';
import { startReplayServer } from '../../replay/index.js';
import type { Store } from '../../store/store.js';
import { withContext } from '../context.js';
import { nonNegativeIntArg, timeArg } from '../options.js';
import { progressBar } from '../progress-bar.js';
import { utcDate } from '../../core/time.js';

/**
 * Just after midnight of 2020-01-04: the three bundled BTCUSDT daily archive files of
 * 2020-01-01..03 are all published (the demo uses no publication lag), and no 2020-01-04 candle is
 * closed yet.
 */
const DEMO_NOW = '2020-01-04T00:00:30Z';

/**
 * The demo's own store (`--db` overrides it). Never the default store: the demo's recorded 2020
 * listing time and universe snapshot would otherwise steer a later real run (a backfill of
 * BTCUSDT starting at 2020-01-01 and skipping 2017–2019).
 */
export const DEMO_DB = './tickerflow-data/demo.duckdb';

interface DemoOptions {
  now: number;
  top: number;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(`run the real pipeline offline against the bundled replay server (recorded Binance and CoinGecko data), into its own store ${DEMO_DB} unless --db is given`)
    .option('--now <time>', 'simulated present', timeArg, parseTime(DEMO_NOW))
    .option('--top <n>', 'coins by market cap in the universe', nonNegativeIntArg, 5)
    .action(async (opts: DemoOptions, cmd: Command) => {
      const started = Date.now();
      const replay = await startReplayServer({ now: opts.now, speed: 1, publicationLagMs: 0 });
      try {
        await withContext(cmd, async (ctx) => {
          const clock = (): number => replay.clock.now();
          const sources = createReplaySources(ctx.config, replay, { secrets: ctx.secrets, logger: ctx.logger });
          const out = (s: string): void => void process.stdout.write(`${s}\n`);
          out(`tickerflow demo: replay server ${replay.url}, simulated now ${new Date(clock()).toISOString()}, store ${ctx.store.kind} ${ctx.store.location}`);

          const u = ctx.config.universe;
          const manual = [...new Set(['BTCUSDT', ...u.symbols])];
          const universe = await runUniverseJob(ctx.store, sources, ctx.logger, { top: opts.top, vsCurrency: 'usd', quotePreference: u.quote_preference, manualSymbols: manual, now: clock() });
          const symbols = await followedSymbols(ctx.store, sources.exchange.exchange, utcDate(clock()), manual);
          const unmapped = universe.snapshot.entries.filter((e) => e.symbol === null).map((e) => e.coingeckoId);
          const before = await storedRows(ctx.store, sources.exchange.exchange, symbols);
          out(`universe ${universe.snapshot.date}: top ${opts.top} of the recorded CoinGecko markets + ${manual.join(', ')} → ${symbols.join(' ')}${unmapped.length ? ` (no pair: ${unmapped.join(', ')})` : ''}`);

          const bar = progressBar('backfill');
          const backfill = await runBackfillJob(ctx.store, sources, ctx.logger, { symbols, interval: '1m', progress: bar });
          bar?.stop();
          for (const r of backfill.results) {
            out(`backfill ${r.symbol.padEnd(9)} ${r.archiveFiles} archive files (${r.archiveRows} rows), ${r.restRows} REST rows${r.rejectedFiles.length ? `, rejected: ${r.rejectedFiles.join(', ')}` : ''}`);
          }
          const sync = await runSyncJob(ctx.store, sources, ctx.logger, { symbols, interval: '1m' });
          const gaps = await runGapsJob(ctx.store, sources, ctx.logger, { symbols, interval: '1m', repair: true });
          out(`sync: ${sync.rows} rows; gaps: ${gaps.found} found, ${gaps.missingCandles} missing candles, ${gaps.repairedCandles} repaired`);

          const after = await storedRows(ctx.store, sources.exchange.exchange, symbols);
          const noData = symbols.filter((sym) => !after.withData.includes(sym));
          const stats = replay.stats();
          out(`summary: ${after.withData.length} symbols with candles, ${after.rows} candles stored, ${after.rows - before.rows} added by this run; ` +
            `${stats.binance.requests} Binance requests (weight ${stats.binance.weight}, ${stats.binance.rateLimited429} × 429); ${((Date.now() - started) / 1000).toFixed(1)} s`);
          if (noData.length > 0) out(`no candles before ${isoMinute(clock())} in the recorded data for: ${noData.join(' ')}`);
          const db = ctx.store.kind === 'duckdb' ? ctx.config.store.db : '<your --db URL>';
          out(`the demo's data is in its own store ${ctx.store.location}; your default store is untouched`);
          out(`try: tickerflow --db ${db} candles BTCUSDT --interval 1h --from 2020-01-01 --to 2020-01-04`);
        }, { defaultDb: DEMO_DB });
      } finally {
        await replay.close();
      }
    });
}

/** Stored 1m candles of the followed symbols, and which of them have any. */
async function storedRows(store: Store, exchange: string, symbols: readonly string[]): Promise<{ rows: number; withData: string[] }> {
  let rows = 0;
  const withData: string[] = [];
  for (const symbol of symbols) {
    const s = await store.seriesStats({ exchange, symbol, interval: '1m' });
    if (s !== null) {
      withData.push(symbol);
      rows += s.count;
    }
  }
  return { rows, withData };
}
