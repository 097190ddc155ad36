/**
 * The in-process bus: at-most-once (buffers live in memory), one bounded buffer per subscription,
 * back-pressure to the publisher with `overflow: 'wait'` (bus.ts states the contract).
 */
import { BadInputError } from '../../core/errors.js';
import type { Bus, SubscribeOptions, Subscription } from '../bus.js';
import { subjectTokens, tokensMatch } from '../subjects.js';
import { MemorySubscription } from './memory-subscription.js';

export const DEFAULT_CAPACITY = 8192;
const DONE = Promise.resolve();
/** Subjects whose routes are cached; past this the cache starts over (bounded memory). */
const MAX_ROUTES = 65_536;

export class MemoryBus<T> implements Bus<T> {
  readonly delivery = 'at-most-once' as const;
  #subscriptions: MemorySubscription<T>[] = [];
  /** Matching subscriptions per subject seen, dropped whenever the subscriptions change. */
  #routes = new Map<string, MemorySubscription<T>[]>();
  #closed = false;

  publish(subject: string, data: T): Promise<void> {
    if (this.#closed) return Promise.reject(new BadInputError(`bus is closed: cannot publish on "${subject}"`));
    let subs: MemorySubscription<T>[];
    try {
      subs = this.#route(subject);
    } catch (err) {
      return Promise.reject(err);
    }
    const message = { subject, data };
    let pending: MemorySubscription<T>[] | null = null;
    for (const sub of subs) {
      if (!sub.offer(message)) (pending ??= []).push(sub);
    }
    return pending === null ? DONE : this.#deliverWhenFree(pending, message);
  }

  async #deliverWhenFree(subs: MemorySubscription<T>[], message: { subject: string; data: T }): Promise<void> {
    for (const sub of subs) {
      while (!sub.offer(message)) await sub.waitForSpace();
    }
  }

  #route(subject: string): MemorySubscription<T>[] {
    let subs = this.#routes.get(subject);
    if (subs === undefined) {
      const tokens = subjectTokens(subject);
      subs = this.#subscriptions.filter((s) => tokensMatch(s.tokens, tokens));
      if (this.#routes.size >= MAX_ROUTES) this.#routes.clear();
      this.#routes.set(subject, subs);
    }
    return subs;
  }

  subscribe(pattern: string, options: SubscribeOptions = {}): Subscription<T> {
    if (this.#closed) throw new BadInputError(`bus is closed: cannot subscribe to "${pattern}"`);
    const tokens = subjectTokens(pattern, true);
    const capacity = options.capacity ?? DEFAULT_CAPACITY;
    if (!Number.isInteger(capacity) || capacity < 1) throw new BadInputError(`subscription capacity must be a positive integer, not ${capacity}`);
    const sub = new MemorySubscription<T>(pattern, tokens, capacity, options.overflow ?? 'wait', (s) => this.#remove(s));
    this.#subscriptions = [...this.#subscriptions, sub];
    this.#routes.clear();
    return sub;
  }

  #remove(sub: MemorySubscription<T>): void {
    this.#subscriptions = this.#subscriptions.filter((s) => s !== sub);
    this.#routes.clear();
  }

  close(): Promise<void> {
    this.#closed = true;
    for (const sub of this.#subscriptions) sub.end();
    this.#subscriptions = [];
    this.#routes.clear();
    return DONE;
  }
}
