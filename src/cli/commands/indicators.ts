/**
 * `tickerflow indicators`: computes indicators over stored candles (1m, or aggregated in the
 * database to 5m…1d) and prints them per bar; `sr` also lists the current support/resistance
 * levels. --warmup bars of history before --from are computed over too, so the first printed
 * bars carry values; recursive indicators (EMA, RSI, ATR, TD counts…) still depend on where that
 * history starts, less the longer it is. Bars are read, computed (through the indicators' streaming
 * forms) and written chunk by chunk, so any window runs in bounded memory. While `up` holds the
 * DuckDB file the bars come through its candles API (streamed, with their completeness), and the
 * same loop computes and prints them: the output is the same bytes.
 */
import { Command, Option } from 'commander';
import type { SeriesKey } from '../../core/instrument.js';
import { ConfigError } from '../../core/errors.js';
import { DAY_MS, intervalMs, MINUTE_MS, QUERY_INTERVALS, type Interval } from '../../core/intervals.js';
import { STREAM_EXCHANGES } from '../../core/market-events.js';
import { INDICATOR_CATALOG, parseIndicatorSpecs } from '../../indicators/catalog.js';
import type { MissingRange, Store } from '../../store/store.js';
import { runningUp, withContext } from '../context.js';
import type { RemoteApi } from '../remote-api.js';
import { finishSink, openSink, tableDecimals } from '../export-target.js';
import type { OutputSink } from '../output-sink.js';
import type { ParquetType } from '../parquet-sink.js';
import { EXPORT_FORMATS, type FileFormat } from '../format-candles.js';
import { streamIndicators, writeIndicators, type IndicatorChunk } from '../indicator-export.js';
import { IndicatorStreams } from '../indicator-streams.js';
import { barWindow, nonNegativeIntArgUpTo, symbolArg, timeArg, TIME_DEFAULTS_HELP } from '../options.js';
import { isoMinute } from '../text-table.js';

/** The missing-minutes note reads the store 30 days at a time. */
const NOTE_SPAN_MS = 30 * DAY_MS;

/** Ten million bars: 19 years of 1m candles. */
const MAX_WARMUP = 10_000_000;

interface IndicatorsOptions {
  interval: Interval;
  from?: number;
  to?: number;
  ind: string;
  format: FileFormat;
  output?: string;
  warmup: number;
  exchange: string;
}

export function registerIndicatorsCommand(program: Command): void {
  program
    .command('indicators')
    .description('compute indicators over stored candles and print them per bar')
    .argument('<symbol>', 'exchange symbol, e.g. BTCUSDT', symbolArg)
    .addOption(new Option('-i, --interval <interval>', 'candle interval').choices(QUERY_INTERVALS).default('1h'))
    .option('--from <time>', 'first bar to print, ISO-8601 UTC or epoch ms (default: one day before --to at 1m, 500 bars at other intervals)', timeArg)
    .option('--to <time>', 'end of the window (exclusive) (default: now)', timeArg)
    .option('--ind <list>', 'indicators, comma-separated; parameters follow a name after colons, an empty one takes its default (rsi:14,macd:12:26:9,bbands:20::3,td,sr); the list is below', 'rsi:14')
    .addOption(new Option('-f, --format <format>', 'output format (levels are listed in table and json; parquet needs --output)').choices(EXPORT_FORMATS).default('table'))
    .option('-o, --output <file>', 'write to FILE instead of stdout; it appears only once complete')
    .option('--warmup <bars>', 'bars of history before --from fed to the indicators first (at most 10,000,000)', nonNegativeIntArgUpTo(MAX_WARMUP), 1000)
    .addOption(new Option('--exchange <name>', 'exchange: binance, or a streamed one (gemini, bitvavo, btcturk) for its 1m stream bars').choices(STREAM_EXCHANGES).default('binance'))
    .addHelpText('after', `\nTimes: ${TIME_DEFAULTS_HELP}. Each bar ends with whether it is complete (see candles --help).\n\nIndicators (name:parameters, defaults shown):\n${catalogHelp()}`)
    .action(async (symbol: string, opts: IndicatorsOptions, cmd: Command) => {
      const now = Date.now();
      const window = barWindow(opts.interval, opts.from, opts.to, now);
      if (opts.format === 'parquet' && opts.output === undefined) throw new ConfigError('--format parquet writes a file: give --output FILE');
      const specs = parseIndicatorSpecs(opts.ind);
      // Built before anything is read or written: a clash of two specs is refused up front.
      const streams = new IndicatorStreams(specs);
      const start = window.from - opts.warmup * intervalMs(opts.interval);
      const remote = runningUp(cmd);
      if (remote !== null) {
        await finishSink(await remoteIndicators(remote, symbol, opts, streams, start, window));
        return;
      }
      const sink = await withContext(cmd, async ({ store }) => {
        const closeDecimals = opts.format === 'table' ? (await tableDecimals(store, opts.exchange, symbol)).price : undefined;
        const out = openSink(opts.format, opts.output, parquetColumns(streams));
        try {
          const read = await streamIndicators(store, { exchange: opts.exchange, symbol, interval: opts.interval, from: start, to: window.to }, window.from, streams, {
            format: opts.format === 'parquet' ? 'csv' : opts.format,
            closeDecimals,
            sink: out,
            now,
          });
          if (read === 0) throw noCandles(symbol, opts, start, window.to);
        } catch (err) {
          await out.discard();
          throw err;
        }
        const hole = await missingMinutesNote(store, { exchange: opts.exchange, symbol, interval: '1m' }, start, window.to);
        if (hole !== undefined) process.stderr.write(`${hole}\n`);
        return out;
      });
      await finishSink(sink);
    });
}

/** The Parquet file's columns: open time, close, one per indicator output, complete. */
function parquetColumns(streams: IndicatorStreams): ReadonlyArray<readonly [string, ParquetType]> {
  return [['open_time', 'BIGINT'], ['close', 'DOUBLE'], ...streams.names.map((n) => [n, 'DOUBLE'] as const), ['complete', 'BOOLEAN']];
}

function noCandles(symbol: string, opts: IndicatorsOptions, start: number, to: number): ConfigError {
  return new ConfigError(`no ${opts.interval} candles of ${symbol} stored from ${isoMinute(start)} (--from less --warmup ${opts.warmup} bars) to ${isoMinute(to)} UTC; run backfill first`);
}

/**
 * The bars through the running `up`'s candles API (CSV with every column and `complete`), fed
 * through the same loop as a local read. The missing-minutes note is a local read's only.
 */
async function remoteIndicators(remote: RemoteApi, symbol: string, opts: IndicatorsOptions, streams: IndicatorStreams, start: number, window: { from: number; to: number }): Promise<OutputSink> {
  const { decimals, chunks } = await remote.candles({ symbol, interval: opts.interval, from: start, to: window.to, exchange: opts.exchange });
  const out = openSink(opts.format, opts.output, parquetColumns(streams));
  async function* bars(): AsyncGenerator<IndicatorChunk> {
    for await (const { candles, complete } of chunks) yield { candles, complete: async (first) => complete.subarray(first) };
  }
  try {
    const read = await writeIndicators(bars(), window.from, streams, {
      format: opts.format === 'parquet' ? 'csv' : opts.format,
      closeDecimals: opts.format === 'table' ? decimals.price : undefined,
      sink: out,
    });
    if (read === 0) throw noCandles(symbol, opts, start, window.to);
  } catch (err) {
    await out.discard();
    throw err;
  }
  return out;
}

/**
 * Says so when 1m candles are missing between the first and last stored minute of the window read:
 * the bars over them (an aggregated bar, or the 1m sequence itself) were computed from the minutes
 * present, which the indicators cannot tell from a quiet market. Undefined when none are missing.
 */
async function missingMinutesNote(store: Store, series: SeriesKey, from: number, to: number): Promise<string | undefined> {
  const stats = await store.seriesStats(series);
  if (stats === null) return undefined;
  const lo = Math.max(from, stats.first);
  const hi = Math.min(to, stats.last + 60_000);
  if (hi <= lo) return undefined;
  // Asked a month at a time: one query over years of 1m made the database sort every row at once
  // (the export's peak memory). Runs that meet at a month's edge are joined back together.
  const shown: MissingRange[] = [];
  let count = 0;
  let runs = 0;
  let open: MissingRange | undefined;
  const done = (r: MissingRange): void => {
    runs++;
    if (shown.length < 3) shown.push(r);
  };
  for (let a = lo; a < hi; a += NOTE_SPAN_MS) {
    for (const r of await store.missingRanges(series, a, Math.min(hi, a + NOTE_SPAN_MS))) {
      count += r.count;
      if (open !== undefined && open.to + MINUTE_MS === r.from) open = { from: open.from, to: r.to, count: open.count + r.count };
      else {
        if (open !== undefined) done(open);
        open = r;
      }
    }
  }
  if (open !== undefined) done(open);
  if (runs === 0) return undefined;
  const text = shown.map((r) => (r.count === 1 ? isoMinute(r.from) : `${isoMinute(r.from)}–${isoMinute(r.to)}`)).join(', ');
  return (
    `note: ${count} 1m candle${count === 1 ? '' : 's'} of ${series.symbol} missing in the data read (${text}${runs > 3 ? `, and ${runs - 3} more runs` : ''}); ` +
    `bars over them are built from the minutes present. \`tickerflow gaps ${series.symbol}\` classifies and repairs them.`
  );
}

/** One line per catalog entry: `macd:12:26:9  fast:slow:signal  MACD line, signal, histogram`. */
function catalogHelp(): string {
  const rows = Object.entries(INDICATOR_CATALOG).map(([name, e]) => [
    [name, ...e.params.map((p) => p.default)].join(':'),
    e.params.map((p) => p.name).join(':'),
    e.description,
  ]);
  let w0 = 0;
  let w1 = 0;
  for (const [a = '', b = ''] of rows) {
    w0 = Math.max(w0, a.length);
    w1 = Math.max(w1, b.length);
  }
  return rows.map(([a = '', b = '', c = '']) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`).join('\n');
}
