/**
 * The bus: publish an event to a subject, subscribe to a subject pattern. The in-process backend
 * (memory/) and NATS JetStream (nats/) implement it and pass the same contract suite
 * (bus.contract.ts).
 *
 * Subjects are dot-separated tokens (`md.trade.binance.BTCUSDT`, see subjects.ts); a pattern may use
 * `*` for exactly one token and `>` as its last token for one or more tokens, as NATS does.
 *
 * What every backend guarantees:
 * - Per subject, a subscriber receives events in the order they were published (publishes to one
 *   subject awaited one after the other); across subjects there is no order.
 * - Every subscription whose pattern matches gets its own copy of the delivery; events are
 *   never edited (STYLE.md habit 8), so subscribers must not edit them either.
 * - A subscription only sees events published after `subscribe` returned.
 * - Delivery semantics are declared by the backend (`delivery`): the memory bus is at-most-once
 *   (what sits in a subscription's buffer is lost with the process, nothing is redelivered);
 *   JetStream is at-least-once (a consumer restarted before acking sees an event again), which
 *   is why consumers key what they write (bars by open time, signals by window start) so a
 *   redelivery or a replay upserts the same row instead of double counting.
 * - Slow consumers: each subscription has a bounded buffer (`capacity`). With `overflow: 'wait'`
 *   (the default) nothing is lost: on the memory bus a publish to a full buffer waits until the
 *   subscriber reads (back-pressure reaches the publisher); a JetStream backend keeps the events
 *   in the stream instead. With `overflow: 'drop-oldest'` (for views that want only the latest)
 *   a full buffer drops its oldest event and counts it in `dropped`; never reordered, never
 *   duplicated: delivered + dropped = published.
 */

export type DeliverySemantics = 'at-most-once' | 'at-least-once';

export type OverflowPolicy = 'wait' | 'drop-oldest';

export interface BusMessage<T> {
  subject: string;
  data: T;
}

export interface SubscribeOptions {
  /** Most events buffered for this subscription before the overflow policy applies (default 8,192). */
  capacity?: number;
  overflow?: OverflowPolicy;
}

/**
 * An async iterable of the matching events. Iterate it once (`for await`); the iteration ends
 * after `unsubscribe()` or the bus's `close()`, once the events already buffered were read.
 * A handler with back-pressure is a `for await` loop that awaits the handler: the next event is
 * taken only when the previous one is done.
 */
export interface Subscription<T> extends AsyncIterable<BusMessage<T>> {
  readonly pattern: string;
  /** Events dropped by `overflow: 'drop-oldest'`; always 0 with `wait`. */
  readonly dropped: number;
  /** Stops delivery; buffered events are still yielded, then the iteration ends. Idempotent. */
  unsubscribe(): Promise<void>;
}

export interface Bus<T> {
  readonly delivery: DeliverySemantics;
  /**
   * Publishes `data` on `subject` (no wildcards; BadInputError otherwise). Resolves when every
   * matching subscription has it buffered (memory) or the server stored it (JetStream).
   * Rejects with BadInputError after `close()`.
   */
  publish(subject: string, data: T): Promise<void>;
  subscribe(pattern: string, options?: SubscribeOptions): Subscription<T>;
  /** Ends every subscription (their buffered events are still yielded) and refuses new publishes. Idempotent. */
  close(): Promise<void>;
}
