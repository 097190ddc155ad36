/**
 * The webhook channel: POSTs a firing as JSON to the rule's URL, signed (`X-Tickerflow-Signature`,
 * see webhook-signature.ts) and with `Idempotency-Key` = the outbox row's key, so a receiver can
 * drop the repeat that at-least-once delivery may send. 2xx is delivered; a redirect (not
 * followed) and 4xx other than 408 and 429 are failed for good (the receiver refused this body); 408, 429 (after its Retry-After), 5xx,
 * a timeout and a network error are retried by the outbox.
 */
import { DeliveryFailedError, RateLimitError, UpstreamError } from '../../core/errors.js';
import { parseRetryAfter } from '../../connectors/http/retry-after.js';
import type { DeliveryChannel, Notice } from './delivery-channel.js';
import { signBody, webhookSecret } from './webhook-signature.js';

export interface WebhookChannelOptions {
  /** The server's webhook key (from the environment); each user's URL gets its own secret from it. */
  serverKey: string;
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => number;
}

/** The JSON a webhook receives. */
export function webhookBody(notice: Notice): string {
  const f = notice.firing;
  return JSON.stringify({
    type: notice.test ? 'test' : 'firing',
    idempotencyKey: notice.idempotencyKey,
    firing: { id: f.id, ruleId: f.ruleId, exchange: f.exchange, symbol: f.symbol, interval: f.interval, barOpenTime: f.barOpenTime, firedAt: f.firedAt, incomplete: f.incomplete, message: f.message, inputs: f.inputs },
  });
}

/** The URL without query or credentials, for error messages (a query may carry the receiver's token). */
function shown(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

export class WebhookChannel implements DeliveryChannel {
  readonly kind = 'webhook' as const;
  readonly #opts: Required<Omit<WebhookChannelOptions, 'fetch'>> & { fetch: typeof fetch };

  constructor(opts: WebhookChannelOptions) {
    this.#opts = { timeoutMs: 10_000, fetch: globalThis.fetch, now: Date.now, ...opts };
  }

  async deliver(target: string, notice: Notice, signal: AbortSignal): Promise<void> {
    let url: URL;
    try {
      url = new URL(target);
    } catch {
      throw new DeliveryFailedError(`webhook URL "${target}" is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new DeliveryFailedError(`webhook URL must be http(s), not ${url.protocol}`);
    // Saved before rules refused them: a URL with credentials can never be fetched; failed for good, never echoed.
    if (url.username !== '' || url.password !== '') throw new DeliveryFailedError(`webhook ${shown(url)}: a URL with a user or password cannot be called (put the receiver's token in its path or query instead)`);
    const body = webhookBody(notice);
    const secret = webhookSecret(this.#opts.serverKey, notice.userId, target);
    let res: Response;
    try {
      res = await this.#opts.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': notice.idempotencyKey, 'x-tickerflow-signature': signBody(secret, body), 'user-agent': 'tickerflow-webhook' },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([signal, AbortSignal.timeout(this.#opts.timeoutMs)]),
      });
      // The body is not read beyond this: a receiver's answer carries nothing we use.
      await res.body?.cancel();
    } catch (err) {
      const why = err instanceof Error && err.name === 'TimeoutError' ? `no answer in ${this.#opts.timeoutMs} ms` : err instanceof Error ? err.message : String(err);
      // fetch's own message may quote the whole URL, query included: only its shown form is kept.
      throw new UpstreamError(`webhook ${shown(url)}: ${why.replaceAll(target, shown(url)).replaceAll(url.href, shown(url))}`);
    }
    if (res.status >= 200 && res.status < 300) return;
    // Not followed: a signed POST replayed to wherever a redirect points is not what the user set up.
    if (res.status >= 300 && res.status < 400) throw new DeliveryFailedError(`webhook ${shown(url)} answered a redirect (HTTP ${res.status}); set the final URL`);
    if (res.status === 429) throw new RateLimitError(429, parseRetryAfter(res.headers.get('retry-after'), this.#opts.now()) ?? 0, shown(url));
    if (res.status >= 400 && res.status < 500 && res.status !== 408) throw new DeliveryFailedError(`webhook ${shown(url)} refused the call: HTTP ${res.status}`);
    throw new UpstreamError(`webhook ${shown(url)}: HTTP ${res.status}`, res.status);
  }
}
