/**
 * `tickerflow stream`: streams the configured markets live (Binance, Gemini, Bitvavo and BTCTurk websockets → books
 * → bars and liquidity windows in the store, every event in the Parquet lake) until Ctrl-C, and
 * leaves its status beside the lake every few seconds; `tickerflow stream status` prints it.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { Command } from 'commander';
import type { Config } from '../../core/config.js';
import { ConfigError } from '../../core/errors.js';
import { parseMarketRef } from '../../core/market-events.js';
import type { ReplayServer } from '../../replay/index.js';
import { LiveStream, type LiveStreamStatus } from '../../stream/live-stream.js';
import { marketsOfShard, parseStreamShard, shardLakeRoot, type StreamShard } from '../../stream/stream-shard.js';
import { liveStreamOptions, streamStatusPath } from '../../stream/live-stream-config.js';
import { globalOptions, refuseWhileUp, withContext } from '../context.js';
import { openStreamBus, type StreamBus } from '../stream-bus.js';
import { redactNatsUrl } from '../../bus/nats/nats-connect.js';
import { loadConfig } from '../load-config.js';
import type { WeightGovernor } from '../../connectors/binance/rate-governor.js';

const STATUS_EVERY_MS = 5_000;

/** What the status file holds: the stream's status and when it was written. */
export interface StreamStatusFile extends LiveStreamStatus {
  pid: number;
  updatedAt: number;
  running: boolean;
}

/** `config` with its stream sources pointed at a replay server's websockets and REST (the demo, `up --replay`). */
export function streamingFromReplay(config: Config, urls: Pick<ReplayServer['urls'], 'binanceWs' | 'binance' | 'geminiWs' | 'bitvavoWs' | 'bitvavo' | 'btcturkWs' | 'btcturk'>): Config {
  return {
    ...config,
    sources: {
      ...config.sources,
      binance_ws: urls.binanceWs.replace(/\/ws$/, ''),
      binance_rest: urls.binance,
      gemini_ws: urls.geminiWs,
      bitvavo_ws: urls.bitvavoWs,
      bitvavo_rest: urls.bitvavo,
      btcturk_ws: urls.btcturkWs,
      btcturk_rest: urls.btcturk,
    },
  };
}

/** Writes the status file whole (temp file, then rename): a reader never sees half of it. */
export function writeStreamStatus(path: string, status: LiveStreamStatus, running: boolean): void {
  const body: StreamStatusFile = { ...status, pid: process.pid, updatedAt: Date.now(), running };
  writeFileSync(`${path}.tmp`, `${JSON.stringify(body)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** The status file as lines of a table, one per book. */
export function formatStreamStatus(s: StreamStatusFile, now: number): string {
  const age = Math.round((now - s.updatedAt) / 1000);
  const state = s.running ? (age <= 30 ? `running (pid ${s.pid}, updated ${age} s ago)` : `not answering (pid ${s.pid}, last update ${age} s ago)`) : `stopped ${age} s ago`;
  const head = ['market', 'synced', 'bids', 'asks', 'gaps', 'resyncs', 'crossed', 'malformed'];
  const rows = s.exchanges.flatMap((x) => x.books.map((b) => [`${x.exchange}:${b.symbol}`, b.synced ? 'yes' : 'no', b.bids, b.asks, b.gaps, b.resyncs, b.crossed, b.malformed].map(String)));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join('  ');
  const feeds = s.exchanges.map((x) => `${x.exchange}: ${x.connections} connection(s), ${x.frames} frames, ${x.malformedFrames} malformed`).join('; ');
  const p = s.processors;
  // Status files written before restarts resumed have no `resume`.
  const r = s.resume as LiveStreamStatus['resume'] | undefined;
  const resumed = r ? [`restart: ${r.backfilledTrades} missed trades fetched by id, ${r.heldTradesDropped} trades dropped as already held${r.unfilledMarkets.length > 0 ? `; outage not filled: ${r.unfilledMarkets.join(', ')}` : ''}`] : [];
  return [
    `stream: ${state}`,
    `events: ${s.events} (last lake sequence ${s.lastSequence}, ${s.lakeFiles} lake files this run); bars ${p.bars}, windows ${p.windows}, refused ${p.rejected}, late trades ${p.lateTrades}`,
    ...resumed,
    feeds,
    line(head),
    ...rows.map(line),
  ].join('\n');
}

function statusLine(s: LiveStreamStatus): string {
  const books = s.exchanges.flatMap((x) => x.books);
  const synced = books.filter((b) => b.synced).length;
  const gaps = books.reduce((n, b) => n + b.gaps, 0);
  return `stream: ${s.events} events, ${synced}/${books.length} books synced, ${gaps} gaps, ${s.processors.bars} bars, ${s.processors.windows} windows, ${s.lakeFiles} lake files`;
}

/**
 * Runs the live stream until `signal` aborts; prints a status line now and then and keeps the
 * status file. `onStart` gets the running stream (the API's `/stream/status`); `binanceGovernor`
 * is the weight budget its Binance depth snapshots spend (the sources' one: shared across
 * processes on PostgreSQL).
 */
export async function runStream(config: Config, store: Parameters<typeof liveStreamOptions>[1], out: (line: string) => void, signal: AbortSignal, markets?: string[], onStart?: (stream: LiveStream) => void, more: { bus?: StreamBus; binanceGovernor?: WeightGovernor } = {}): Promise<LiveStreamStatus> {
  const { bus, binanceGovernor } = more;
  const stream = await LiveStream.start({
    ...liveStreamOptions(config, store, out, markets ? { markets } : {}),
    ...(bus === undefined ? {} : { bus: bus.bus, events: bus.events }),
    ...(binanceGovernor === undefined ? {} : { binanceGovernor }),
  });
  onStart?.(stream);
  const path = streamStatusPath(config);
  let lastPrinted = 0;
  const timer = setInterval(() => {
    const s = stream.status();
    writeStreamStatus(path, s, true);
    if (Date.now() - lastPrinted >= 30_000) {
      out(statusLine(s));
      lastPrinted = Date.now();
    }
  }, STATUS_EVERY_MS);
  const onAbort = (): void => void stream.stop();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    await stream.done;
  } finally {
    clearInterval(timer);
    signal.removeEventListener('abort', onAbort);
    await stream.stop();
    writeStreamStatus(path, stream.status(), false);
  }
  return stream.status();
}

/** The shard's markets as `exchange:symbol` texts; a shard left without any is an error, not an idle process. */
function shardMarkets(all: readonly string[], shard: StreamShard): string[] {
  const mine = marketsOfShard(all.map(parseMarketRef), shard).map((m) => `${m.exchange}:${m.symbol}`);
  if (mine.length === 0) throw new ConfigError(`shard ${shard.index}/${shard.count} has none of the ${all.length} markets (${all.join(', ')}): run fewer stream processes`);
  return mine;
}

export function registerStreamCommand(program: Command): void {
  const cmd = program
    .command('stream')
    .description('stream the [stream] markets live into bars, liquidity windows and the Parquet lake until Ctrl-C')
    .option('-m, --markets <list>', 'comma-separated exchange:symbol markets instead of [stream] markets, e.g. binance:BTCUSDT,gemini:BTCUSD')
    .option('--lake <dir>', 'the Parquet lake folder instead of [stream] lake ("" for none)')
    .option('--shard <i/n>', 'stream only this process\'s share of the markets, one of n processes (each keeps <lake>/shard-i-of-n)')
    .option('--bus <url>', 'the bus between the feeds and the bar and window processors: memory (in process) or nats://host[:port] (NATS JetStream, a stream and durable consumer per shard)', 'memory')
    .action(async (opts: { markets?: string; lake?: string; shard?: string; bus: string }, command: Command) => {
      let markets = opts.markets?.split(',').map((m) => m.trim()).filter(Boolean);
      for (const m of markets ?? []) parseMarketRef(m);
      const shard = opts.shard === undefined ? null : parseStreamShard(opts.shard);
      refuseWhileUp(command, 'set [stream] markets and restart up: it streams them itself');
      await withContext(command, async ({ config, store, sources }) => {
        if (opts.lake !== undefined) config.stream.lake = opts.lake;
        const all = markets ?? config.stream.markets;
        if (all.length === 0) throw new ConfigError('no markets to stream: set [stream] markets in the config or pass --markets binance:BTCUSDT,…');
        if (shard !== null) {
          markets = shardMarkets(all, shard);
          if (config.stream.lake !== '') config.stream.lake = shardLakeRoot(config.stream.lake, shard);
          process.stderr.write(`stream: shard ${shard.index}/${shard.count}: ${markets.join(', ')} (of ${all.length} markets)\n`);
        }
        const abort = new AbortController();
        const stop = (): void => abort.abort();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        const log = (l: string): void => void process.stderr.write(`${l}\n`);
        let bus: StreamBus | undefined;
        try {
          bus = await openStreamBus(opts.bus, shard, log);
          const s = await runStream(config, store, log, abort.signal, markets, undefined, { bus, binanceGovernor: sources().governor });
          process.stderr.write(`${statusLine(s)}\nstream: stopped\n`);
        } finally {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          await bus?.bus.close().catch((err: unknown) => log(`stream: closing the bus ${redactNatsUrl(opts.bus)} failed: ${String(err)}`));
        }
      });
    });
  cmd
    .command('status')
    .description('print the books, gap and resync counters and event counts of the running (or last) stream')
    .option('--lake <dir>', 'the lake folder of the stream to show (default [stream] lake; the demo\'s is ./tickerflow-data/demo-lake)')
    .option('--shard <i/n>', 'the status of stream process i of n (started with --shard i/n)')
    .action((own: { lake?: string; shard?: string }, command: Command) => {
      // `stream` has the same two options, and commander hands them to it when they follow `status`.
      const opts = { ...(command.parent?.opts() as { lake?: string; shard?: string }), ...own };
      const { config } = loadConfig(globalOptions(command));
      if (opts.lake !== undefined) config.stream.lake = opts.lake;
      if (opts.shard !== undefined) config.stream.lake = shardLakeRoot(config.stream.lake || './tickerflow-data/lake', parseStreamShard(opts.shard));
      const path = streamStatusPath(config);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch {
        throw new ConfigError(`no stream status at ${path}: no \`tickerflow stream\` (or \`up\` with [stream] markets) has run with this config`);
      }
      process.stdout.write(`${formatStreamStatus(JSON.parse(text) as StreamStatusFile, Date.now())}\n`);
    });
}
