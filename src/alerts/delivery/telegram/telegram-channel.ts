/**
 * The Telegram channel: sends a firing with `sendMessage` in HTML with snooze/mute buttons, only
 * to a chat linked to the firing's owner, spaced by Telegram's per-chat limits. A 429 is waited
 * out by grammY's auto-retry (see create-telegram-bot.ts) up to its cap, then handed to the outbox
 * with its retry_after; a group upgraded to a supergroup is followed: the link and pending rows
 * move to the new id (`AlertStore.migrateChat`) and the message is sent there.
 *
 * Telegram has no idempotency key: an answer lost after Telegram sent the message (a dropped
 * connection, a crash before the outbox commit) makes the outbox send it again.
 *
 * @see https://core.telegram.org/bots/api#sendmessage
 */
import type { Api } from 'grammy';
import type { AlertStore } from '../../../store/alert-records.js';
import { DeliveryFailedError, RateLimitError } from '../../../core/errors.js';
import type { DeliveryChannel, Notice } from '../delivery-channel.js';
import { alertButtons, alertHtml } from './telegram-format.js';
import { ChatMigratedError, fromGrammyError } from './telegram-errors.js';
import { ChatRateLimit } from './chat-rate-limit.js';
import { grammySignal } from './grammy-signal.js';

export interface TelegramChannelOptions {
  api: Api;
  store: Pick<AlertStore, 'chatOwner' | 'migrateChat'>;
  /** Only to redact it from error messages. */
  token: string;
  limits?: ChatRateLimit;
  now?: () => number;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** A chat id as Telegram writes it: an integer, negative for groups. */
const CHAT_ID = /^-?\d{1,20}$/;

export class TelegramChannel implements DeliveryChannel {
  readonly kind = 'telegram' as const;
  readonly #opts: TelegramChannelOptions;
  readonly #limits: ChatRateLimit;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(opts: TelegramChannelOptions) {
    this.#opts = opts;
    this.#limits = opts.limits ?? new ChatRateLimit();
    this.#now = opts.now ?? Date.now;
    this.#sleep = opts.sleep ?? abortableSleep;
  }

  async deliver(target: string, notice: Notice, signal: AbortSignal): Promise<void> {
    if (!CHAT_ID.test(target)) throw new DeliveryFailedError(`telegram chat id "${target}" is not an integer`);
    let chatId = target;
    // One migration per send is what Telegram does; a second would be a loop.
    for (let hop = 0; hop < 2; hop++) {
      const owner = await this.#opts.store.chatOwner(chatId);
      if (owner !== notice.userId) throw new DeliveryFailedError(`telegram chat ${chatId} is not linked to user ${notice.userId}`);
      // A chat Telegram paused (429) takes no send before its retry_after ends: this row is handed
      // back to the outbox for then too, so the chat's messages still arrive in their order.
      const paused = this.#limits.pausedUntil(chatId) - this.#now();
      if (paused > 0) throw new RateLimitError(429, paused, `Telegram sendMessage to chat ${chatId} (paused by an earlier retry_after)`);
      const at = this.#limits.reserve(chatId, this.#now());
      if (at > this.#now()) await this.#sleep(at - this.#now(), signal);
      const markup = alertButtons(notice.firing, notice.test);
      try {
        await this.#opts.api.sendMessage(chatId, alertHtml(notice.firing, notice.test), { parse_mode: 'HTML', link_preview_options: { is_disabled: true }, ...(markup ? { reply_markup: markup } : {}) }, grammySignal(signal));
        return;
      } catch (err) {
        const mapped = fromGrammyError(err, 'sendMessage', this.#opts.token);
        if (mapped instanceof RateLimitError) this.#limits.pause(chatId, this.#now() + mapped.retryAfterMs);
        if (!(mapped instanceof ChatMigratedError) || hop > 0) throw mapped;
        await this.#opts.store.migrateChat(chatId, mapped.toChatId);
        chatId = mapped.toChatId;
      }
    }
  }
}
