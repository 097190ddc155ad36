/**
 * What every delivery channel (Telegram, webhook, dashboard) implements, and how an outbox row's
 * channel string names one: `telegram:<chat id>`, `webhook:<url>`, `dashboard`.
 */
import type { StoredFiring } from '../../store/alert-records.js';
import { BadInputError } from '../../core/errors.js';

/** One message to one target: a stored firing (or a test message shaped like one). */
export interface Notice {
  /** The owner of the firing: a channel sends only where this user may receive. */
  userId: number;
  /** `firing-<id>-<channel>` for an outbox row; webhooks send it as `Idempotency-Key`. */
  idempotencyKey: string;
  firing: StoredFiring;
  /** A "send a test message" notice, not a firing. */
  test: boolean;
}

/**
 * A channel delivers a notice or throws: `RateLimitError` / `UpstreamError` (retry later, the
 * former after its delay), `DeliveryFailedError` (failed for good). Any other error is retried
 * as an unknown outcome.
 */
export interface DeliveryChannel {
  readonly kind: ChannelKind;
  deliver(target: string, notice: Notice, signal: AbortSignal): Promise<void>;
}

export const CHANNEL_KINDS = ['telegram', 'webhook', 'dashboard'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

/** Splits an outbox channel string into its kind and target (the chat id, the URL, or ''). */
export function parseChannel(channel: string): { kind: ChannelKind; target: string } {
  if (channel === 'dashboard') return { kind: 'dashboard', target: '' };
  const colon = channel.indexOf(':');
  const kind = channel.slice(0, colon);
  const target = channel.slice(colon + 1);
  if (colon > 0 && target !== '' && (kind === 'telegram' || kind === 'webhook')) return { kind, target };
  throw new BadInputError(`channel "${channel}" is not telegram:<chat id>, webhook:<url> or dashboard`);
}
