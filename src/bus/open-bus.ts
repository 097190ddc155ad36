/** The `--bus` setting: `memory` for the in-process bus, `nats://…` for NATS JetStream. */
import { ConfigError } from '../core/errors.js';
import type { Bus } from './bus.js';
import { MemoryBus } from './memory/memory-bus.js';
import { NatsBus, type NatsBusSettings } from './nats/nats-bus.js';
import { redactNatsUrl } from './nats/nats-connect.js';

export async function openBus<T>(url: string, natsSettings: NatsBusSettings<T> = {}): Promise<Bus<T>> {
  if (url === 'memory') return new MemoryBus<T>();
  if (/^nats:\/\//i.test(url)) return NatsBus.open<T>(url, natsSettings);
  throw new ConfigError(`bus "${redactNatsUrl(url)}" is neither "memory" nor nats://host[:port]`);
}
