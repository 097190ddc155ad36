/**
 * Telegram's sending limits, kept on our side so messages are spaced instead of refused: about
 * one message per second in a chat, at most 20 a minute in a group, about 30 a second overall.
 * `reserve` is pure bookkeeping over a clock, so the spacing is tested without waiting.
 *
 * @see https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
 */

export interface ChatRateLimits {
  perChatGapMs: number;
  groupPerMinute: number;
  globalPerSecond: number;
}

export const TELEGRAM_LIMITS: ChatRateLimits = { perChatGapMs: 1000, groupPerMinute: 20, globalPerSecond: 30 };

/** Group and supergroup chat ids are negative; users' are positive. */
function isGroup(chatId: string): boolean {
  return chatId.startsWith('-');
}

export class ChatRateLimit {
  readonly #lastByChat = new Map<string, number>();
  /** Until when a chat's 429 (its retry_after) holds every send to it. */
  readonly #pausedUntil = new Map<string, number>();
  /** Send times in the last minute per group, and in the last second overall (ascending). */
  readonly #groupSends = new Map<string, number[]>();
  #globalSends: number[] = [];

  constructor(private readonly limits: ChatRateLimits = TELEGRAM_LIMITS) {}

  /** A 429 for `chatId`: no send to it before `until` (Telegram's retry_after applies to the chat). */
  pause(chatId: string, until: number): void {
    this.#pausedUntil.set(chatId, Math.max(until, this.#pausedUntil.get(chatId) ?? 0));
  }

  /** When the chat's pause ends, or 0 when it has none. */
  pausedUntil(chatId: string): number {
    return this.#pausedUntil.get(chatId) ?? 0;
  }

  /** Books the earliest send time at or after `now` that keeps every limit, and returns it. */
  reserve(chatId: string, now: number): number {
    let at = Math.max(now, this.pausedUntil(chatId));
    const last = this.#lastByChat.get(chatId);
    if (last !== undefined) at = Math.max(at, last + this.limits.perChatGapMs);
    const group = isGroup(chatId) ? (this.#groupSends.get(chatId) ?? []) : undefined;
    for (;;) {
      const before = at;
      if (group) {
        const inWindow = group.filter((t) => t > at - 60_000);
        if (inWindow.length >= this.limits.groupPerMinute) at = Math.max(at, (inWindow[inWindow.length - this.limits.groupPerMinute] as number) + 60_000);
      }
      const inSecond = this.#globalSends.filter((t) => t > at - 1000);
      if (inSecond.length >= this.limits.globalPerSecond) at = Math.max(at, (inSecond[inSecond.length - this.limits.globalPerSecond] as number) + 1000);
      if (at === before) break;
    }
    this.#lastByChat.set(chatId, at);
    if (group) this.#groupSends.set(chatId, [...group.filter((t) => t > at - 60_000), at].sort((a, b) => a - b));
    this.#globalSends = [...this.#globalSends.filter((t) => t > at - 1000), at].sort((a, b) => a - b);
    return at;
  }
}
