/**
 * The NATS JetStream bus's publish rate against a bare publisher on the official client (issue 18
 * "Speed", goal ≥ 0.7×), on the same server and the same payloads: `NatsBus.publish` against
 * `js.publish` of the same JSON bytes, both keeping `window` publishes in flight (the client
 * pipelines them, their acks come back batched). Each run publishes into a stream of its own (file
 * storage, deleted afterwards); the two alternate (which goes first too), `rounds` rounds, each one's best round and the
 * median of the per-round ratios reported. Beside them, the bus with each publish awaited (one at
 * a time, as `stream --bus` publishes), for scale.
 */
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { NatsBus, jsonCodec } from '../../src/bus/nats/nats-bus.js';
import type { MarketEvent } from '../../src/core/market-events.js';
import { SYMBOLS, trade } from '../stream/bus-throughput.js';
import { median } from './report.js';

const WINDOW = 256;

export interface NatsPublishFigures {
  events: number;
  window: number;
  rounds: number;
  /** Bytes of one event as JSON. */
  eventBytes: number;
  /** Best round, events/s. */
  bus: number;
  bare: number;
  /** Median of the per-round bus/bare ratios. */
  busVsBare: number;
  /** `NatsBus.publish` awaited one at a time, best round, events/s (over `awaitedEvents`). */
  busAwaited: number;
  awaitedEvents: number;
}

/** Publishes `n` events keeping at most `window` publishes in flight; the seconds it took. */
async function publishAll(n: number, publish: (i: number) => Promise<unknown>, window: number): Promise<number> {
  const t0 = performance.now();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < n; i++) {
    const p = publish(i);
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= window) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return (performance.now() - t0) / 1000;
}

export async function measureNatsPublish(options: { natsUrl: string; events: number; rounds: number; log: (line: string) => void }): Promise<NatsPublishFigures> {
  const { natsUrl, events: n, rounds, log } = options;
  const events = Array.from({ length: 4096 }, (_, i) => trade(i));
  const codec = jsonCodec<MarketEvent>();
  const awaitedEvents = Math.max(1, Math.round(n / 10));
  const run = `bench_pub_${process.pid}`;
  const nc = await connect({ servers: natsUrl });
  const jsm = await jetstreamManager(nc);
  const js = jetstream(nc);
  const made: string[] = [];
  let bus = 0;
  let bare = 0;
  let busAwaited = 0;
  const ratios: number[] = [];
  try {
    for (let r = 0; r < rounds; r++) {
      const runBus = async (): Promise<[number, number]> => {
        const name = `${run}_bus_${r}`;
        const natsBus = await NatsBus.open<MarketEvent>(natsUrl, { stream: name, prefix: name, maxBytes: 512 * 1024 ** 2, maxAgeMs: 600_000 });
        made.push(name);
        try {
          const windowed = await publishAll(n, (i) => natsBus.publish(`md.trade.binance.${SYMBOLS[i % 4]}`, events[i & 4095] as MarketEvent), WINDOW);
          const awaited = await publishAll(awaitedEvents, (i) => natsBus.publish(`md.trade.binance.${SYMBOLS[i % 4]}`, events[i & 4095] as MarketEvent), 1);
          return [windowed, awaited];
        } finally {
          await natsBus.close();
        }
      };
      const runBare = async (): Promise<number> => {
        const bareName = `${run}_bare_${r}`;
        await jsm.streams.add({ name: bareName, subjects: [`${bareName}.>`], max_bytes: 512 * 1024 ** 2 });
        made.push(bareName);
        return publishAll(n, (i) => js.publish(`${bareName}.md.trade.binance.${SYMBOLS[i % 4]}`, codec.encode(events[i & 4095] as MarketEvent)), WINDOW);
      };
      // Which goes first alternates between rounds, so neither always meets the other's leftovers.
      let busSeconds: number;
      let awaitedSeconds: number;
      let bareSeconds: number;
      if (r % 2 === 0) {
        [busSeconds, awaitedSeconds] = await runBus();
        bareSeconds = await runBare();
      } else {
        bareSeconds = await runBare();
        [busSeconds, awaitedSeconds] = await runBus();
      }
      bus = Math.max(bus, n / busSeconds);
      bare = Math.max(bare, n / bareSeconds);
      busAwaited = Math.max(busAwaited, awaitedEvents / awaitedSeconds);
      ratios.push(bareSeconds / busSeconds);
      log(`  round ${r + 1}: bus ${Math.round(n / busSeconds)}/s, bare ${Math.round(n / bareSeconds)}/s, bus awaited ${Math.round(awaitedEvents / awaitedSeconds)}/s`);
      for (const s of made.splice(0)) await jsm.streams.delete(s).catch(() => false);
    }
  } finally {
    for (const s of made) await jsm.streams.delete(s).catch(() => false);
    await nc.close();
  }
  return { events: n, window: WINDOW, rounds, eventBytes: codec.encode(events[0] as MarketEvent).length, bus, bare, busVsBare: median(ratios), busAwaited, awaitedEvents };
}
