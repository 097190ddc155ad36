/**
 * The server's clock as seen from here: the local clock plus an offset learned from the server's
 * own timestamps (a response's `Date` header, or a time endpoint's millisecond value).
 *
 * Whether a candle has closed is the exchange's decision, so it must be judged on the exchange's
 * clock: a machine whose clock runs minutes ahead would otherwise take the forming candle for a
 * closed one and store it for good. The offset kept is a lower bound — the server stamped its time
 * at or before we received the response, and a `Date` header is truncated to the second — so the
 * estimate never runs ahead of the server; at worst a candle is taken for forming a second longer.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#name-date (Date: when the response was generated, 1 s resolution)
 */

export class ServerClock {
  #offsetMs = 0;
  #samples = 0;

  /** @param localNow the local clock, epoch ms (injectable: tests run a clock that is off) */
  constructor(private readonly localNow: () => number = Date.now) {}

  /** The server's present, epoch ms: the local clock plus the learned offset (0 until a sample). */
  now(): number {
    return this.localNow() + this.#offsetMs;
  }

  /** The local clock, for stamping receive times (never corrected). */
  local(): number {
    return this.localNow();
  }

  /** Server minus local, ms, as last learned; 0 before any sample. */
  get offsetMs(): number {
    return this.#offsetMs;
  }

  /** Server timestamps taken so far. */
  get samples(): number {
    return this.#samples;
  }

  /**
   * Learns the offset from one server timestamp `serverMs` (a `Date` header truncated to the
   * second, or a millisecond value) read from a response received at local time `receivedAt`:
   * `serverMs − receivedAt`, a lower bound of the true offset either way. The latest sample wins:
   * an old one says nothing about a local clock that has been stepped since.
   */
  observe(serverMs: number, receivedAt: number): void {
    if (!Number.isFinite(serverMs) || !Number.isFinite(receivedAt)) return;
    this.#offsetMs = serverMs - receivedAt;
    this.#samples++;
  }
}
