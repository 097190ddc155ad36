/**
 * `tickerflow candles`: prints or exports stored candles; intervals above 1m are aggregated in the
 * database. Streamed chunk by chunk in every format, so any window runs in bounded memory.
 */
import { Command, Option } from 'commander';
import type { Interval } from '../../core/intervals.js';
import { QUERY_INTERVALS } from '../../core/intervals.js';
import { ConfigError } from '../../core/errors.js';
import { isExchangeSymbol, STREAM_EXCHANGES } from '../../core/market-events.js';
import { runningUp, withContext } from '../context.js';
import { exportBars } from '../export-bars.js';
import { CANDLE_CSV_COLUMNS, candleFormatter, EXPORT_FORMATS, type FileFormat } from '../format-candles.js';
import { barWindow, timeArg, TIME_DEFAULTS_HELP } from '../options.js';
import { finishSink, openSink, tableDecimals } from '../export-target.js';
import type { OutputSink } from '../output-sink.js';
import type { ParquetType } from '../parquet-sink.js';
import type { RemoteApi } from '../remote-api.js';
import { isoMinute } from '../text-table.js';
import type { Store } from '../../store/store.js';

interface CandlesOptions {
  interval: Interval;
  from?: number;
  to?: number;
  format: FileFormat;
  output?: string;
  exchange: string;
}

export function registerCandlesCommand(program: Command): void {
  program
    .command('candles')
    .description('print or export stored candles of a symbol (times UTC; --to is exclusive)')
    .argument('<symbol>', 'exchange symbol, e.g. BTCUSDT (BTC-EUR with --exchange bitvavo)', (v: string) => v.toUpperCase())
    .addOption(new Option('-i, --interval <interval>', 'candle interval').choices(QUERY_INTERVALS).default('1m'))
    .option('--from <time>', 'first open time, ISO-8601 UTC (e.g. 2020-01-01T00:00:00Z) or epoch ms (default: one day before --to at 1m, 500 bars at other intervals)', timeArg)
    .option('--to <time>', 'end of the window (exclusive), ISO-8601 UTC or epoch ms (default: now)', timeArg)
    .addOption(new Option('-f, --format <format>', 'output format (parquet needs --output)').choices(EXPORT_FORMATS).default('table'))
    .option('-o, --output <file>', 'write to FILE instead of stdout; it appears only once complete')
    .addOption(new Option('--exchange <name>', 'exchange: binance, or a streamed one (gemini, bitvavo, btcturk) for its 1m stream bars').choices(STREAM_EXCHANGES).default('binance'))
    .addHelpText('after', `\n${CANDLES_HELP}`)
    .action(async (symbol: string, opts: CandlesOptions, cmd: Command) => {
      if (!isExchangeSymbol(opts.exchange, symbol)) throw new ConfigError(`"${symbol}" is not a ${opts.exchange} symbol such as ${opts.exchange === 'bitvavo' ? 'BTC-EUR' : 'BTCUSDT'}`);
      const now = Date.now();
      const window = barWindow(opts.interval, opts.from, opts.to, now);
      if (opts.format === 'parquet' && opts.output === undefined) throw new ConfigError('--format parquet writes a file: give --output FILE');
      const remote = runningUp(cmd);
      if (remote !== null) {
        await finishSink(await remoteCandles(remote, symbol, opts, window));
        return;
      }
      const sink = await withContext(cmd, async ({ store }) => {
        const decimals = opts.format === 'table' ? await tableDecimals(store, opts.exchange, symbol) : {};
        const out = openSink(opts.format, opts.output, CANDLE_PARQUET_COLUMNS);
        try {
          const formatter = candleFormatter(opts.format === 'parquet' ? 'csv' : opts.format, decimals);
          const rows = await exportBars(store, { exchange: opts.exchange, symbol, interval: opts.interval, ...window }, formatter, out, { now });
          if (rows === 0) await sayWhatIsStored(store, opts.exchange, symbol, opts.interval);
          return out;
        } catch (err) {
          await out.discard();
          throw err;
        }
      });
      // Finished once the store is closed: a Parquet conversion then runs without the store's cache beside it.
      await finishSink(sink);
    });
}

/** The same export through the API of the `up` that holds the store: its CSV read back into chunks for the same formatter. */
async function remoteCandles(remote: RemoteApi, symbol: string, opts: CandlesOptions, window: { from: number; to: number }): Promise<OutputSink> {
  const { decimals, chunks } = await remote.candles({ symbol, interval: opts.interval, from: window.from, to: window.to, exchange: opts.exchange });
  const out = openSink(opts.format, opts.output, CANDLE_PARQUET_COLUMNS);
  try {
    const formatter = candleFormatter(opts.format === 'parquet' ? 'csv' : opts.format, opts.format === 'table' ? decimals : {});
    if (!(await out.write(formatter.begin()))) return out;
    for await (const chunk of chunks) if (!(await out.write(formatter.rows(chunk.candles, chunk.complete)))) return out;
    await out.write(formatter.end());
    return out;
  } catch (err) {
    await out.discard();
    throw err;
  }
}

/**
 * After an empty export, says on stderr what the store holds of the symbol (an interval it is not
 * followed at, a window outside its history), and fails when it holds nothing of it at all.
 */
async function sayWhatIsStored(store: Store, exchange: string, symbol: string, interval: Interval): Promise<void> {
  const held: string[] = [];
  for (const i of QUERY_INTERVALS) {
    const stats = await store.seriesStats({ exchange, symbol, interval: i });
    if (stats !== null) held.push(`${i} ${isoMinute(stats.first)} … ${isoMinute(stats.last)}`);
  }
  if (held.length === 0) {
    const how = exchange === 'binance' ? `\`tickerflow backfill ${symbol}\` loads it` : `its 1m bars come from \`tickerflow stream --markets ${exchange}:${symbol}\``;
    process.stderr.write(`tickerflow: nothing of ${symbol} is stored on ${exchange} (${how})\n`);
    process.exitCode = 1;
    return;
  }
  process.stderr.write(`tickerflow: no ${interval} candles of ${symbol} in this window; stored: ${held.join('; ')}\n`);
}

const CANDLES_HELP = `Times: ${TIME_DEFAULTS_HELP}.
Every bar ends with whether it is complete: its interval is over and every minute is stored or
recorded by \`gaps\` as an exchange outage (column \`complete\` in csv, json and parquet; a
trailing * in the table). While \`up\` holds the store, the candles are read through its API. The table takes each column's decimals from the symbol's tick size
(prices) and step size (volume), or from the first rows for a symbol without them; a later value
with more decimals is printed exactly, never rounded.`;

const CANDLE_PARQUET_COLUMNS: ReadonlyArray<readonly [string, ParquetType]> = CANDLE_CSV_COLUMNS.split(',').map((name) => [
  name,
  name === 'complete' ? 'BOOLEAN' : name === 'open_time' || name === 'close_time' || name === 'trades' ? 'BIGINT' : 'DOUBLE',
]);
