/**
 * `stream --bus`: the bus a stream process publishes its events on and its processors read them
 * from. `memory` (the default) is the in-process bus; `nats://…` is NATS JetStream, one stream per
 * shard (stream-shard.ts names them) read by a durable consumer, so a restarted process of the same
 * shard takes up the events its predecessor published and did not finish.
 */
import type { Bus, Subscription } from '../bus/bus.js';
import { openBus } from '../bus/open-bus.js';
import { NatsBus } from '../bus/nats/nats-bus.js';
import type { StreamPayload } from '../stream/stream-payload.js';
import { streamBusNames, type StreamShard } from '../stream/stream-shard.js';

/**
 * How long an event the processors took may stay unfinished before JetStream hands it out again:
 * short, so that what a killed process left behind is redelivered before its restarted successor
 * has moved past those minutes (a trade older than a bar already closed is dropped as late).
 */
export const STREAM_CONSUMER_ACK_WAIT_MS = 5_000;

export interface StreamBus {
  bus: Bus<StreamPayload>;
  /** The processors' subscription: a durable consumer on NATS, none (the processors' own) in memory. */
  events: Subscription<StreamPayload> | undefined;
}

export async function openStreamBus(url: string, shard: StreamShard | null, log: (line: string) => void): Promise<StreamBus> {
  if (!/^nats:\/\//i.test(url)) return { bus: await openBus<StreamPayload>(url), events: undefined };
  const names = streamBusNames(shard);
  const bus = await NatsBus.open<StreamPayload>(url, { stream: names.stream, prefix: names.prefix, log });
  const events = bus.subscribeDurable(names.consumer, 'md.>', { ackWaitMs: STREAM_CONSUMER_ACK_WAIT_MS });
  await events.ready;
  if (events.failure !== null) {
    await bus.close();
    throw events.failure;
  }
  log(`stream: bus NATS JetStream stream "${names.stream}"${names.prefix === '' ? '' : ` (subjects under "${names.prefix}.")`}, durable consumer "${names.consumer}"`);
  return { bus, events };
}
