/**
 * NATS JetStream bus events/s against the memory bus (issue 18 "Speed"), on the NATS server at
 * TICKERFLOW_TEST_NATS_URL (default nats://127.0.0.1:4222). Each run has its own stream (file
 * storage, deleted afterwards). Rows:
 * - published+delivered: one subscriber `md.trade.>` reading while one publisher publishes,
 *   each publish awaited (`await`) or up to W in flight (`window W`, acks batched by the pipeline);
 * - publish only: the bus against a bare publisher on the official client (`js.publish` with the
 *   same window), the ratio issue 18 asks for (goal ≥ 0.7×);
 * - the bare client end to end (ordered consumer `consume()`), the ceiling for the first rows.
 * Not yet wired into bench/run.ts.
 *
 *   node --import tsx/esm bench/stream/nats-bus-throughput.ts [events]
 */
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Bus } from '../../src/bus/bus.js';
import { MemoryBus } from '../../src/bus/memory/memory-bus.js';
import { NatsBus, jsonCodec } from '../../src/bus/nats/nats-bus.js';
import type { MarketEvent, TradeEvent } from '../../src/core/market-events.js';

const N = Number(process.argv[2] ?? 50_000);
const URL = process.env.TICKERFLOW_TEST_NATS_URL ?? 'nats://127.0.0.1:4222';
const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT', 'BNBUSDT'];
const RUN = `bench_${process.pid}`;
let runs = 0;

function trade(i: number): TradeEvent {
  return { kind: 'trade', exchange: 'binance', symbol: SYMBOLS[i % 4] as string, receivedAt: i, exchangeTime: i, tradeId: String(i), price: 60_000, quantity: 0.01, takerSide: 'buy' };
}
const events = Array.from({ length: 4096 }, (_, i) => trade(i));
const subjects = events.map((e) => `md.trade.binance.${e.symbol}`);

/** Publishes N events keeping at most `window` publishes in flight. */
async function publishAll(publish: (i: number) => Promise<unknown>, window: number): Promise<void> {
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < N; i++) {
    const p = publish(i);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= window) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
}

function rate(label: string, t0: number, count = N): number {
  const s = (performance.now() - t0) / 1000;
  const r = Math.round(count / s);
  console.log(`${label}: ${count} in ${s.toFixed(2)} s = ${r.toLocaleString('en')}/s`);
  return r;
}

async function endToEnd(label: string, bus: Bus<MarketEvent>, window: number): Promise<void> {
  const sub = bus.subscribe('md.trade.>', { capacity: 8192 });
  const reader = (async () => {
    let n = 0;
    for await (const m of sub) if (m.data.kind === 'trade' && ++n === N) break;
    return n;
  })();
  reader.catch(() => undefined); // awaited below; this keeps an early failure from skipping the cleanup
  const t0 = performance.now();
  await publishAll((i) => bus.publish(subjects[i & 4095] as string, events[i & 4095] as MarketEvent), window);
  const got = await reader;
  if (got !== N) throw new Error(`${label}: delivered ${got} of ${N}`);
  rate(`${label} published+delivered`, t0);
}

async function natsBus(): Promise<NatsBus<MarketEvent>> {
  const name = `${RUN}_${runs++}`;
  return NatsBus.open<MarketEvent>(URL, { stream: name, prefix: name, maxBytes: 512 * 1024 ** 2, maxAgeMs: 600_000 });
}

const nc = await connect({ servers: URL });
const jsm = await jetstreamManager(nc);
const made: string[] = [];
try {
  const mem = new MemoryBus<MarketEvent>();
  await endToEnd('memory bus, await each', mem, 1);
  await mem.close();
  for (const window of [1, 256]) {
    const bus = await natsBus();
    made.push(bus.stream);
    await endToEnd(`nats bus, ${window === 1 ? 'await each' : `window ${window}`}`, bus, window);
    await bus.close();
  }
  // Publish only, side by side: the bus against the bare client on the same server and payloads.
  const bus = await natsBus();
  made.push(bus.stream);
  let t0 = performance.now();
  await publishAll((i) => bus.publish(subjects[i & 4095] as string, events[i & 4095] as MarketEvent), 256);
  const busRate = rate('nats bus publish only, window 256', t0);
  await bus.close();
  const bare = `${RUN}_bare`;
  made.push(bare);
  await jsm.streams.add({ name: bare, subjects: [`${bare}.>`], max_bytes: 512 * 1024 ** 2 });
  const js = jetstream(nc);
  const codec = jsonCodec<MarketEvent>();
  t0 = performance.now();
  await publishAll((i) => js.publish(`${bare}.md.trade.binance.${SYMBOLS[i % 4]}`, codec.encode(events[i & 4095] as MarketEvent)), 256);
  const bareRate = rate('bare js.publish, window 256', t0);
  console.log(`bus / bare publish rate: ${(busRate / bareRate).toFixed(2)}x (goal >= 0.7x)`);
  // End to end on the bare client: an ordered consumer's consume() reading while js.publish runs.
  await jsm.streams.purge(bare);
  const reader = (async () => {
    const messages = await (await js.consumers.get(bare)).consume({ max_messages: 8192 });
    let n = 0;
    for await (const m of messages) {
      codec.decode(m.data);
      if (++n === N) break;
    }
    return n;
  })();
  reader.catch(() => undefined);
  await new Promise((r) => setTimeout(r, 200)); // let the ordered consumer start before publishing
  t0 = performance.now();
  await publishAll((i) => js.publish(`${bare}.md.trade.binance.${SYMBOLS[i % 4]}`, codec.encode(events[i & 4095] as MarketEvent)), 256);
  await reader;
  rate('bare js.publish window 256 + ordered consume(), published+delivered', t0);
} finally {
  for (const s of made) await jsm.streams.delete(s).catch(() => false);
  await nc.close();
}
