/**
 * The outbox worker: delivers every pending outbox row at least once. It polls `dueOutbox`,
 * claims the rows it will start (`claimOutbox`: a lease, so a second worker on the same
 * PostgreSQL database never sends them too; a lapsed lease of a dead worker is claimed again),
 * hands each row to its channel without waiting for it (a slow or failing channel never holds
 * up another: at most `perKind` rows of one channel kind and one row per target are in flight),
 * marks a row delivered only after its channel answered, and reschedules a failure with capped
 * exponential back-off and jitter (a `retry_after` is a floor). A row is failed for good only
 * when its channel says so or after `maxAttempts`; it is never dropped.
 *
 * At-least-once window: a crash (or abort) after a channel accepted a row and before
 * `markDelivered` committed leaves the row pending, so it is sent again at the next start.
 * Webhooks carry the idempotency key for the receiver to drop the repeat; Telegram has none.
 */
import type { Logger } from 'pino';
import type { AlertStore, OutboxItem, StoredFiring } from '../../store/alert-records.js';
import { DeliveryFailedError, RateLimitError, TickerflowError } from '../../core/errors.js';
import { backoffMs } from '../../connectors/http/backoff.js';
import { parseChannel, type ChannelKind, type DeliveryChannel } from './delivery-channel.js';

export type OutboxStore = Pick<AlertStore, 'dueOutbox' | 'claimOutbox' | 'releaseOutbox' | 'getFiring' | 'markDelivered' | 'markAttemptFailed'>;

/**
 * How long a claim holds a row: longer than any one send can take (a Telegram 429 waited out in
 * place is up to a minute, a webhook times out after 10 s), so a live worker's row is never
 * claimed by another; a row of a worker that died goes out this long after its claim.
 */
export const DEFAULT_CLAIM_LEASE_MS = 5 * 60_000;

export interface RetryPolicy {
  baseMs: number;
  capMs: number;
  /** Attempts after which a row is failed for good. */
  maxAttempts: number;
}

/** 5 s doubling to an hour: 50 attempts keep a row alive for about two days of outage. */
export const DEFAULT_RETRY: RetryPolicy = { baseMs: 5_000, capMs: 3_600_000, maxAttempts: 50 };

export interface OutboxWorkerOptions {
  channels: readonly DeliveryChannel[];
  logger?: Logger;
  now?: () => number;
  /** Jitter source, [0, 1). */
  random?: () => number;
  pollMs?: number;
  /** Rows read per poll. */
  batch?: number;
  /** Rows of one channel kind in flight at once. */
  perKind?: number;
  retry?: RetryPolicy;
  /** How long a claimed row is this worker's (DEFAULT_CLAIM_LEASE_MS). */
  claimLeaseMs?: number;
  /**
   * Test-only pause point: awaited after a row's firing is read and before its channel is
   * called, so a crash test can kill the process between "stored" and "sent".
   */
  beforeDeliver?: (item: OutboxItem) => Promise<void>;
  /** Called after a row is marked delivered (the demo prints it; an errant callback is ignored). */
  onDelivered?: (item: OutboxItem, firing: StoredFiring) => void;
}

/** Delay before attempt `attempt + 1`: capped doubling with "equal jitter" (half fixed, half random). */
export function retryDelayMs(attempt: number, policy: Pick<RetryPolicy, 'baseMs' | 'capMs'>, random: () => number): number {
  const full = backoffMs(attempt, policy.baseMs, policy.capMs);
  return Math.round(full / 2 + (full / 2) * random());
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

export class OutboxWorker {
  readonly #store: OutboxStore;
  readonly #channels: ReadonlyMap<ChannelKind, DeliveryChannel>;
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #pollMs: number;
  readonly #batch: number;
  readonly #perKind: number;
  readonly #retry: RetryPolicy;
  readonly #claimLeaseMs: number;
  readonly #logger: Logger | undefined;
  readonly #beforeDeliver: ((item: OutboxItem) => Promise<void>) | undefined;
  readonly #onDelivered: ((item: OutboxItem, firing: StoredFiring) => void) | undefined;
  /** Deliveries in flight by outbox id, and the targets and kinds they occupy. */
  readonly #inFlight = new Map<number, Promise<void>>();
  readonly #busyTargets = new Set<string>();
  readonly #busyKinds = new Map<ChannelKind, number>();
  #stop = new AbortController();
  #wake: (() => void) | undefined;

  constructor(store: OutboxStore, opts: OutboxWorkerOptions) {
    this.#store = store;
    this.#channels = new Map(opts.channels.map((c) => [c.kind, c]));
    this.#now = opts.now ?? Date.now;
    this.#random = opts.random ?? Math.random;
    this.#pollMs = opts.pollMs ?? 1000;
    this.#batch = opts.batch ?? 200;
    this.#perKind = opts.perKind ?? 4;
    this.#retry = opts.retry ?? DEFAULT_RETRY;
    this.#claimLeaseMs = opts.claimLeaseMs ?? DEFAULT_CLAIM_LEASE_MS;
    this.#logger = opts.logger;
    this.#beforeDeliver = opts.beforeDeliver;
    this.#onDelivered = opts.onDelivered;
  }

  /** Claims and starts the due rows that no delivery in flight blocks; returns how many it started. */
  async pollOnce(): Promise<number> {
    const due = await this.#store.dueOutbox(this.#now(), this.#batch);
    const picked: OutboxItem[] = [];
    const targets = new Set<string>();
    const kinds = new Map<ChannelKind, number>();
    for (const item of due) {
      if (this.#inFlight.has(item.id) || this.#busyTargets.has(item.channel) || targets.has(item.channel)) continue;
      const kind = this.#kindOf(item.channel);
      if (kind !== null && (this.#busyKinds.get(kind) ?? 0) + (kinds.get(kind) ?? 0) >= this.#perKind) continue;
      picked.push(item);
      targets.add(item.channel);
      if (kind !== null) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    if (picked.length === 0 || this.#stop.signal.aborted) return 0;
    // Another worker may have claimed some of them since the read: only the rows won are started.
    const claimed = await this.#store.claimOutbox(picked.map((o) => o.id), this.#now(), this.#claimLeaseMs);
    for (const item of claimed) this.#start(item);
    return claimed.length;
  }

  #start(item: OutboxItem): void {
    const kind = this.#kindOf(item.channel);
    this.#busyTargets.add(item.channel);
    if (kind !== null) this.#busyKinds.set(kind, (this.#busyKinds.get(kind) ?? 0) + 1);
    const run = this.#deliver(item).finally(() => {
      this.#inFlight.delete(item.id);
      this.#busyTargets.delete(item.channel);
      if (kind !== null) this.#busyKinds.set(kind, (this.#busyKinds.get(kind) ?? 1) - 1);
      this.#wake?.();
    });
    this.#inFlight.set(item.id, run);
  }

  /** Resolves when every delivery in flight has settled. */
  async idle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight.values()]);
  }

  /** Polls now instead of at the next tick (a new firing was recorded). */
  wake(): void {
    this.#wake?.();
  }

  /** Polls until `signal` aborts, then aborts the deliveries in flight and waits for them. */
  async run(signal: AbortSignal): Promise<void> {
    this.#stop = new AbortController();
    const onAbort = (): void => this.#stop.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    if (signal.aborted) this.#stop.abort();
    try {
      while (!this.#stop.signal.aborted) {
        try {
          await this.pollOnce();
        } catch (err) {
          this.#logger?.error({ err: describe(err) }, 'outbox poll failed; retrying at the next tick');
        }
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            this.#stop.signal.removeEventListener('abort', done);
            this.#wake = undefined;
            resolve();
          };
          const timer = setTimeout(done, this.#pollMs);
          this.#wake = done;
          this.#stop.signal.addEventListener('abort', done);
        });
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      await this.idle();
    }
  }

  #kindOf(channel: string): ChannelKind | null {
    try {
      return parseChannel(channel).kind;
    } catch {
      return null;
    }
  }

  async #deliver(item: OutboxItem): Promise<void> {
    try {
      const { kind, target } = parseChannel(item.channel);
      const firing = await this.#store.getFiring(item.firingId);
      if (firing === null) throw new DeliveryFailedError(`firing ${item.firingId} no longer exists`);
      const channel = this.#channels.get(kind);
      if (channel === undefined) throw new TickerflowError('CONFIG', `no ${kind} channel is configured${kind === 'telegram' ? ' (TELEGRAM_BOT_TOKEN is unset)' : ''}`);
      await this.#beforeDeliver?.(item);
      await channel.deliver(target, { userId: item.userId, idempotencyKey: item.idempotencyKey, firing, test: false }, this.#stop.signal);
      await this.#store.markDelivered(item.id, this.#now());
      this.#logger?.info({ outbox: item.id, firing: item.firingId, channel: kind }, 'delivered');
      try {
        this.#onDelivered?.(item, firing);
      } catch {
        /* a watcher's error is not a delivery failure */
      }
    } catch (err) {
      // Stopping mid-send: the row stays pending as it was, its claim given back, and is sent at
      // the next start (or by another worker).
      if (this.#stop.signal.aborted) {
        await this.#store.releaseOutbox(item.id).catch(() => undefined);
        return;
      }
      try {
        await this.#failed(item, err);
      } catch (storeErr) {
        // The row stays pending and due: the next poll tries it again.
        this.#logger?.error({ outbox: item.id, err: describe(storeErr) }, 'could not record a failed delivery');
      }
    }
  }

  async #failed(item: OutboxItem, err: unknown): Promise<void> {
    const attempt = item.attempts + 1;
    const reason = err instanceof TickerflowError && err.code === 'BAD_INPUT' ? new DeliveryFailedError(err.message) : err;
    let next: number | null;
    if (reason instanceof DeliveryFailedError) next = null;
    else if (attempt >= this.#retry.maxAttempts) next = null;
    else {
      const wait = retryDelayMs(attempt, this.#retry, this.#random);
      next = this.#now() + (reason instanceof RateLimitError ? Math.max(wait, reason.retryAfterMs) : wait);
    }
    const text = next === null && !(reason instanceof DeliveryFailedError) ? `gave up after ${attempt} attempts: ${describe(reason)}` : describe(reason);
    this.#logger?.warn({ outbox: item.id, firing: item.firingId, attempt, retryAt: next, error: text }, next === null ? 'delivery failed for good' : 'delivery failed; will retry');
    await this.#store.markAttemptFailed(item.id, text, next);
  }
}
