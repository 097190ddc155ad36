/**
 * `tickerflow stream --shard i/n`: n stream processes share the markets, each taking the ones
 * whose FNV-1a hash of `exchange:symbol` is i - 1 modulo n. The hash depends on the market alone,
 * so every process computes the same split from the same list without talking to the others,
 * and a market added to the list never moves the ones already placed unless n changes. Each shard
 * keeps its own lake folder and status file (a lake's sequence numbers are one process's).
 */
import { BadInputError } from '../core/errors.js';
import { formatMarketRef, type MarketRef } from '../core/market-events.js';

export interface StreamShard {
  /** 1-based, as written: `--shard 2/3` is index 2 of count 3. */
  index: number;
  count: number;
}

/** `"2/3"` → { index: 2, count: 3 }; anything else is refused, naming what was wrong. */
export function parseStreamShard(text: string): StreamShard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) throw new BadInputError(`--shard "${text}": expected i/n, e.g. 1/2 (the first of two stream processes)`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || count > 1024) throw new BadInputError(`--shard "${text}": n must be between 1 and 1024, got ${count}`);
  if (index < 1 || index > count) throw new BadInputError(`--shard "${text}": i must be between 1 and ${count}, got ${index}`);
  return { index, count };
}

/** FNV-1a (32 bit) of the market's `exchange:symbol` text, as UTF-8 bytes. */
export function marketHash(ref: MarketRef): number {
  let h = 0x811c9dc5;
  for (const byte of Buffer.from(formatMarketRef(ref), 'utf8')) {
    h ^= byte;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** The markets of `shard`, in the list's order. */
export function marketsOfShard<M extends MarketRef>(markets: readonly M[], shard: StreamShard): M[] {
  return markets.filter((m) => marketHash(m) % shard.count === shard.index - 1);
}

/** The shard's own lake folder under the configured one: `<lake>/shard-2-of-3`. */
export function shardLakeRoot(lake: string, shard: StreamShard): string {
  return `${lake.replace(/\/+$/, '')}/shard-${shard.index}-of-${shard.count}`;
}

/** What a stream process uses on a NATS JetStream bus (`stream --bus nats://…`). */
export interface StreamBusNames {
  /** The JetStream stream, one per shard: `tickerflow-stream`, `tickerflow-stream-2-of-3`. */
  stream: string;
  /** Put before every bus subject on the wire, so the shards' streams hold disjoint subjects: `''`, `shard-2-of-3`. */
  prefix: string;
  /** The processors' durable consumer (`md.>` of its shard's stream), resumed by a restarted process of the same shard. */
  consumer: string;
}

/**
 * A shard's own stream and subject prefix: each process publishes and consumes only its own
 * markets' events, so two shards never process each other's, and nats-server 2.9 (one filter
 * subject per consumer) needs no per-market consumers for it.
 */
export function streamBusNames(shard: StreamShard | null): StreamBusNames {
  if (shard === null) return { stream: 'tickerflow-stream', prefix: '', consumer: 'stream-processors' };
  const tag = `shard-${shard.index}-of-${shard.count}`;
  return { stream: `tickerflow-stream-${shard.index}-of-${shard.count}`, prefix: tag, consumer: 'stream-processors' };
}
