/**
 * The dashboard channel: an in-process event feed the API's server-sent events route subscribes
 * to, per user. A firing is delivered once it is handed to the feed, whether or not a browser is
 * listening (the history shows it either way); a listener never sees another user's firings.
 */
import type { StoredFiring } from '../../store/alert-records.js';
import type { DeliveryChannel, Notice } from './delivery-channel.js';

export interface DashboardEvent {
  type: 'firing' | 'test';
  firing: StoredFiring;
}

export type DashboardListener = (event: DashboardEvent) => void;

export class DashboardChannel implements DeliveryChannel {
  readonly kind = 'dashboard' as const;
  readonly #listeners = new Map<number, Set<DashboardListener>>();

  /** Calls `listener` with each of the user's firings from now on; returns the unsubscribe. */
  subscribe(userId: number, listener: DashboardListener): () => void {
    let set = this.#listeners.get(userId);
    if (!set) this.#listeners.set(userId, (set = new Set()));
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.#listeners.delete(userId);
    };
  }

  listenerCount(userId: number): number {
    return this.#listeners.get(userId)?.size ?? 0;
  }

  async deliver(_target: string, notice: Notice): Promise<void> {
    const event: DashboardEvent = { type: notice.test ? 'test' : 'firing', firing: notice.firing };
    for (const listener of [...(this.#listeners.get(notice.userId) ?? [])]) {
      // One broken connection's listener must not stop the others or fail the delivery.
      try {
        listener(event);
      } catch {
        /* the SSE route removes its listener when its connection closes */
      }
    }
  }
}
