/**
 * End-to-end latency replay server → bar → store (issue 17 "Speed"), everything in this one Node
 * process: the replay server sends the recorded Binance BTCUSDT + ETHUSDT trade and depth@100ms
 * frames; the real feed (`runWsFeed` + `binanceWsFeedOptions`, REST snapshots from the replay)
 * feeds `LiveBooks`; its events go on a memory bus; `StreamProcessors` build 1m bars and write
 * them, and the 10 s liquidity windows over their own books (`ProcessorBooks`), to a DuckDB store
 * (a file in a temporary folder).
 *
 * Measured with `performance.now()` (one clock, one process):
 * - per trade: from the replay server's `send` of the trade frame to the processors being done
 *   with that trade (they take the next event from the bus only after the previous one's bar and
 *   window writes finished), so the websocket, mapping, books, bus and processors are inside;
 * - per bar: from the send of the trade frame that closed the bar (its market's first trade of a
 *   later minute) to the store's `writeCandles` of that bar having resolved; no clock tick closes
 *   bars here, only trades;
 * - the `writeCandles` call alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bus, BusMessage, SubscribeOptions, Subscription } from '../../src/bus/bus.js';
import { MemoryBus } from '../../src/bus/memory/memory-bus.js';
import { NatsBus } from '../../src/bus/nats/nats-bus.js';
import { STREAM_CONSUMER_ACK_WAIT_MS } from '../../src/cli/stream-bus.js';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { marketSubject } from '../../src/bus/subjects.js';
import { BinanceFeedPolicy } from '../../src/connectors/binance/ws/binance-feed-policy.js';
import { binanceWsFeedOptions, createBinanceSnapshotFetcher } from '../../src/connectors/binance/ws/binance-ws-feed.js';
import { runWsFeed } from '../../src/connectors/ws/ws-feed.js';
import type { MarketEvent } from '../../src/core/market-events.js';
import { startReplayServer } from '../../src/replay/index.js';
import { DuckDbStore } from '../../src/store/duckdb/duckdb-store.js';
import type { Store } from '../../src/store/store.js';
import { LiveBooks } from '../../src/stream/live-books.js';
import { ProcessorBooks } from '../../src/stream/processor-books.js';
import type { StreamPayload } from '../../src/stream/stream-payload.js';
import { StreamProcessors } from '../../src/stream/stream-processors.js';

export interface Percentiles {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface EndToEndFigures {
  speed: number;
  seconds: number;
  framesSent: number;
  events: number;
  trades: Percentiles;
  bars: Percentiles;
  barWrite: Percentiles;
  malformed: number;
  gaps: number;
}

/** Nearest-rank percentiles (p99 of fewer than 100 samples is the max). */
export function percentiles(xs: readonly number[]): Percentiles {
  const s = [...xs].sort((a, b) => a - b);
  const at = (q: number): number => s[Math.max(0, Math.ceil(q * s.length) - 1)] ?? NaN;
  return { count: s.length, p50: at(0.5), p99: at(0.99), max: s.at(-1) ?? NaN };
}

const tradeKey = (symbol: string, id: string): string => `${symbol}:${id}`;

type TimingHooks = { taken: (e: StreamPayload) => void; done: (e: StreamPayload) => void };

/** `sub`, calling `taken` when its reader takes an event and `done` when it asks for the next (= done with the previous). */
export function timedSubscription(sub: Subscription<StreamPayload>, hooks: TimingHooks): Subscription<StreamPayload> {
  return {
    pattern: sub.pattern,
    get dropped() {
      return sub.dropped;
    },
    unsubscribe: () => sub.unsubscribe(),
    [Symbol.asyncIterator](): AsyncIterator<BusMessage<StreamPayload>> {
      const it = sub[Symbol.asyncIterator]();
      let current: StreamPayload | undefined;
      return {
        async next() {
          if (current !== undefined) hooks.done(current);
          const r = await it.next();
          current = r.done === true ? undefined : r.value.data;
          if (current !== undefined) hooks.taken(current);
          return r;
        },
        async return(value?: unknown) {
          await it.return?.(value);
          return { done: true, value: undefined };
        },
      };
    },
  };
}

/** `inner`, its `md.>` subscriptions timed by `timedSubscription`. */
export function timedBus(inner: Bus<StreamPayload>, hooks: TimingHooks): Bus<StreamPayload> {
  return {
    delivery: inner.delivery,
    publish: (subject, data) => inner.publish(subject, data),
    close: () => inner.close(),
    subscribe(pattern: string, options?: SubscribeOptions): Subscription<StreamPayload> {
      const sub = inner.subscribe(pattern, options);
      return pattern === 'md.>' ? timedSubscription(sub, hooks) : sub;
    },
  };
}

export interface EndToEndOptions {
  speed: number;
  seconds: number;
  log: (line: string) => void;
  /**
   * The bus between the feed and the processors: the in-process bus (default), or a NATS
   * JetStream bus read as `stream --bus` reads it, through a durable consumer (its stream is
   * deleted at the end).
   */
  bus?: { natsUrl: string; stream: string };
  /** A PostgreSQL database to write to instead of a DuckDB file in a temporary folder. */
  postgresUrl?: string;
}

async function openBenchBus(o: EndToEndOptions['bus']): Promise<{ bus: Bus<StreamPayload>; events?: Subscription<StreamPayload>; remove: () => Promise<void> }> {
  if (o === undefined) return { bus: new MemoryBus<StreamPayload>(), remove: async () => undefined };
  const bus = await NatsBus.open<StreamPayload>(o.natsUrl, { stream: o.stream });
  const events = bus.subscribeDurable('stream-processors', 'md.>', { ackWaitMs: STREAM_CONSUMER_ACK_WAIT_MS });
  await events.ready;
  return {
    bus,
    events,
    remove: async () => {
      const nc = await connect({ servers: o.natsUrl });
      await jetstreamManager(nc).then((jsm) => jsm.streams.delete(o.stream)).catch(() => false);
      await nc.close();
    },
  };
}

export async function measureEndToEnd(options: EndToEndOptions): Promise<EndToEndFigures> {
  const { speed, seconds, log } = options;
  const sentAt = new Map<string, number>();
  let framesSent = 0;
  const server = await startReplayServer({
    speed,
    ws: {
      preload: true,
      onFrame: (exchange, frame) => {
        if (exchange !== 'binance') return;
        framesSent++;
        if (!frame.stream.endsWith('@trade')) return;
        const t = (JSON.parse(frame.text) as { t: number }).t;
        const key = tradeKey(frame.symbol.toUpperCase(), String(t));
        if (!sentAt.has(key)) sentAt.set(key, performance.now());
      },
    },
  });
  const dir = mkdtempSync(join(tmpdir(), 'tickerflow-e2e-bench-'));
  const store: Store = options.postgresUrl === undefined ? await DuckDbStore.open(join(dir, 'bench.duckdb')) : PostgresStore.open(options.postgresUrl);
  await store.migrate();
  const benchBus = await openBenchBus(options.bus);
  const tradeMs: number[] = [];
  const barMs: number[] = [];
  const writeMs: number[] = [];
  let current: MarketEvent | undefined;
  const sendOf = (e: MarketEvent | undefined): number | undefined => (e?.kind === 'trade' ? sentAt.get(tradeKey(e.symbol, e.tradeId)) : undefined);
  const timedStore: Pick<Store, 'writeCandles' | 'upsertSignals'> = {
    async writeCandles(...args) {
      const closedBy = sendOf(current);
      const t0 = performance.now();
      const n = await store.writeCandles(...args);
      const t1 = performance.now();
      writeMs.push(t1 - t0);
      if (closedBy !== undefined) barMs.push(t1 - closedBy);
      return n;
    },
    upsertSignals: (...args) => store.upsertSignals(...args),
  };
  const hooks: TimingHooks = {
    taken: (e) => {
      current = e.kind === 'bar' || e.kind === 'liquidity' ? undefined : e;
    },
    done: (e) => {
      if (e.kind !== 'trade') return;
      const sent = sentAt.get(tradeKey(e.symbol, e.tradeId));
      if (sent !== undefined) tradeMs.push(performance.now() - sent);
    },
  };
  const bus = timedBus(benchBus.bus, hooks);
  const events = benchBus.events === undefined ? undefined : timedSubscription(benchBus.events, hooks);
  const processors = new StreamProcessors({ bus, events, store: timedStore, books: new ProcessorBooks(), windows: { windowMs: 10_000 } });
  const controller = new AbortController();
  const books = new LiveBooks({ policy: new BinanceFeedPolicy(), fetchSnapshot: createBinanceSnapshotFetcher({ restBaseUrl: server.urls.binance }), log });
  const timer = setTimeout(() => controller.abort(), seconds * 1000);
  try {
    // `urls.binanceWs` is the raw-stream base `…/binance/ws`; the combined streams live at `…/binance/stream`.
    const feed = runWsFeed(binanceWsFeedOptions({ wsBaseUrl: server.urls.binanceWs.replace(/\/ws$/, ''), symbols: ['BTCUSDT', 'ETHUSDT'], kinds: ['trade', 'depth@100ms'], signal: controller.signal }));
    for await (const e of books.run(feed)) await bus.publish(marketSubject(e.kind, e), e);
    await processors.stop();
    const status = books.status();
    if (barMs.length === 0) throw new Error(`end to end: no bar was written in ${seconds} s (${tradeMs.length} trades measured)`);
    return {
      speed, seconds, framesSent,
      events: processors.counts.events,
      trades: percentiles(tradeMs),
      bars: percentiles(barMs),
      barWrite: percentiles(writeMs),
      malformed: status.malformedFrames,
      gaps: status.books.reduce((n, b) => n + b.gaps, 0),
    };
  } finally {
    clearTimeout(timer);
    controller.abort();
    await benchBus.bus.close();
    await benchBus.remove();
    await store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
