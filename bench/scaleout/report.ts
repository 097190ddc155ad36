/**
 * The scale-out section of docs/BENCHMARKS.md (issue 18 "Speed"): pure formatting of the figures
 * bench/scaleout/run.ts measured, and the small helpers the measurements share.
 */
import type { EndToEndFigures, Percentiles } from '../stream/end-to-end.js';
import type { FeedParseCase } from './feed-parse-speed.js';
import type { NatsPublishFigures } from './nats-publish.js';

/** Issue 18's goal for the bus: at least this share of the bare client's publish rate. */
export const PUBLISH_GOAL = 0.7;

/** The backfill times of one loading: `workers` 0 is the in-process backfill (no --bus). */
export interface WorkerRuns {
  workers: number;
  seconds: number[];
}

export interface ScaleOutFigures {
  parse: FeedParseCase[];
  parseRounds: number;
  publish: NatsPublishFigures;
  endToEnd: { memory: EndToEndFigures; nats: EndToEndFigures };
  workers: { size: string; latencyMs: number; rows: number; files: number; runs: WorkerRuns[] };
  /** 1-minute load average when each part started. */
  load: { parse: number; publish: number; endToEnd: number; workers: number };
  quick: boolean;
}

/** The middle value (the mean of the two middle ones for an even count); an error for none. */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Seconds from the `backfill job N done in X s` line a backfill prints; an error naming the output if it has none. */
export function parseDoneSeconds(stdout: string): number {
  const m = /backfill job \S+ done in (\d+(?:\.\d+)?) s/.exec(stdout);
  if (m === null) throw new Error(`the backfill printed no "done in" line: ${stdout.slice(-500)}`);
  return Number(m[1]);
}

const k = (perSecond: number): string => `${Math.round(perSecond / 1000).toLocaleString('en')} k`;
const kk = (perSecond: number): string => `${(perSecond / 1000).toFixed(1)} k`;
const x = (ratio: number): string => `${ratio.toFixed(2)}×`;
const ms = (v: number): string => (v < 10 ? v.toFixed(1) : v.toFixed(0));
const s1 = (v: number): string => v.toFixed(1);
const loading = (workers: number): string => (workers === 0 ? 'in process (`backfill`, no `--bus`)' : `${workers} worker${workers === 1 ? '' : 's'}`);
const latencyRow = (bus: string, what: string, p: Percentiles): string => `| ${bus} | ${what} | ${p.count.toLocaleString('en')} | ${ms(p.p50)} | ${ms(p.p99)} | ${ms(p.max)} |`;

export function scaleOutReport(f: ScaleOutFigures): string {
  const p = f.publish;
  const baseline = f.workers.runs.find((r) => r.workers === 0);
  if (baseline === undefined || baseline.seconds.length === 0) throw new Error('the worker figures have no in-process baseline');
  const base = median(baseline.seconds);
  const { memory, nats } = f.endToEnd;
  const lines = [
    '### Scale-out (issue 18 "Speed")',
    '',
    `Load average (1 min) when each part started: parse ${f.load.parse.toFixed(1)}, publish ${f.load.publish.toFixed(1)}, end to end ${f.load.endToEnd.toFixed(1)}, ` +
      `workers ${f.load.workers.toFixed(1)} — on 2 cores shared with other jobs, so the absolute figures are low and noisy; the ratios are measured side by side in this run.`,
    '',
    `**Bitvavo and BTCTurk parse and normalise, messages/s** (\`bench/scaleout/feed-parse-speed.ts\`). The recordings hold a handful of frames (shared SOURCES §11), ` +
      'so the corpus repeats them; the Bitvavo trade is the documentation\'s example, not a recording. "ceiling" = `JSON.parse` + a plain field map to the same fields, ' +
      'no checks (for Bitvavo it also keeps the nanosecond `timestamp` exact: digits cut from the text, BigInt division); "ours" = `mapBitvavoFrame` / `mapBtcturkFrame` ' +
      `(checked, normalised to \`MarketEvent\`s). Alternating, ${f.parseRounds} rounds after a warm-up: rates are each one's best round, the ratio the median of the per-round ratios.`,
    '',
    '| exchange | frames | count | ceiling /s | ours /s | ours / ceiling |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    ...f.parse.map((c) => `| ${c.exchange} | ${c.messages} | ${c.count.toLocaleString('en')} | ${k(c.ceiling)} | ${k(c.ours)} | ${x(c.oursVsCeiling)} |`),
    '',
    `**NATS JetStream publish rate** (\`bench/scaleout/nats-publish.ts\`): \`NatsBus.publish\` against a bare publisher on the official client (\`js.publish\` of the ` +
      `same JSON bytes, ${p.eventBytes} bytes per trade event) on the same server, each keeping ${p.window} publishes in flight (acks come back batched); ` +
      `${p.events.toLocaleString('en')} events per run, each run into a stream of its own (file storage), the two alternating for ${p.rounds} rounds: best round each, ` +
      'the ratio the median of the per-round ratios.',
    '',
    '| publisher | events/s |',
    '| --- | ---: |',
    `| bare \`js.publish\`, ${p.window} in flight | ${kk(p.bare)} |`,
    `| \`NatsBus.publish\`, ${p.window} in flight | ${kk(p.bus)} |`,
    `| bus / bare (goal ≥ ${PUBLISH_GOAL}×) | ${x(p.busVsBare)} (${p.busVsBare >= PUBLISH_GOAL ? 'met' : 'NOT met'}) |`,
    `| \`NatsBus.publish\` awaited one at a time (as \`stream --bus\` publishes; ${p.awaitedEvents.toLocaleString('en')} events) | ${kk(p.busAwaited)} |`,
    '',
    `**End to end, replay server → bar → NATS → PostgreSQL** (\`bench/stream/end-to-end.ts\`, one process, one clock): the replay server sends the recorded Binance ` +
      `BTCUSDT + ETHUSDT \`@trade\` and \`@depth@100ms\` frames at ${nats.speed}× their pace for ${nats.seconds} s per bus, into the real feed, books and processors, ` +
      'each run writing into a fresh PostgreSQL database. "NATS JetStream" is the path of `stream --bus nats://…`: every event published and stored (ack awaited) ' +
      'and read back through a durable consumer; "in process" the same run on the `MemoryBus`. "trade" = from the server\'s send of a trade frame to the processors ' +
      'done with it; "bar" = from the send of the trade frame that closed a minute to that bar\'s row committed in PostgreSQL (`writeCandles` resolved). ' +
      `Frames sent: in process ${memory.framesSent.toLocaleString('en')} (${memory.malformed} malformed, ${memory.gaps} gaps), NATS ${nats.framesSent.toLocaleString('en')} ` +
      `(${nats.malformed} malformed, ${nats.gaps} gaps). Percentiles are nearest-rank: with fewer than 100 samples, p99 is the largest.`,
    '',
    '| bus | latency | samples | p50 ms | p99 ms | max ms |',
    '| --- | --- | ---: | ---: | ---: | ---: |',
    latencyRow('in process', 'trade frame sent → processors done', memory.trades),
    latencyRow('in process', 'closing trade sent → bar committed', memory.bars),
    latencyRow('in process', '`writeCandles` alone', memory.barWrite),
    latencyRow('NATS JetStream', 'trade frame sent → processors done', nats.trades),
    latencyRow('NATS JetStream', 'closing trade sent → bar committed', nats.bars),
    latencyRow('NATS JetStream', '`writeCandles` alone', nats.barWrite),
    '',
    `**Backfill throughput, 1–3 workers** (\`bench/scaleout/workers.ts\`): a ${f.workers.size} scale archive (${f.workers.files} monthly files, ` +
      `${f.workers.rows.toLocaleString('en')} candles with the REST tail) from \`tickerflow replay-server --speed 0 --scale ${f.workers.size} --latency-ms ${f.workers.latencyMs}\` ` +
      'in its own process; each run into a fresh PostgreSQL database and a fresh work queue, the `tickerflow worker` processes spawned and ready before ' +
      '`tickerflow backfill --bus` queues the files, `[history] backfill_concurrency` 4 in every process; the time is the backfill\'s own `done in` (its start-up ' +
      `excluded). The loadings alternate in each of ${baseline.seconds.length} rounds.`,
    '',
    '| loading | runs (s) | median | candles/s at the median | vs in process |',
    '| --- | --- | ---: | ---: | ---: |',
    ...f.workers.runs.map((r) => {
      const m = median(r.seconds);
      return `| ${loading(r.workers)} | ${r.seconds.map(s1).join(', ')} | ${s1(m)} s | ${k(f.workers.rows / m)} | ${x(base / m)} |`;
    }),
    '',
    'On one machine the workers share its cores, its PostgreSQL and its replay server, and the in-process backfill already overlaps 4 downloads with parsing on ' +
      'worker threads, so more processes mostly add contention here; workers pay off where one machine\'s CPU, network or memory is the limit.',
  ];
  if (f.quick) lines.push('', '_Quick run: fewer parse and publish rounds, a shorter end-to-end run, fewer worker rounds; see `bench/scaleout/run.ts` for both sizes._');
  return lines.join('\n');
}
