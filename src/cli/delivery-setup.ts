/**
 * Builds delivery for a long-running command (`up`) from the config and the environment's
 * secrets: the dashboard feed always; Telegram when TELEGRAM_BOT_TOKEN is set (or, against the
 * replay server, with a local token its endpoint accepts); webhooks when TICKERFLOW_WEBHOOK_KEY
 * is set. Says on the log which channels are off and why, never what a secret is.
 */
import type { Logger } from 'pino';
import type { Config } from '../core/config.js';
import type { Store } from '../store/store.js';
import type { Secrets } from './load-config.js';
import { createDelivery, type Delivery, type OutboxWorkerOptions } from '../alerts/delivery/index.js';
import { pauseBeforeSendFromEnv } from './test-pause.js';

/** Accepted by the replay server's Telegram endpoint (any well-formed token is); not a real bot's. */
export const REPLAY_BOT_TOKEN = '1000000001:replay-local-token';

/** The bot token delivery uses: TELEGRAM_BOT_TOKEN, else the replay's local one against the replay server, else none. */
export function telegramToken(secrets: Secrets, replayTelegramUrl: string | undefined): string | undefined {
  return secrets.telegramBotToken ?? (replayTelegramUrl !== undefined ? REPLAY_BOT_TOKEN : undefined);
}

export function setupDelivery(store: Store, config: Config, secrets: Secrets, logger: Logger, opts: { replayTelegramUrl?: string; now?: () => number; onDelivered?: OutboxWorkerOptions['onDelivered'] } = {}): Delivery {
  const token = telegramToken(secrets, opts.replayTelegramUrl);
  const apiRoot = opts.replayTelegramUrl ?? config.telegram.api_root;
  if (token === undefined) logger.info('telegram alerts off: TELEGRAM_BOT_TOKEN is not set');
  if (secrets.webhookKey === undefined) logger.info('webhook alerts off: TICKERFLOW_WEBHOOK_KEY is not set');
  const beforeDeliver = pauseBeforeSendFromEnv(process.env);
  return createDelivery({
    store,
    logger: logger.child({ component: 'delivery' }),
    ...(opts.now ? { now: opts.now } : {}),
    ...(token !== undefined ? { telegram: { token, apiRoot } } : {}),
    ...(secrets.webhookKey !== undefined ? { webhookKey: secrets.webhookKey } : {}),
    worker: { ...(beforeDeliver ? { beforeDeliver } : {}), ...(opts.onDelivered ? { onDelivered: opts.onDelivered } : {}) },
  });
}
