/**
 * grammY's errors as tickerflow's, by what the outbox does next, with the bot token removed:
 * grammY keeps the failed fetch's error (whose text has the request URL, token included) on
 * `HttpError.error`, so only the rewritten message travels on, never the original as a cause.
 *
 * @see https://grammy.dev/guide/errors
 */
import { GrammyError, HttpError } from 'grammy';
import { DeliveryFailedError, RateLimitError, UpstreamError } from '../../../core/errors.js';

/** `text` with every occurrence of the token (and of its secret half) replaced. */
export function redactToken(text: string, token: string): string {
  if (token === '') return text;
  const secretHalf = token.slice(token.indexOf(':') + 1);
  let out = text.split(token).join('<token>');
  if (secretHalf.length >= 8) out = out.split(secretHalf).join('<token>');
  return out;
}

/** The group moved to a supergroup: send again to `toChatId`. */
export class ChatMigratedError extends Error {
  constructor(readonly toChatId: string) {
    super(`chat migrated to ${toChatId}`);
    this.name = 'ChatMigratedError';
  }
}

/** Maps an error of a Bot API call to a retryable, fatal or migration error. */
export function fromGrammyError(err: unknown, method: string, token: string): Error {
  if (err instanceof GrammyError) {
    const what = redactToken(`Telegram ${method}: ${err.error_code} ${err.description}`, token);
    if (err.parameters.migrate_to_chat_id !== undefined) return new ChatMigratedError(String(err.parameters.migrate_to_chat_id));
    if (err.error_code === 429) return new RateLimitError(429, (err.parameters.retry_after ?? 1) * 1000, `Telegram ${method}`);
    if (err.error_code >= 500) return new UpstreamError(what, err.error_code);
    return new DeliveryFailedError(what);
  }
  if (err instanceof HttpError) {
    // Unknown outcome: Telegram may have sent the message before the connection failed.
    return new UpstreamError(redactToken(`Telegram ${method}: ${err.message}`, token));
  }
  return new UpstreamError(redactToken(`Telegram ${method}: ${err instanceof Error ? err.message : String(err)}`, token));
}
