/**
 * One subscription of the NATS bus: an ephemeral JetStream pull consumer on the stream, filtered to
 * the pattern, and a pump that moves its events into a bounded local buffer (the memory bus's).
 *
 * Back-pressure: with `overflow: 'wait'` the pump only pulls as many events as the buffer has
 * room for (`capacity` minus what is unread), so a slow reader leaves the rest in the stream and
 * the publisher is never held up. With `drop-oldest` the pump pulls whatever is there and the
 * buffer keeps the newest `capacity`; a read first catches up with the server so "newest" means
 * newest as of the read. An event is acked once it is in the buffer: at-least-once from the
 * server to this process (an event pulled but lost on the way is redelivered and a duplicate of
 * an earlier one is skipped by stream sequence; acks use policy `all`, one per 64 events or
 * per pull batch); what sits in the buffer goes with the process.
 *
 * A durable subscription (a named consumer that outlives the process) acks an event only when
 * the reader asks for the next one, so an event read but not finished when the process dies is
 * delivered again (after the ack wait) to the next holder of the name; its `unsubscribe` acks
 * what was read and hands unread events back at once (nak) instead of yielding them.
 */
import { AckPolicy, DeliverPolicy, type Consumer, type ConsumerMessages, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { BusMessage, OverflowPolicy, Subscription } from '../bus.js';
import { ConfigError, UpstreamError } from '../../core/errors.js';
import { tokensMatch } from '../subjects.js';
import { MemorySubscription } from '../memory/memory-subscription.js';
import type { WireSubjects } from './nats-stream.js';

export interface BusCodec<T> {
  encode(data: T): Uint8Array;
  decode(bytes: Uint8Array): T;
}

export interface NatsSubscriptionDeps<T> {
  js: JetStreamClient;
  jsm: JetStreamManager;
  stream: string;
  wire: WireSubjects;
  codec: BusCodec<T>;
  /** A durable consumer name and its ack wait, or null for an ephemeral consumer. */
  durable: { name: string; ackWaitMs: number } | null;
  log: (line: string) => void;
  onEnd: (sub: NatsSubscription<T>) => void;
}

/** How long an idle pull waits on the server before it is renewed, and how long unsubscribe/close wait to catch up. */
const PULL_EXPIRES_MS = 5_000;
const SETTLE_MS = 2_000;
/** A consumer whose process vanished is removed by the server after this long. */
const INACTIVE_MS = 60_000;
/** Events taken between two acks (ack policy `all`: one ack covers the earlier ones). */
const ACK_EVERY = 64;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** New events only (a fresh subscription), or from a stream sequence on (a consumer made again). */
function startAt(seq: number | null): { deliver_policy: DeliverPolicy; opt_start_seq?: number } {
  return seq === null ? { deliver_policy: DeliverPolicy.New } : { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: seq };
}

export class NatsSubscription<T> implements Subscription<T> {
  readonly #buffer: MemorySubscription<T>;
  readonly #deps: NatsSubscriptionDeps<T>;
  readonly #tokens: readonly string[];
  readonly #filter: { filter: string; exact: boolean };
  /** Resolves once the consumer exists on the server (the bus holds publishes until then). */
  readonly ready: Promise<void>;
  #consumer: Consumer | null = null;
  #consumerName: string | undefined;
  #fetch: ConsumerMessages | null = null;
  #lastSeq = 0;
  #unacked: JsMsg | null = null;
  #sinceAck = 0;
  #offered = 0;
  #read = 0;
  #stopping = false;
  #pumpDone: Promise<void> = Promise.resolve();
  #iterator: AsyncIterator<BusMessage<T>> | null = null;
  #iterated = false;
  #failure: unknown = null;
  #malformed = 0;
  #unsubscribed: Promise<void> | null = null;
  /** Durable only: the events in the buffer, oldest first, and the last one read (acked on the next read). */
  readonly #unreadMsgs: JsMsg[] = [];
  #lastRead: JsMsg | null = null;
  readonly #held = new Set<number>();

  constructor(readonly pattern: string, tokens: readonly string[], readonly capacity: number, readonly overflow: OverflowPolicy, deps: NatsSubscriptionDeps<T>) {
    this.#deps = deps;
    this.#tokens = tokens;
    this.#filter = deps.wire.filterFor(pattern);
    this.#buffer = new MemorySubscription<T>(pattern, tokens, capacity, overflow, () => undefined);
    this.ready = this.#createConsumer(null).then(
      () => { this.#pumpDone = this.#pump(); },
      (err: unknown) => { this.#failure = err; this.#buffer.end(); },
    );
  }

  get dropped(): number {
    return this.#buffer.dropped;
  }

  /** Events on the stream that the codec could not read, skipped. */
  get malformed(): number {
    return this.#malformed;
  }

  /** Why the subscription ended early (consumer could not be created), or null. */
  get failure(): unknown {
    return this.#failure;
  }

  async #createConsumer(startSeq: number | null): Promise<void> {
    const durable = this.#deps.durable;
    if (durable !== null) return this.#bindDurable(durable.name, durable.ackWaitMs, startSeq);
    const ci = await this.#deps.jsm.consumers.add(this.#deps.stream, {
      ack_policy: AckPolicy.All, filter_subject: this.#filter.filter, inactive_threshold: nanos(INACTIVE_MS), ...startAt(startSeq),
    });
    this.#consumerName = ci.name;
    this.#consumer = await this.#deps.js.consumers.get(this.#deps.stream, ci.name);
  }

  /** Binds to the named consumer, creating it (delivering new events) if missing; its filter must match the pattern. */
  async #bindDurable(name: string, ackWaitMs: number, startSeq: number | null): Promise<void> {
    const { jsm, js, stream } = this.#deps;
    const existing = await jsm.consumers.info(stream, name).catch((err: unknown) => {
      if (err instanceof Error && /consumer not found/i.test(err.message)) return null;
      throw err;
    });
    if (existing !== null && existing.config.filter_subject !== this.#filter.filter) {
      throw new ConfigError(`durable bus consumer "${name}" exists for "${existing.config.filter_subject ?? ''}", not "${this.#filter.filter}": pick another name`);
    }
    if (existing === null) {
      await jsm.consumers.add(stream, {
        durable_name: name, ack_policy: AckPolicy.Explicit, filter_subject: this.#filter.filter, ack_wait: nanos(ackWaitMs), ...startAt(startSeq),
      });
    }
    this.#consumerName = name;
    this.#consumer = await js.consumers.get(stream, name);
  }

  get #unread(): number {
    return this.#offered - this.#read;
  }

  async #pump(): Promise<void> {
    while (!this.#stopping) {
      const room = this.overflow === 'wait' ? this.capacity - this.#unread : this.capacity;
      if (room <= 0) {
        await this.#buffer.waitForSpace();
        continue;
      }
      const consumer = this.#consumer;
      if (consumer === null) break;
      try {
        this.#fetch = await consumer.fetch({ max_messages: room, expires: PULL_EXPIRES_MS });
        for await (const m of this.#fetch) this.#take(m);
        this.#ackTaken();
      } catch {
        if (this.#stopping) break;
        // A failed pull (missed heartbeats, server away) is retried; if the server lost the consumer
        // (removed, or idle past its inactivity limit), a new one starts after the last event taken.
        if (await this.#consumerGone()) await this.#createConsumer(this.#lastSeq + 1).catch(() => sleep(1000));
        else await sleep(500);
      } finally {
        this.#fetch = null;
      }
    }
  }

  async #consumerGone(): Promise<boolean> {
    if (this.#consumerName === undefined) return true;
    return this.#deps.jsm.consumers.info(this.#deps.stream, this.#consumerName).then(
      () => false,
      (err: unknown) => err instanceof Error && /consumer not found/i.test(err.message),
    );
  }

  #take(m: JsMsg): void {
    const durable = this.#deps.durable !== null;
    // A redelivery of an event already taken: ephemeral consumers deliver in stream order, while a
    // durable one redelivers what a dead holder left unacked among newer events, so it checks the
    // events it still holds unacked instead.
    if (durable ? this.#held.has(m.seq) : m.seq <= this.#lastSeq) return;
    this.#lastSeq = Math.max(this.#lastSeq, m.seq);
    if (!durable) {
      this.#unacked = m;
      if (++this.#sinceAck >= ACK_EVERY) this.#ackTaken();
    }
    if (this.#stopping) {
      if (durable) m.nak();
      return;
    }
    const subject = this.#deps.wire.fromWire(m.subject);
    if (this.#filter.exact || tokensMatch(this.#tokens, subject.split('.'))) {
      let data: T;
      try {
        data = this.#deps.codec.decode(m.data);
      } catch (err) {
        // Not written by a bus publisher: counted, logged with its raw bytes (truncated), skipped.
        this.#malformed++;
        this.#deps.log(`bus subscription "${this.pattern}": malformed event skipped on "${subject}" (stream seq ${m.seq}): ${err instanceof Error ? err.message : String(err)}; raw: ${m.string().slice(0, 200)}`);
        if (durable) m.ack();
        return;
      }
      if (durable) {
        this.#unreadMsgs.push(m);
        this.#held.add(m.seq);
      }
      if (this.#buffer.offer({ subject, data })) this.#offered++;
    } else if (durable) {
      m.ack(); // explicit acks: an event the pattern does not match is done at once
    }
  }

  #ackLastRead(): void {
    if (this.#lastRead === null) return;
    this.#lastRead.ack();
    this.#held.delete(this.#lastRead.seq);
    this.#lastRead = null;
  }

  /** Ack policy `all`: acking the last event taken acks every earlier one. */
  #ackTaken(): void {
    this.#unacked?.ack();
    this.#unacked = null;
    this.#sinceAck = 0;
  }

  /**
   * Waits until this process holds every event the server had for the consumer when called (or,
   * under `wait`, until the buffer is full), at most `ms`.
   */
  async #settle(ms = SETTLE_MS): Promise<void> {
    await this.ready;
    const until = Date.now() + ms;
    while (this.#consumer !== null && !this.#buffer.ended && Date.now() < until) {
      if (this.overflow === 'wait' && this.#unread >= this.capacity) return;
      this.#ackTaken();
      const info = await this.#consumer.info().catch(() => null);
      if (info === null) return;
      // Everything matching was sent, and what was sent is here: acked, or at least seen by sequence
      // (a filtered consumer's delivered sequence runs ahead over events that do not match).
      if (info.num_pending === 0 && (info.num_ack_pending === 0 || this.#lastSeq >= info.delivered.stream_seq)) return;
      await sleep(2);
    }
  }

  async #next(): Promise<IteratorResult<BusMessage<T>>> {
    const durable = this.#deps.durable !== null;
    if (durable) {
      if (this.#stopping) return { value: undefined, done: true }; // unread events went back to the server
      this.#ackLastRead();
    }
    if (this.overflow === 'drop-oldest' && !this.#buffer.ended) await this.#settle();
    this.#iterator ??= this.#buffer[Symbol.asyncIterator]();
    const r = await this.#iterator.next();
    if (r.done === true && this.#failure !== null) {
      const reason = this.#failure instanceof Error ? this.#failure.message : String(this.#failure);
      throw new UpstreamError(`bus subscription "${this.pattern}": could not start its consumer on stream "${this.#deps.stream}": ${reason}`, undefined, { cause: this.#failure });
    }
    if (r.done !== true) {
      this.#read++;
      if (durable) this.#lastRead = this.#unreadMsgs.shift() ?? null;
    }
    return r;
  }

  /** Takes what the server had for it, stops pulling, ends the buffer and removes an ephemeral consumer. Idempotent. */
  unsubscribe(): Promise<void> {
    return (this.#unsubscribed ??= this.#stop());
  }

  async #stop(): Promise<void> {
    const durable = this.#deps.durable !== null;
    await this.ready;
    if (!durable) await this.#settle().catch(() => undefined);
    this.#stopping = true;
    this.#buffer.end();
    this.#fetch?.stop();
    await this.#pumpDone;
    if (durable) {
      this.#ackLastRead();
      for (const m of this.#unreadMsgs.splice(0)) m.nak();
      this.#held.clear();
    } else if (this.#consumerName !== undefined) {
      await this.#deps.jsm.consumers.delete(this.#deps.stream, this.#consumerName).catch(() => false);
    }
    this.#deps.onEnd(this);
  }

  [Symbol.asyncIterator](): AsyncIterator<BusMessage<T>> {
    if (this.#iterated) throw new Error(`subscription "${this.pattern}" is already being iterated; subscribe again for a second reader`);
    this.#iterated = true;
    return {
      next: () => this.#next(),
      return: async () => {
        await this.unsubscribe();
        return { value: undefined, done: true };
      },
    };
  }
}
