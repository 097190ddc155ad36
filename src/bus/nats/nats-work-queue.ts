/**
 * A work queue on NATS JetStream: a stream with work-queue retention (a job is removed once
 * acked), message-id de-duplication of enqueues, and one durable pull consumer shared by every
 * worker, so each job is in one worker's hands at a time. A job not acked within `ackWaitMs` of
 * its last `working()` is delivered again: that is the lease a worker holds on it. Results go on
 * plain NATS subjects (`<stream>.results.<run>`), outside the stream: whoever waits for them
 * subscribes before enqueueing, and falls back on the store for any it missed.
 */
import { AckPolicy, DiscardPolicy, RetentionPolicy, StorageType, jetstream, type Consumer, type JetStreamClient, type JetStreamManager, type JsMsg } from '@nats-io/jetstream';
import { nanos, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { ConfigError, UpstreamError } from '../../core/errors.js';
import { checkToken } from '../subjects.js';
import { connectJetStream, redactNatsUrl } from './nats-connect.js';

export interface WorkQueueSettings {
  /** Stream name (letters, digits, `-`, `_`); also the first token of its subjects. Default `tickerflow-jobs`. */
  stream: string;
  /** A job not acked or reported `working()` for this long goes to another worker; default 30 s. */
  ackWaitMs: number;
  /** Jobs in workers' hands at once, over all workers; default 64. */
  maxAckPending: number;
  /** Enqueues with the same message id within this window are stored once; default 1 h. */
  duplicateWindowMs: number;
  connectTimeoutMs: number;
}

export const DEFAULT_WORK_QUEUE: WorkQueueSettings = {
  stream: 'tickerflow-jobs', ackWaitMs: 30_000, maxAckPending: 64, duplicateWindowMs: 3_600_000, connectTimeoutMs: 5_000,
};

/** The durable consumer every worker pulls from. */
const CONSUMER = 'workers';

/** One job in a worker's hands. */
export interface WorkItem {
  /** The kind it was enqueued as (the last token of its subject), which says how to read `data`. */
  readonly kind: string;
  readonly data: Uint8Array;
  /** 1 on the first delivery, more after a lease lapsed or a nak. */
  readonly deliveryCount: number;
  /** Renews the lease (resets the ack timer). */
  working(): void;
  /** Removes the job from the queue once the server confirms. */
  ack(): Promise<void>;
  /** Hands the job back for another delivery, after `delayMs`. */
  nak(delayMs?: number): void;
  /** Removes the job without doing it again. */
  term(reason: string): void;
}

/** Results of one run as they arrive; `stop()` ends the iteration. */
export interface ResultFeed extends AsyncIterable<Uint8Array> {
  stop(): void;
}

export class NatsWorkQueue {
  readonly #nc: NatsConnection;
  readonly #js: JetStreamClient;
  /** The workers' consumer; null for a process that only enqueues. */
  readonly #consumer: Consumer | null;
  readonly settings: WorkQueueSettings;

  private constructor(nc: NatsConnection, js: JetStreamClient, consumer: Consumer | null, settings: WorkQueueSettings) {
    this.#nc = nc;
    this.#js = js;
    this.#consumer = consumer;
    this.settings = settings;
  }

  /**
   * Connects and creates the stream if missing. A `worker` also creates the workers' consumer, or
   * updates its lease (`ackWaitMs`) and bound (`maxAckPending`) to these settings; a `producer`
   * only enqueues and leaves the consumer as the workers set it.
   */
  static async open(url: string, role: 'producer' | 'worker', options: Partial<WorkQueueSettings> = {}): Promise<NatsWorkQueue> {
    const s: WorkQueueSettings = { ...DEFAULT_WORK_QUEUE, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    checkToken(s.stream, 'work queue stream name');
    for (const [name, v] of [['ackWaitMs', s.ackWaitMs], ['maxAckPending', s.maxAckPending], ['duplicateWindowMs', s.duplicateWindowMs]] as const) {
      if (!Number.isInteger(v) || v < 1) throw new ConfigError(`work queue ${name} must be a positive integer, not ${v}`);
    }
    const { nc, jsm } = await connectJetStream(url, s.connectTimeoutMs);
    try {
      await ensureStream(jsm, s);
      const js = jetstream(nc);
      if (role === 'producer') return new NatsWorkQueue(nc, js, null, s);
      await ensureConsumer(jsm, s);
      return new NatsWorkQueue(nc, js, await js.consumers.get(s.stream, CONSUMER), s);
    } catch (err) {
      await nc.close();
      if (err instanceof ConfigError) throw err;
      throw new UpstreamError(`NATS at ${redactNatsUrl(url)} refused work queue "${s.stream}": ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
    }
  }

  get ackWaitMs(): number {
    return this.settings.ackWaitMs;
  }

  /** Stores a job of `kind`; a second enqueue of `msgId` within the duplicate window is dropped (resolves false). */
  async enqueue(kind: string, data: Uint8Array, msgId: string): Promise<boolean> {
    checkToken(kind, 'job kind');
    try {
      const ack = await this.#js.publish(`${this.settings.stream}.jobs.${kind}`, data, { msgID: msgId });
      return !ack.duplicate;
    } catch (err) {
      throw new UpstreamError(`NATS did not store job ${msgId} in "${this.settings.stream}": ${err instanceof Error ? err.message : String(err)}`, undefined, { cause: err });
    }
  }

  /** The next job, or null when none came within `expiresMs` (≥ 1 s, the server's minimum that still answers promptly). */
  async next(expiresMs: number): Promise<WorkItem | null> {
    if (this.#consumer === null) throw new ConfigError(`work queue "${this.settings.stream}" was opened to enqueue only`);
    const msg = await this.#consumer.next({ expires: Math.max(1_000, expiresMs) });
    return msg === null ? null : workItem(msg, `${this.settings.stream}.jobs.`);
  }

  /** Sends a result to whoever waits on `run`; flushed, so it has left this process when this resolves. */
  async publishResult(run: string, data: Uint8Array): Promise<void> {
    this.#nc.publish(this.#resultSubject(run), data);
    await this.#nc.flush();
  }

  /**
   * Subscribes to the results of `run`. Results sent earlier are not kept: subscribe before
   * enqueueing the run's jobs on this same queue, whose connection then delivers the subscription
   * to the server before any job, so no worker can report one before it is heard.
   */
  results(run: string): ResultFeed {
    const sub: Subscription = this.#nc.subscribe(this.#resultSubject(run));
    return {
      stop: () => sub.unsubscribe(),
      async *[Symbol.asyncIterator]() {
        for await (const m of sub) yield m.data;
      },
    };
  }

  #resultSubject(run: string): string {
    checkToken(run, 'run id');
    return `${this.settings.stream}.results.${run}`;
  }

  /** Lets acks and results in flight reach the server, then closes. */
  async close(): Promise<void> {
    await this.#nc.drain().catch(() => undefined);
    if (!this.#nc.isClosed()) await this.#nc.close();
  }
}

function workItem(msg: JsMsg, jobsPrefix: string): WorkItem {
  return {
    kind: msg.subject.startsWith(jobsPrefix) ? msg.subject.slice(jobsPrefix.length) : msg.subject,
    data: msg.data,
    deliveryCount: msg.info.deliveryCount,
    working: () => msg.working(),
    ack: async () => {
      await msg.ackAck();
    },
    nak: (delayMs) => msg.nak(delayMs),
    term: (reason) => msg.term(reason),
  };
}

const jobSubjects = (s: WorkQueueSettings): string => `${s.stream}.jobs.>`;

async function ensureStream(jsm: JetStreamManager, s: WorkQueueSettings): Promise<void> {
  const subject = jobSubjects(s);
  const stream = await jsm.streams.info(s.stream).catch((err: unknown) => {
    if (err instanceof Error && /stream not found/i.test(err.message)) return null;
    throw err;
  });
  if (stream === null) {
    await jsm.streams.add({
      name: s.stream, subjects: [subject], retention: RetentionPolicy.Workqueue, discard: DiscardPolicy.Old,
      duplicate_window: nanos(s.duplicateWindowMs), storage: StorageType.File,
    });
  } else if (stream.config.retention !== RetentionPolicy.Workqueue || stream.config.subjects.join() !== subject) {
    throw new ConfigError(`NATS stream "${s.stream}" exists and is not this work queue (retention ${stream.config.retention}, subjects ${stream.config.subjects.join(', ')}): pick another queue name`);
  }
}

async function ensureConsumer(jsm: JetStreamManager, s: WorkQueueSettings): Promise<void> {
  const subject = jobSubjects(s);
  const config = { ack_wait: nanos(s.ackWaitMs), max_ack_pending: s.maxAckPending };
  const existing = await jsm.consumers.info(s.stream, CONSUMER).catch((err: unknown) => {
    if (err instanceof Error && /consumer not found/i.test(err.message)) return null;
    throw err;
  });
  if (existing === null) {
    await jsm.consumers.add(s.stream, { durable_name: CONSUMER, ack_policy: AckPolicy.Explicit, filter_subject: subject, max_deliver: -1, ...config });
  } else if (existing.config.ack_wait !== config.ack_wait || existing.config.max_ack_pending !== config.max_ack_pending) {
    await jsm.consumers.update(s.stream, CONSUMER, config);
  }
}
