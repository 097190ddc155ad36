/**
 * The bus on NATS JetStream (bus.ts states the contract): a publish resolves when the server
 * stored the event (JetStream ack), each subscription is its own ephemeral pull consumer, and
 * delivery is at-least-once. Open it with `NatsBus.open(url, settings)` or `openBus(url)`.
 */
import { jetstream, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { BadInputError, TickerflowError, UpstreamError } from '../../core/errors.js';
import type { Bus, SubscribeOptions } from '../bus.js';
import { checkToken, subjectTokens } from '../subjects.js';
import { DEFAULT_CAPACITY } from '../memory/memory-bus.js';
import { connectJetStream, redactNatsUrl } from './nats-connect.js';
import { DEFAULT_STREAM_SETTINGS, ensureStream, WireSubjects, type NatsStreamSettings } from './nats-stream.js';
import { NatsSubscription, type BusCodec } from './nats-subscription.js';

export interface NatsBusSettings<T> extends Partial<NatsStreamSettings> {
  /** How events become bytes; default JSON (the stream is written only by this bus's publishers). */
  codec?: BusCodec<T>;
  connectTimeoutMs?: number;
  /** A message id per event for the stream's de-duplication window (e.g. a replay republishing); default none. */
  messageId?: (subject: string, data: T) => string | undefined;
  /** Where a skipped malformed event, a lost and a regained connection are reported; default console.warn. */
  log?: (line: string) => void;
  /**
   * A publish that fails because the server is away (timeout, no JetStream responder, connection
   * lost) is retried with backoff until the server is back, at most this many publishes held at
   * once; a publish beyond that waits for room (back-pressure on the publisher). 0 turns retrying
   * off (a failed publish rejects). Default 1000.
   */
  maxHeldPublishes?: number;
  /** Backoff between retries of a held publish, doubling from `baseMs` up to `capMs`; default 250 ms → 5 s. */
  retryBackoff?: { baseMs: number; capMs: number };
}

/** The NATS client's errors that mean "the server is away (for now)", by name through the cause chain. */
const SERVER_AWAY = new Set(['TimeoutError', 'RequestError', 'NoResponders', 'ConnectionError', 'JetStreamNotEnabled']);

export function isNatsServerAway(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (SERVER_AWAY.has(e.name)) return true;
    // JetStream answering "temporarily unavailable" (503) while it starts up again.
    if (e.name === 'JetStreamApiError' && (e as Error & { code?: number }).code === 503) return true;
  }
  return false;
}

export function jsonCodec<T>(): BusCodec<T> {
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  return { encode: (data) => enc.encode(JSON.stringify(data)), decode: (bytes) => JSON.parse(dec.decode(bytes)) as T };
}

export class NatsBus<T> implements Bus<T> {
  readonly delivery = 'at-least-once' as const;
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #settings: NatsStreamSettings;
  readonly #wire: WireSubjects;
  readonly #codec: BusCodec<T>;
  readonly #messageId: NatsBusSettings<T>['messageId'];
  readonly #log: (line: string) => void;
  readonly #subscriptions = new Set<NatsSubscription<T>>();
  /** Consumers being created: a publish made after `subscribe` returned waits for them, so the subscription sees it. */
  readonly #creating = new Set<Promise<void>>();
  #closed: Promise<void> | null = null;
  readonly #maxHeld: number;
  readonly #backoff: { baseMs: number; capMs: number };
  /** Message ids for publishes without a `messageId`: unique per bus, so a retry of a stored event is a duplicate. */
  readonly #idPrefix = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  #idCounter = 0;
  /** Publishes held for a retry (and those queued behind them), oldest first: a newer publish never overtakes one being retried. */
  #held = 0;
  #heldTail: Promise<void> = Promise.resolve();
  #roomWaiters: (() => void)[] = [];
  #away = false;

  private constructor(nc: NatsConnection, jsm: JetStreamManager, settings: NatsStreamSettings, wire: WireSubjects, options: NatsBusSettings<T>) {
    this.#nc = nc;
    this.#jsm = jsm;
    this.#js = jetstream(nc);
    this.#settings = settings;
    this.#wire = wire;
    this.#codec = options.codec ?? jsonCodec<T>();
    this.#messageId = options.messageId;
    this.#log = options.log ?? ((line) => console.warn(line));
    this.#maxHeld = options.maxHeldPublishes ?? 1000;
    this.#backoff = options.retryBackoff ?? { baseMs: 250, capMs: 5_000 };
    void this.#watchConnection().catch(() => undefined); // the status feed ends with the connection
  }

  /** One log line when the connection is lost, one when it is back. */
  async #watchConnection(): Promise<void> {
    for await (const s of this.#nc.status()) {
      if (s.type === 'disconnect' && !this.#away) {
        this.#away = true;
        this.#log(`bus: lost the connection to NATS (stream "${this.#settings.stream}"): reconnecting; publishes are held and retried meanwhile`);
      } else if (s.type === 'reconnect' && this.#away) {
        this.#away = false;
        this.#log(`bus: connection to NATS is back (stream "${this.#settings.stream}")`);
      }
    }
  }

  /** Publishes held for a retry right now (the feeds are held back while this is at the limit). */
  get heldPublishes(): number {
    return this.#held;
  }

  /** Connects, checks JetStream, and creates the stream if it is missing. */
  static async open<T>(url: string, options: NatsBusSettings<T> = {}): Promise<NatsBus<T>> {
    const settings: NatsStreamSettings = { ...DEFAULT_STREAM_SETTINGS, ...withoutUndefined(options) };
    const wire = new WireSubjects(settings.prefix);
    const { nc, jsm } = await connectJetStream(url, options.connectTimeoutMs ?? 5_000);
    try {
      await ensureStream(jsm, settings, wire.streamSubjects);
    } catch (err) {
      await nc.close();
      if (err instanceof TickerflowError) throw err;
      throw new UpstreamError(`NATS at ${redactNatsUrl(url)} refused stream "${settings.stream}": ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
    }
    return new NatsBus<T>(nc, jsm, settings, wire, options);
  }

  get stream(): string {
    return this.#settings.stream;
  }

  publish(subject: string, data: T): Promise<void> {
    if (this.#closed !== null) return Promise.reject(new BadInputError(`bus is closed: cannot publish on "${subject}"`));
    let wire: string;
    try {
      subjectTokens(subject);
      wire = this.#wire.toWire(subject);
    } catch (err) {
      return Promise.reject(err);
    }
    return this.#publish(subject, wire, data);
  }

  async #publish(subject: string, wire: string, data: T): Promise<void> {
    if (this.#creating.size > 0) await Promise.all(this.#creating);
    const bytes = this.#codec.encode(data);
    const msgID = this.#messageId?.(subject, data) ?? (this.#maxHeld > 0 ? `${this.#idPrefix}-${++this.#idCounter}` : undefined);
    // While publishes are held, a new one queues behind them (order per subject is kept).
    if (this.#held > 0) return this.#hold(subject, wire, bytes, msgID, null);
    try {
      await this.#js.publish(wire, bytes, msgID === undefined ? undefined : { msgID });
    } catch (err) {
      if (this.#maxHeld > 0 && this.#closed === null && !this.#nc.isClosed() && isNatsServerAway(err)) return this.#hold(subject, wire, bytes, msgID, err);
      throw this.#notStored(subject, err);
    }
  }

  #notStored(subject: string, err: unknown): UpstreamError {
    return new UpstreamError(`NATS JetStream did not store the event on "${subject}" (stream "${this.#settings.stream}"): ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
  }

  /**
   * Holds a publish and sends it (again) after every publish held before it went through,
   * retrying with backoff while the server is away. The same message id is sent each time, so a
   * first attempt that was stored but not acknowledged makes the retry a duplicate JetStream drops.
   */
  async #hold(subject: string, wire: string, bytes: Uint8Array, msgID: string | undefined, firstError: unknown): Promise<void> {
    while (this.#held >= this.#maxHeld) await new Promise<void>((resolve) => this.#roomWaiters.push(resolve));
    this.#held++;
    const before = this.#heldTail;
    let release!: () => void;
    this.#heldTail = new Promise<void>((resolve) => { release = resolve; });
    try {
      await before;
      let lastError = firstError;
      for (let attempt = 0; ; attempt++) {
        if (lastError !== null) {
          if (this.#closed !== null || this.#nc.isClosed()) throw this.#notStored(subject, lastError);
          await new Promise((resolve) => setTimeout(resolve, Math.min(this.#backoff.capMs, this.#backoff.baseMs * 2 ** Math.min(attempt, 20))));
        }
        try {
          await this.#js.publish(wire, bytes, msgID === undefined ? undefined : { msgID });
          return;
        } catch (err) {
          if (!isNatsServerAway(err)) throw this.#notStored(subject, err);
          lastError = err;
        }
      }
    } finally {
      this.#held--;
      release();
      this.#roomWaiters.shift()?.();
    }
  }

  subscribe(pattern: string, options: SubscribeOptions = {}): NatsSubscription<T> {
    return this.#subscribe(pattern, options, null);
  }

  /**
   * A subscription on a durable consumer `name` that outlives this process: a restarted process
   * subscribing with the same name and pattern continues where the last one acked (see
   * NatsSubscription on when an event counts as acked); only `overflow: 'wait'`.
   */
  subscribeDurable(name: string, pattern: string, options: SubscribeOptions & { ackWaitMs?: number } = {}): NatsSubscription<T> {
    checkToken(name, 'durable consumer name');
    if (options.overflow === 'drop-oldest') throw new BadInputError(`durable bus consumer "${name}": overflow 'drop-oldest' would drop events the consumer is meant to keep`);
    const ackWaitMs = options.ackWaitMs ?? 30_000;
    if (!Number.isInteger(ackWaitMs) || ackWaitMs < 1) throw new BadInputError(`durable bus consumer "${name}": ackWaitMs must be a positive integer, not ${ackWaitMs}`);
    return this.#subscribe(pattern, options, { name, ackWaitMs });
  }

  #subscribe(pattern: string, options: SubscribeOptions, durable: { name: string; ackWaitMs: number } | null): NatsSubscription<T> {
    if (this.#closed !== null) throw new BadInputError(`bus is closed: cannot subscribe to "${pattern}"`);
    const tokens = subjectTokens(pattern, true);
    const capacity = options.capacity ?? DEFAULT_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1) throw new BadInputError(`subscription capacity must be a positive integer, not ${capacity}`);
    const sub = new NatsSubscription<T>(pattern, tokens, capacity, options.overflow ?? 'wait', {
      js: this.#js, jsm: this.#jsm, stream: this.#settings.stream, wire: this.#wire, codec: this.#codec, durable, log: this.#log,
      onEnd: (s) => this.#subscriptions.delete(s),
    });
    this.#subscriptions.add(sub);
    const ready = sub.ready;
    this.#creating.add(ready);
    void ready.finally(() => this.#creating.delete(ready));
    return sub;
  }

  /** Ends every subscription after it took what the server had for it, then drains the connection. Idempotent. */
  close(): Promise<void> {
    return (this.#closed ??= this.#close());
  }

  async #close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.unsubscribe()));
    // Drain lets in-flight publishes and acks finish; a server that is away does not hold close up.
    let timer: NodeJS.Timeout | undefined;
    const away = new Promise<void>((resolve) => { timer = setTimeout(resolve, 5_000); });
    await Promise.race([this.#nc.drain().catch(() => undefined), away]);
    clearTimeout(timer);
    if (!this.#nc.isClosed()) await this.#nc.close();
  }
}

function withoutUndefined<T>(o: NatsBusSettings<T>): Partial<NatsStreamSettings> {
  const out: Partial<NatsStreamSettings> = {};
  if (o.stream !== undefined) out.stream = o.stream;
  if (o.prefix !== undefined) out.prefix = o.prefix;
  if (o.maxAgeMs !== undefined) out.maxAgeMs = o.maxAgeMs;
  if (o.maxBytes !== undefined) out.maxBytes = o.maxBytes;
  if (o.duplicateWindowMs !== undefined) out.duplicateWindowMs = o.duplicateWindowMs;
  if (o.storage !== undefined) out.storage = o.storage;
  return out;
}
