/**
 * `tickerflow signals <exchange>:<symbol>`: prints the stored liquidity windows of a market
 * (table `signals`, filled by the stream processors), read a day of windows at a time so any range
 * runs in bounded memory.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from '../../core/errors.js';
import { formatMarketRef, parseMarketRef, type MarketRef } from '../../core/market-events.js';
import type { SignalStore } from '../../store/signal-records.js';
import { runningUp, withContext } from '../context.js';
import { finishSink } from '../export-target.js';
import { signalFormatter, SIGNAL_FORMATS, type SignalFormat } from '../format-signals.js';
import { timeArg } from '../options.js';
import { streamSink, type OutputSink } from '../output-sink.js';

const DAY_MS = 86_400_000;

interface SignalsOptions {
  from?: number;
  to?: number;
  window: number;
  format: SignalFormat;
}

function marketArg(value: string): MarketRef {
  try {
    return parseMarketRef(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message);
  }
}

/** `60s`, `10s` or a number of milliseconds. */
export function windowArg(value: string): number {
  const m = /^(\d+)(s|ms)?$/.exec(value);
  const ms = m === null ? Number.NaN : Number(m[1]) * (m[2] === 's' ? 1000 : 1);
  if (!(ms > 0)) throw new InvalidArgumentError(`window "${value}" is not a length such as 60s or 60000 (ms)`);
  return ms;
}

/** Writes the formatted windows of [from, to) to `out`, one day of windows per read; stops quietly when the reader goes away. */
export async function writeSignals(store: SignalStore, ref: MarketRef, windowMs: number, from: number, to: number, format: SignalFormat, out: OutputSink): Promise<void> {
  const f = signalFormatter(format);
  if (!(await out.write(f.begin()))) return;
  for (let at = from; at < to; at += DAY_MS) {
    const windows = await store.readSignals(ref.exchange, ref.symbol, windowMs, at, Math.min(at + DAY_MS, to));
    if (windows.length > 0 && !(await out.write(f.rows(windows)))) return;
  }
  await out.write(f.end());
}

export function registerSignalsCommand(program: Command): void {
  program
    .command('signals')
    .description('print stored liquidity windows of a market (times UTC; --to is exclusive)')
    .argument('<market>', 'exchange:symbol, e.g. gemini:BTCUSD', marketArg)
    .option('--from <time>', 'first window start, ISO-8601 UTC or epoch ms (default: one day before --to)', timeArg)
    .option('--to <time>', 'end (exclusive), ISO-8601 UTC or epoch ms (default: now)', timeArg)
    .option('-w, --window <length>', 'window length, e.g. 60s or 60000 (ms)', windowArg, 60_000)
    .addOption(new Option('-f, --format <format>', 'output format').choices(SIGNAL_FORMATS).default('csv'))
    .action(async (ref: MarketRef, opts: SignalsOptions, cmd: Command) => {
      const to = opts.to ?? Date.now();
      const from = opts.from ?? to - DAY_MS;
      if (from >= to) throw new ConfigError(`--from must be before --to`);
      if (runningUp(cmd) !== null) {
        throw new ConfigError(`signals of ${formatMarketRef(ref)} cannot be read while \`up\` holds the store: its API has no signals route yet`);
      }
      const out = streamSink(process.stdout);
      await withContext(cmd, ({ store }) => writeSignals(store, ref, opts.window, from, to, opts.format, out));
      await finishSink(out);
    });
}
