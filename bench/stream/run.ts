/**
 * The stream section of `npm run bench` (issue 17 "Speed"), side by side in one run: messages/s
 * parsed and normalised per exchange against ccxt's parser and the bare `JSON.parse` ceiling, the
 * order books, the in-process bus, the processors, the Parquet lake against DuckDB's own COPY and
 * its replay, and the end-to-end latency replay server → bar → store.
 */
import { startReplayServer } from '../../src/replay/index.js';
import { measureLake } from '../../src/store/bench/measure-lake.js';
import { measureBooks } from './books-speed.js';
import { measureBus } from './bus-throughput.js';
import { measureEndToEnd, type Percentiles } from './end-to-end.js';
import { measureParseSpeed, type ParseCase } from './parse-speed.js';
import { measureProcessors } from './processors-throughput.js';

const MB = 1024 * 1024;
/** The goal for our mappers: at least this share of the bare `JSON.parse` + field map rate. */
const PARSE_GOAL = 0.8;

const k = (perSecond: number): string => `${Math.round(perSecond / 1000).toLocaleString('en')} k`;
const x = (ratio: number | null): string => (ratio === null ? '—' : `${ratio.toFixed(2)}×`);
const ms = (v: number): string => (v < 10 ? v.toFixed(1) : v.toFixed(0));

function parseRow(c: ParseCase): string {
  return `| ${c.exchange} | ${c.messages} | ${c.count.toLocaleString('en')} | ${k(c.ceiling)} | ${k(c.ours)} | ${c.ccxt === null ? 'n/a' : k(c.ccxt)} | ` +
    `${x(c.oursVsCeiling)} (${c.oursVsCeiling >= PARSE_GOAL ? 'met' : 'NOT met'}) | ${x(c.ccxtVsCeiling)} | ${x(c.oursVsCcxt)} |`;
}

const latencyRow = (what: string, p: Percentiles): string => `| ${what} | ${p.count.toLocaleString('en')} | ${ms(p.p50)} | ${ms(p.p99)} | ${ms(p.max)} |`;

export async function runStreamBench(options: { log: (line: string) => void; quick?: boolean }): Promise<string> {
  const { log } = options;
  const quick = options.quick === true;
  const rounds = quick ? 9 : 15;

  // Only for ccxt's markets (its REST bodies: Binance exchangeInfo, Gemini symbols); no websocket is opened.
  const server = await startReplayServer();
  let parse: ParseCase[];
  try {
    parse = await measureParseSpeed(server, { rounds, log });
  } finally {
    await server.close();
  }
  log('bench stream: order books');
  const books = measureBooks(quick ? 3 : 9);
  const busEvents = quick ? 200_000 : 1_000_000;
  log(`bench stream: bus, ${busEvents.toLocaleString('en')} events`);
  const bus = await measureBus(busEvents);
  log('bench stream: processors');
  const processors = measureProcessors(quick ? 3 : 10);
  log('bench stream: lake');
  const lake = await measureLake({ runs: quick ? 1 : 3 });
  const e2eOptions = quick ? { speed: 10, seconds: 40 } : { speed: 5, seconds: 130 };
  log(`bench stream: end to end, ${e2eOptions.seconds} s at ${e2eOptions.speed}× the recorded pace`);
  const e2e = await measureEndToEnd({ ...e2eOptions, log });

  const lakeMB = lake.inputBytes / MB;
  const lines = [
    '### Stream (issue 17 "Speed")',
    '',
    `**Parse and normalise, messages/s** (goal: ours ≥ ${PARSE_GOAL}× the ceiling). The recorded captures (\`fixtures/ws/\`: Binance hftbacktest BTCUSDT + ETHUSDT, ` +
      '10.8 min across 2024-08-09 00:00 UTC; Gemini cryptofeed v2 l2, 10 symbols, 2021-06-24). "ceiling" = `JSON.parse` + a plain field map to the same fields, no checks; ' +
      '"ours" = `mapBinanceFrame` / `GeminiFeedPolicy.onFrame` (checked and normalised to `MarketEvent`s); "ccxt" = ccxt 4.5.84 `pro.binance` / `pro.gemini` ' +
      '`parseWsTrade` called as its own `handleTrade` calls it (Binance: `JSON.parse`, market looked up by `s`, `parseWsTrade(data, market)`; Gemini: ' +
      '`parseWsTrade(JSON.parse(text))`), markets loaded through ccxt from the replay server\'s recorded REST bodies. ccxt\'s depth path writes into its client\'s ' +
      'cached books and has no per-message parse to time, so depth frames have no ccxt column. Gemini all frames: a fresh policy per pass of the capture (one ' +
      'connection each), so each symbol\'s first `l2_updates`, the whole book (64 % of the capture\'s bytes), is mapped as a snapshot every pass. ' +
      'The three run round-robin on the same messages, ' +
      `${rounds} rounds after a warm-up: rates are each one's best round, ratios the median of the per-round ratios (the stabler figure on a shared machine).`,
    '',
    '| exchange | messages | count | ceiling /s | ours /s | ccxt /s | ours / ceiling (goal) | ccxt / ceiling | ours / ccxt |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...parse.map(parseRow),
    '',
    `**Order books** (best of rounds): \`OrderBook.applyLevels\` over the ${books.diffs.toLocaleString('en')} BTCUSDT diffs in sequence ` +
      `(${books.levelsPerDiff.toFixed(1)} levels each, book ends ${books.bookDepth.bids} + ${books.bookDepth.asks} levels): ${k(books.diffsPerSecond)} diffs/s = ` +
      `${((books.diffsPerSecond * books.levelsPerDiff) / 1e6).toFixed(1)} M levels/s. \`LiveBooks.onFrame\` end to end (map + depth sync + books + counters), ` +
      `${books.frames.toLocaleString('en')} Binance frames: ${k(books.framesPerSecond)} frames/s.`,
    '',
    `**In-process bus** (\`MemoryBus\`, one publisher awaiting each publish, subscribers reading with \`for await\` at the same time, ${busEvents.toLocaleString('en')} trade events):`,
    '',
    '| subscribers | published /s | deliveries /s |',
    '| --- | ---: | ---: |',
    ...bus.map((b) => `| ${b.label} | ${k(b.published / b.seconds)} | ${k(b.delivered / b.seconds)} |`),
    '',
    '**Processors** (recorded events, in memory, no store): ' + processors.map((p) => `${p.label}: ${k(p.perSecond)}/s`).join('; ') + '.',
    '',
    `**Lake** (\`src/store/bench/measure-lake.ts\`, best of ${quick ? 1 : 3}): the whole Binance capture decoded to ${lake.events.toLocaleString('en')} events ` +
      `(trades, depth deltas, 2 REST snapshots; ${lakeMB.toFixed(1)} MB as JSON lines, the "MB in" of every rate). The lake writer with default settings ` +
      '(validate, buffer, DuckDB appender, `COPY … (FORMAT parquet, COMPRESSION zstd)`, fsync, rename) against DuckDB\'s own `COPY table TO parquet` (zstd) of the ' +
      'same rows already in a DuckDB table, one file per kind (the encode-only ceiling, no partitioning).',
    '',
    '| measure | lake writer | DuckDB COPY | lake / COPY |',
    '| --- | ---: | ---: | ---: |',
    `| events/s | ${k(lake.events / lake.writeSeconds)} | ${k(lake.events / lake.copySeconds)} | ${x(lake.copySeconds / lake.writeSeconds)} |`,
    `| MB/s of JSON in | ${(lakeMB / lake.writeSeconds).toFixed(1)} | ${(lakeMB / lake.copySeconds).toFixed(1)} | ${x(lake.copySeconds / lake.writeSeconds)} |`,
    `| Parquet bytes per event | ${(lake.lakeBytes / lake.events).toFixed(1)} (${lake.lakeFiles} files) | ${(lake.copyBytes / lake.events).toFixed(1)} | ${x(lake.lakeBytes / lake.copyBytes)} |`,
    '',
    `Replay over the lake (\`readLake\`, every kind merged back in \`seq\` order): ${k(lake.events / lake.readSeconds)} events/s.`,
    '',
    `**End to end, replay server → bar → store**, one Node process: the replay server sends the recorded BTCUSDT + ETHUSDT \`@trade\` and \`@depth@100ms\` frames at ` +
      `${e2e.speed}× the recorded pace for ${e2e.seconds} s (${e2e.framesSent.toLocaleString('en')} frames, ${e2e.events.toLocaleString('en')} events processed; ` +
      `${e2e.malformed} malformed, ${e2e.gaps} gaps); the real feed (\`runWsFeed\` + \`binanceWsFeedOptions\`, REST snapshots from the replay) into \`LiveBooks\`, ` +
      'events published on a `MemoryBus`, `StreamProcessors` (1m bars, 10 s liquidity windows over `ProcessorBooks`) writing to a DuckDB file store. ' +
      'All times from `performance.now()` in that process. "trade" = from the server\'s send of a trade frame to the processors being done with that trade ' +
      '(they take the next event only after the previous one\'s writes finished); "bar" = from the send of the trade frame that closed a bar (its market\'s first ' +
      'trade of a later minute; no clock tick closes bars here) to the store\'s `writeCandles` of it having resolved; "bar write" = the `writeCandles` call alone. ' +
      `The server, the client, the processors and DuckDB share one event loop and the shared machine, and ${e2e.speed}× the pace means ${e2e.speed}× the message rate, so these are upper figures.`,
    '',
    '| latency | samples | p50 ms | p99 ms | max ms |',
    '| --- | ---: | ---: | ---: | ---: |',
    latencyRow('trade: server send → processors done', e2e.trades),
    latencyRow('bar: closing trade\'s send → stored', e2e.bars),
    latencyRow('bar write (`writeCandles`)', e2e.barWrite),
    '',
    'Percentiles are nearest-rank: with fewer than 100 samples, p99 is the largest.',
  ];
  if (quick) lines.push('', `_Quick run: ${rounds} parse rounds, ${busEvents.toLocaleString('en')} bus events, lake best of 1, end to end ${e2e.seconds} s at ${e2e.speed}×; without \`--quick\`: 15 rounds, 1,000,000 events, best of 3, 130 s at 5× (the whole capture)._`);
  return lines.join('\n');
}
