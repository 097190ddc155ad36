/**
 * `tickerflow replay --from T --to T`: runs the stream processors over the Parquet lake (the
 * events the live stream recorded) and writes their bars (source `stream`) and liquidity windows
 * into the configured store, as the live stream would: keyed upserts, so a replay over what the
 * stream already wrote rewrites the same rows. Prints the counts; progress goes to stderr.
 */
import { resolve } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, NotFoundError } from '../../core/errors.js';
import { formatMarketRef, parseMarketRef, type MarketRef } from '../../core/market-events.js';
import { checkReplayQuery, lakeHasEvents, replayLake, type ReplayLakeResult } from '../../stream/replay-lake.js';
import { globalOptions, refuseWhileUp, withContext } from '../context.js';
import { loadConfig } from '../load-config.js';
import { timeArgNamed } from '../options.js';

interface ReplayOptions {
  from: number;
  to: number;
  markets?: MarketRef[];
  lake?: string;
}

/** `binance:BTCUSDT,gemini:BTCUSD` → market refs; names the bad entry otherwise. */
export function marketsArg(value: string): MarketRef[] {
  const parts = value.split(',').map((s) => s.trim());
  if (parts.some((p) => p === '')) throw new InvalidArgumentError(`--markets "${value}" has an empty entry; give exchange:symbol[,exchange:symbol…]`);
  return parts.map((p) => {
    try {
      return parseMarketRef(p);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  });
}

export function formatReplayResult(r: ReplayLakeResult): string {
  const seqs = r.firstSeq === null ? 'none' : `${r.firstSeq}…${r.lastSeq}`;
  return [
    `events read   ${r.read} (arrival sequences ${seqs})`,
    `bars          ${r.bars} (source stream)`,
    `windows       ${r.windows}`,
    `rejected      ${r.rejected} events, ${r.booksRefused} book events refused`,
    `late          ${r.lateTrades} trades, ${r.lateWindowEvents} window events`,
  ].join('\n');
}

/** `[stream] lake` from the config; "" (no lake written) is refused. */
function lakeSetting(cmd: Command): string {
  const lake = loadConfig(globalOptions(cmd)).config.stream.lake;
  if (lake === '') throw new ConfigError('replay: no lake configured ([stream] lake is "", which writes none); pass --lake');
  return lake;
}

export function registerReplayCommand(program: Command): void {
  function nothingToReplay(lake: string, opts: ReplayOptions): NotFoundError {
    const which = opts.markets ? ` of ${opts.markets.map(formatMarketRef).join(', ')}` : '';
    return new NotFoundError(`replay: the lake at ${lake} holds no events${which} received in [${new Date(opts.from).toISOString()}, ${new Date(opts.to).toISOString()}); nothing was written`);
  }

  program
    .command('replay')
    .description('run the stream processors over the Parquet lake and write their bars and signals to the store (times UTC; --to is exclusive)')
    .requiredOption('--from <time>', 'first receive time, ISO-8601 UTC or epoch ms', timeArgNamed('--from'))
    .requiredOption('--to <time>', 'end receive time (exclusive), ISO-8601 UTC or epoch ms', timeArgNamed('--to'))
    .option('--markets <list>', 'only these markets, e.g. binance:BTCUSDT,gemini:BTCUSD (default: every market in the lake)', marketsArg)
    .option('--lake <dir>', 'lake folder (default: [stream] lake in the config)')
    .action(async (opts: ReplayOptions, cmd: Command) => {
      if (opts.from >= opts.to) throw new ConfigError('--from must be before --to');
      const lake = resolve(opts.lake ?? lakeSetting(cmd));
      checkReplayQuery({ lakeRoot: lake, from: opts.from, to: opts.to }); // before the store is opened
      refuseWhileUp(cmd, 'stop it before replaying into its store');
      // Nothing to replay is said before the store is opened, so no empty store is made.
      if (!(await lakeHasEvents(lake, opts.from, opts.to, opts.markets))) throw nothingToReplay(lake, opts);
      await withContext(cmd, async ({ config, store }) => {
        const started = Date.now();
        const result = await replayLake({
          lakeRoot: lake,
          from: opts.from,
          to: opts.to,
          markets: opts.markets,
          store,
          windowMs: config.stream.window_seconds * 1000,
          onProgress: (events, at) => process.stderr.write(`replay: ${events} events, at ${new Date(at).toISOString()} (${Math.round((Date.now() - started) / 1000)} s)\n`),
        });
        if (result.read === 0) throw nothingToReplay(lake, opts);
        process.stdout.write(`${formatReplayResult(result)}\n`);
      });
    });
}
