/**
 * Everything delivery needs in one process: the dashboard feed (always), webhooks (when a server
 * key is set), Telegram (when a bot token is set), the outbox worker over them, and the "send a
 * test message" action. cli/ reads the token and key from the environment and passes them here.
 */
import type { Logger } from 'pino';
import type { AlertStore } from '../../store/alert-records.js';
import type { ChannelKind, DeliveryChannel } from './delivery-channel.js';
import { DashboardChannel } from './dashboard-channel.js';
import { WebhookChannel } from './webhook-channel.js';
import { webhookSecret } from './webhook-signature.js';
import { OutboxWorker, type OutboxWorkerOptions } from './outbox-worker.js';
import { createTelegramBot, type TelegramBot } from './telegram/create-telegram-bot.js';
import { sendTestMessages, type TestResult } from './send-test.js';

export interface DeliveryOptions {
  store: AlertStore;
  logger?: Logger;
  now?: () => number;
  /** TELEGRAM_BOT_TOKEN and `[telegram] api_root`; without them no Telegram channel. */
  telegram?: { token: string; apiRoot: string };
  /** The key webhook secrets derive from; without it no webhook channel. */
  webhookKey?: string;
  worker?: Omit<OutboxWorkerOptions, 'channels' | 'logger' | 'now'>;
}

export interface Delivery {
  dashboard: DashboardChannel;
  telegram: TelegramBot | null;
  worker: OutboxWorker;
  channels: ReadonlyMap<ChannelKind, DeliveryChannel>;
  sendTest(userId: number, channels: readonly string[], ruleName?: string): Promise<TestResult>;
  /** The secret the user's webhook at `url` is signed with, for its receiver; null without a webhook key. */
  webhookSecret(userId: number, url: string): string | null;
  /** Runs the outbox worker and the bot's command polling until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
}

export function createDelivery(opts: DeliveryOptions): Delivery {
  const now = opts.now ?? Date.now;
  const dashboard = new DashboardChannel();
  const telegram = opts.telegram ? createTelegramBot({ ...opts.telegram, store: opts.store, now, ...(opts.logger ? { logger: opts.logger } : {}) }) : null;
  const list: DeliveryChannel[] = [dashboard];
  if (opts.webhookKey !== undefined) list.push(new WebhookChannel({ serverKey: opts.webhookKey, now }));
  if (telegram) list.push(telegram.channel);
  const channels = new Map(list.map((c) => [c.kind, c]));
  const worker = new OutboxWorker(opts.store, { ...opts.worker, channels: list, now, ...(opts.logger ? { logger: opts.logger } : {}) });
  return {
    dashboard,
    telegram,
    worker,
    channels,
    webhookSecret: (userId, url) => (opts.webhookKey === undefined ? null : webhookSecret(opts.webhookKey, userId, url)),
    sendTest: (userId, targets, ruleName) => sendTestMessages(channels, userId, targets, { now: now(), ...(ruleName === undefined ? {} : { ruleName }) }),
    async run(signal) {
      const bot = telegram?.run(signal).catch((err: unknown) => opts.logger?.error({ error: err instanceof Error ? err.message : String(err) }, 'telegram commands stopped'));
      await Promise.all([worker.run(signal), bot]);
    },
  };
}
