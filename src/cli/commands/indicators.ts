/**
 * `tickerflow indicators`: computes indicators over stored candles (1m, or aggregated in the
 * database to 5m…1d) and prints them per bar; `sr` also lists the current support/resistance
 * levels. --warmup bars of history before --from are computed over too, so the first printed
 * bars carry values; recursive indicators (EMA, RSI, ATR, TD counts…) still depend on where that
 * history starts, less the longer it is.
 */
import { Command, Option } from 'commander';
import type { CandleColumns } from '../../core/candle.js';
import type { SeriesKey } from '../../core/instrument.js';
import { ConfigError } from '../../core/errors.js';
import { intervalMs, QUERY_INTERVALS, type Interval } from '../../core/intervals.js';
import { computeIndicators, INDICATOR_CATALOG, parseIndicatorSpecs } from '../../indicators/catalog.js';
import type { SrLevel } from '../../indicators/support-resistance.js';
import type { Store } from '../../store/store.js';
import { withContext } from '../context.js';
import { CANDLE_FORMATS, type CandleFormat } from '../format-candles.js';
import { nonNegativeIntArgUpTo, symbolArg, timeArg } from '../options.js';
import { alignedTable, exactColumn, isoMinute, valueColumn } from '../text-table.js';

/** Ten million bars: 19 years of 1m candles. */
const MAX_WARMUP = 10_000_000;

interface IndicatorsOptions {
  interval: Interval;
  from: number;
  to: number;
  ind: string;
  format: CandleFormat;
  warmup: number;
  exchange: string;
}

export function registerIndicatorsCommand(program: Command): void {
  program
    .command('indicators')
    .description('compute indicators over stored candles and print them per bar')
    .argument('<symbol>', 'exchange symbol, e.g. BTCUSDT', symbolArg)
    .addOption(new Option('-i, --interval <interval>', 'candle interval').choices(QUERY_INTERVALS).default('1h'))
    .requiredOption('--from <time>', 'first bar to print, ISO-8601 UTC or epoch ms', timeArg)
    .requiredOption('--to <time>', 'end of the window (exclusive)', timeArg)
    .option('--ind <list>', 'indicators, comma-separated; parameters follow a name after colons, an empty one takes its default (rsi:14,macd:12:26:9,bbands:20::3,td,sr); the list is below', 'rsi:14')
    .addOption(new Option('-f, --format <format>', 'output format (levels are listed in table and json)').choices(CANDLE_FORMATS).default('table'))
    .option('--warmup <bars>', 'bars of history before --from fed to the indicators first (at most 10,000,000)', nonNegativeIntArgUpTo(MAX_WARMUP), 1000)
    .option('--exchange <name>', 'exchange', 'binance')
    .addHelpText('after', `\nIndicators (name:parameters, defaults shown):\n${catalogHelp()}`)
    .action(async (symbol: string, opts: IndicatorsOptions, cmd: Command) => {
      if (opts.to <= opts.from) throw new ConfigError('--to must be after --from');
      const specs = parseIndicatorSpecs(opts.ind);
      await withContext(cmd, async ({ store }) => {
        const start = opts.from - opts.warmup * intervalMs(opts.interval);
        const c =
          opts.interval === '1m'
            ? await store.readCandles({ exchange: opts.exchange, symbol, interval: '1m' }, start, opts.to)
            : await store.aggregateCandles(opts.exchange, symbol, opts.interval, start, opts.to);
        if (c.length === 0) {
          throw new ConfigError(
            `no ${opts.interval} candles of ${symbol} stored from ${isoMinute(start)} (--from less --warmup ${opts.warmup} bars) to ${isoMinute(opts.to)} UTC; run backfill first`,
          );
        }
        const bars = { open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume, openTime: c.openTime };
        const { columns, levels } = computeIndicators(specs, bars);
        let first = 0;
        while (first < c.length && (c.openTime[first] as number) < opts.from) first++;
        process.stdout.write(render(c, first, columns, levels, opts.format));
        const hole = await missingMinutesNote(store, { exchange: opts.exchange, symbol, interval: '1m' }, start, opts.to);
        if (hole !== undefined) process.stderr.write(`${hole}\n`);
      });
    });
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
  const runs = await store.missingRanges(series, lo, hi);
  if (runs.length === 0) return undefined;
  const count = runs.reduce((n, r) => n + r.count, 0);
  const shown = runs
    .slice(0, 3)
    .map((r) => (r.count === 1 ? isoMinute(r.from) : `${isoMinute(r.from)}–${isoMinute(r.to)}`))
    .join(', ');
  return (
    `note: ${count} 1m candle${count === 1 ? '' : 's'} of ${series.symbol} missing in the data read (${shown}${runs.length > 3 ? `, and ${runs.length - 3} more runs` : ''}); ` +
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
  const w0 = Math.max(...rows.map((r) => r[0]!.length));
  const w1 = Math.max(...rows.map((r) => r[1]!.length));
  return rows.map(([a = '', b = '', c = '']) => `  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`).join('\n');
}

function render(c: CandleColumns, first: number, columns: Array<[string, Float64Array]>, levels: SrLevel[] | undefined, format: CandleFormat): string {
  const names = ['open_time', 'close', ...columns.map(([n]) => n)];
  if (format === 'json') {
    const rows = [];
    for (let i = first; i < c.length; i++) {
      const r: Record<string, number | null> = { open_time: c.openTime[i] as number, close: c.close[i] as number };
      for (const [n, v] of columns) r[n] = Number.isNaN(v[i]) ? null : (v[i] as number);
      rows.push(r);
    }
    return `${JSON.stringify(levels === undefined ? { bars: rows } : { bars: rows, levels })}\n`;
  }
  if (format === 'csv') {
    const lines = [names.join(',')];
    for (let i = first; i < c.length; i++) {
      lines.push([c.openTime[i], c.close[i], ...columns.map(([, v]) => (Number.isNaN(v[i]) ? '' : String(v[i])))].join(','));
    }
    return `${lines.join('\n')}\n`;
  }
  const window = (v: ArrayLike<number>): number[] => Array.from({ length: Math.max(0, c.length - first) }, (_, j) => v[first + j] as number);
  const closeCells = exactColumn(window(c.close));
  const valueCells = columns.map(([, v]) => valueColumn(window(v)));
  const rows = closeCells.map((close, j) => [isoMinute(c.openTime[first + j] as number), close, ...valueCells.map((cells) => cells[j] as string)]);
  let text = alignedTable(names, rows);
  // Candles before --from (read as warm-up) but none in the window itself.
  if (rows.length === 0) text += '0 bars in the window\n';
  if (levels !== undefined) {
    text += `\nsupport/resistance levels at ${isoMinute(c.openTime[c.length - 1] as number)} (close ${c.close[c.length - 1]}):\n`;
    const sorted = [...levels].sort((x, y) => y.price - x.price);
    const prices = valueColumn(sorted.map((l) => l.price));
    const levelRows = sorted.map((l, j) => [l.kind, prices[j] as string, String(l.touches), String(l.strength), String(l.breaks), Number.isNaN(l.lastTouchTime) ? '-' : isoMinute(l.lastTouchTime)]);
    text += alignedTable(['kind', 'price', 'touches', 'strength', 'breaks', 'last touch'], levelRows, '  ');
    if (levels.length === 0) text += '  none yet: no swing pivot confirmed so far\n';
  }
  return text;
}
