/**
 * Wires the Telegram bot: one grammY `Bot` against `[telegram] api_root` (the real API, or the
 * replay server's local endpoint), grammY's auto-retry for flood control (`retry_after` up to
 * a minute is waited out in place; longer, or 5xx and network errors, go back to the outbox and
 * its back-off), the commands, and long polling for them.
 *
 * @see https://grammy.dev/plugins/auto-retry
 */
import { Bot } from 'grammy';
import { autoRetry } from '@grammyjs/auto-retry';
import type { Logger } from 'pino';
import type { AlertStore } from '../../../store/alert-records.js';
import { TelegramChannel } from './telegram-channel.js';
import { alertCommands, BOT_COMMANDS } from './telegram-commands.js';
import { redactToken } from './telegram-errors.js';

export interface TelegramBotOptions {
  /** From TELEGRAM_BOT_TOKEN only; never logged. */
  token: string;
  apiRoot: string;
  store: AlertStore;
  logger?: Logger;
  now?: () => number;
  /** Longest `retry_after` waited in place, seconds (default 60). */
  maxRetryAfterSeconds?: number;
  /** getUpdates long-poll timeout, seconds (default 30). */
  pollSeconds?: number;
}

export interface TelegramBot {
  bot: Bot;
  channel: TelegramChannel;
  /** Registers the commands and answers them until `signal` aborts. */
  run(signal: AbortSignal): Promise<void>;
}

export function createTelegramBot(opts: TelegramBotOptions): TelegramBot {
  const pollSeconds = opts.pollSeconds ?? 30;
  const bot = new Bot(opts.token, { client: { apiRoot: opts.apiRoot.replace(/\/+$/, ''), timeoutSeconds: pollSeconds + 30 } });
  bot.api.config.use(autoRetry({ maxDelaySeconds: opts.maxRetryAfterSeconds ?? 60, maxRetryAttempts: 3, rethrowInternalServerErrors: true, rethrowHttpErrors: true }));
  bot.use(alertCommands(opts.store, opts.now));
  bot.catch((err) => {
    opts.logger?.error({ update: err.ctx.update.update_id, error: redactToken(err.error instanceof Error ? err.error.message : String(err.error), opts.token) }, 'telegram command failed');
  });
  const channel = new TelegramChannel({ api: bot.api, store: opts.store, token: opts.token, ...(opts.now ? { now: opts.now } : {}) });
  return {
    bot,
    channel,
    async run(signal: AbortSignal): Promise<void> {
      if (signal.aborted) return;
      const stop = (): void => void bot.stop().catch(() => undefined);
      signal.addEventListener('abort', stop, { once: true });
      try {
        await bot.api.setMyCommands([...BOT_COMMANDS]);
        await bot.start({ allowed_updates: ['message', 'callback_query'], timeout: pollSeconds });
      } catch (err) {
        throw new Error(redactToken(`telegram bot stopped: ${err instanceof Error ? err.message : String(err)}`, opts.token));
      } finally {
        signal.removeEventListener('abort', stop);
      }
    },
  };
}
