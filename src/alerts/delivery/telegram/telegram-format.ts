/**
 * How an alert reads in Telegram: HTML parse mode (Markdown loses messages on `_` and `.`, common
 * in symbols and prices), every text value escaped, and two buttons under it whose
 * callback_data (≤ 64 bytes) names the action and the rule.
 *
 * @see https://core.telegram.org/bots/api#html-style
 * @see https://core.telegram.org/bots/api#inlinekeyboardbutton
 */
import type { InlineKeyboardMarkup } from '@grammyjs/types';
import type { StoredFiring } from '../../../store/alert-records.js';
import { isoMinute } from '../../../core/time.js';

export const SNOOZE_MINUTES = 60;

/** Escapes the three characters Telegram's HTML reads as markup. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The message text of a firing (or a test message) in Telegram HTML. */
export function alertHtml(firing: StoredFiring, test: boolean): string {
  const head = test ? '🧪 <b>Test message</b>' : `🔔 <b>${escapeHtml(firing.symbol)}</b> · ${escapeHtml(firing.interval)}`;
  const lines = [head, escapeHtml(firing.message)];
  if (!test) lines.push(`<i>bar ${escapeHtml(isoMinute(firing.barOpenTime))}${firing.incomplete ? ' · incomplete bar' : ''}</i>`);
  return lines.join('\n');
}

/** What a button press asks for. */
export type AlertAction = { action: 'snooze'; ruleId: number; minutes: number } | { action: 'mute'; ruleId: number };

/** The buttons under a firing: snooze the rule an hour, or turn it off. None under a test message. */
export function alertButtons(firing: StoredFiring, test: boolean): InlineKeyboardMarkup | undefined {
  if (test) return undefined;
  return {
    inline_keyboard: [
      [
        { text: `Snooze ${SNOOZE_MINUTES / 60}h`, callback_data: `snooze:${firing.ruleId}:${SNOOZE_MINUTES}` },
        { text: 'Mute rule', callback_data: `mute:${firing.ruleId}` },
      ],
    ],
  };
}

/** Reads a button's callback_data; null for anything this bot did not write. */
export function parseAlertAction(data: string): AlertAction | null {
  const snooze = /^snooze:(\d{1,15}):(\d{1,6})$/.exec(data);
  if (snooze) return { action: 'snooze', ruleId: Number(snooze[1]), minutes: Number(snooze[2]) };
  const mute = /^mute:(\d{1,15})$/.exec(data);
  if (mute) return { action: 'mute', ruleId: Number(mute[1]) };
  return null;
}
