/** `tickerflow candles`: prints stored candles; intervals above 1m are aggregated in the database. */
import { Command, Option } from 'commander';
import type { Interval } from '../../core/intervals.js';
import { QUERY_INTERVALS } from '../../core/intervals.js';
import { ConfigError } from '../../core/errors.js';
import { withContext } from '../context.js';
import { CANDLE_FORMATS, formatCandles, type CandleFormat } from '../format-candles.js';
import { symbolArg, timeArg } from '../options.js';

interface CandlesOptions {
  interval: Interval;
  from: number;
  to: number;
  format: CandleFormat;
  exchange: string;
}

export function registerCandlesCommand(program: Command): void {
  program
    .command('candles')
    .description('print stored candles of a symbol (times UTC; --to is exclusive)')
    .argument('<symbol>', 'exchange symbol, e.g. BTCUSDT', symbolArg)
    .addOption(new Option('-i, --interval <interval>', 'candle interval').choices(QUERY_INTERVALS).default('1m'))
    .requiredOption('--from <time>', 'first open time, ISO-8601 UTC (e.g. 2020-01-01T00:00:00Z) or epoch ms', timeArg)
    .requiredOption('--to <time>', 'end of the window (exclusive), ISO-8601 UTC or epoch ms', timeArg)
    .addOption(new Option('-f, --format <format>', 'output format').choices(CANDLE_FORMATS).default('table'))
    .option('--exchange <name>', 'exchange', 'binance')
    .action(async (symbol: string, opts: CandlesOptions, cmd: Command) => {
      if (opts.to <= opts.from) throw new ConfigError(`--to (${new Date(opts.to).toISOString()}) must be after --from (${new Date(opts.from).toISOString()})`);
      await withContext(cmd, async ({ store }) => {
        const candles =
          opts.interval === '1m'
            ? await store.readCandles({ exchange: opts.exchange, symbol, interval: '1m' }, opts.from, opts.to)
            : await store.aggregateCandles(opts.exchange, symbol, opts.interval, opts.from, opts.to);
        process.stdout.write(formatCandles(candles, opts.format));
      });
    });
}
