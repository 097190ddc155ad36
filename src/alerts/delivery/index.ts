// delivery: sends stored firings to Telegram, webhooks and the dashboard at least once (the outbox worker), answers the bot's commands, and sends test messages; Telegram's wire knowledge stays in telegram/.
export { createDelivery, type Delivery, type DeliveryOptions } from './create-delivery.js';
export { OutboxWorker, DEFAULT_CLAIM_LEASE_MS, DEFAULT_RETRY, retryDelayMs, type OutboxStore, type OutboxWorkerOptions, type RetryPolicy } from './outbox-worker.js';
export { parseChannel, CHANNEL_KINDS, type ChannelKind, type DeliveryChannel, type Notice } from './delivery-channel.js';
export { DashboardChannel, type DashboardEvent, type DashboardListener } from './dashboard-channel.js';
export { WebhookChannel, webhookBody, type WebhookChannelOptions } from './webhook-channel.js';
export { webhookSecret, signBody, verifySignature, SIGNATURE_HEADER } from './webhook-signature.js';
export { sendTestMessages, type TestResult } from './send-test.js';
export { createTelegramBot, type TelegramBot, type TelegramBotOptions } from './telegram/create-telegram-bot.js';
