/**
 * The bus module: the Bus interface, subject names and the backends (memory/, nats/), and the
 * NATS JetStream work queue the pipeline's workers pull from. It carries events and jobs without
 * reading them and knows nothing about exchanges.
 */
export type { Bus, BusMessage, DeliverySemantics, OverflowPolicy, SubscribeOptions, Subscription } from './bus.js';
export { checkToken, derivedSubject, marketPattern, marketSubject, subjectTokens, tokensMatch } from './subjects.js';
export { MemoryBus } from './memory/memory-bus.js';
export { NatsBus, jsonCodec, type NatsBusSettings } from './nats/nats-bus.js';
export type { BusCodec } from './nats/nats-subscription.js';
export { openBus } from './open-bus.js';
export { DEFAULT_WORK_QUEUE, NatsWorkQueue, type ResultFeed, type WorkItem, type WorkQueueSettings } from './nats/nats-work-queue.js';
