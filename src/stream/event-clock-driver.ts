/**
 * Feeds market events to the stream processors through the bus and ticks them by the events' own
 * receive clock, so the same event sequence always gives the same bars and signals: live (the
 * events as the feeds deliver them) and in a replay over the lake (the same events read back in
 * arrival order).
 *
 * Why not a wall-clock timer: a tick reads the books of the windows it closes, and which events
 * came before a wall-clock tick depends on timing. Here a tick is taken after the event that moves
 * the receive clock past the next tick boundary (every `tickEveryMs`), once the processors have
 * taken that event (and every one before it) from the bus, and before the next event is published;
 * the tick closes what each market's own event clock has passed (the exchange's time for bars,
 * which a replay server's recorded times and this machine's receive clock never mix).
 */
import type { Bus } from '../bus/bus.js';
import { marketSubject } from '../bus/subjects.js';
import { ConfigError } from '../core/errors.js';
import type { MarketEvent } from '../core/market-events.js';
import type { StreamProcessors } from './stream-processors.js';
import type { StreamPayload } from './stream-payload.js';

export const DEFAULT_TICK_EVERY_MS = 1_000;

export class EventClockDriver {
  #published = 0;
  #nextTick = -Infinity;
  #clock = -Infinity;
  /** Rejects with the processors' failure (a store write that failed); never resolves otherwise. */
  readonly #failed: Promise<never>;

  constructor(
    private readonly bus: Bus<StreamPayload>,
    private readonly processors: StreamProcessors,
    private readonly tickEveryMs = DEFAULT_TICK_EVERY_MS,
  ) {
    if (!(Number.isSafeInteger(tickEveryMs) && tickEveryMs > 0)) throw new ConfigError(`tick interval must be a positive whole number of ms, not ${tickEveryMs}`);
    this.#failed = processors.done.then(() => new Promise<never>(() => undefined));
    this.#failed.catch(() => undefined); // observed by push and finish
  }

  /** Events published so far. */
  get published(): number {
    return this.#published;
  }

  /** The highest receive time seen (-Infinity before the first event). */
  get clock(): number {
    return this.#clock;
  }

  /** Publishes one event; ticks the processors when its receive time crosses a tick boundary. */
  async push(event: MarketEvent): Promise<void> {
    // A publish waits while the processors' buffer is full; if they failed it would wait forever.
    await Promise.race([this.bus.publish(marketSubject(event.kind, event), event), this.#failed]);
    this.#published++;
    if (event.receivedAt > this.#clock) this.#clock = event.receivedAt;
    if (this.#clock >= this.#nextTick) {
      await this.#settle();
      await this.processors.tick();
      this.#nextTick = (Math.floor(this.#clock / this.tickEveryMs) + 1) * this.tickEveryMs;
    }
  }

  /** Stops the processors after every published event and takes one last tick at `now`. */
  async finish(now: number): Promise<void> {
    await this.processors.stop();
    await this.processors.tick(now);
  }

  /** Waits until the processors have taken every published event from the bus. */
  async #settle(): Promise<void> {
    while (this.processors.counts.events < this.#published) {
      await Promise.race([this.#failed, new Promise<void>((resolve) => setImmediate(resolve))]);
    }
  }
}
