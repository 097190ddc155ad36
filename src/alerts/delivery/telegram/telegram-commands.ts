/**
 * What the bot answers: `/start <code>` links the chat to the code's user (a one-time code from
 * the dashboard), `/alerts` lists the owner's rules, `/mute <minutes>` mutes them all, and the
 * snooze/mute buttons under an alert act on its rule. Only a linked chat commands anything; any
 * other chat gets a polite refusal and nothing changes.
 *
 * @see https://core.telegram.org/bots/features#commands
 * @see https://core.telegram.org/bots/api#answercallbackquery
 */
import { Composer, type Context } from 'grammy';
import type { AlertStore, StoredRule } from '../../../store/alert-records.js';
import { isoMinute } from '../../../core/time.js';
import { escapeHtml, parseAlertAction } from './telegram-format.js';

export type CommandStore = Pick<AlertStore, 'redeemLinkCode' | 'chatOwner' | 'listRules' | 'getRule' | 'updateRule'>;

/** The commands shown in Telegram's menu (`setMyCommands`). */
export const BOT_COMMANDS = [
  { command: 'start', description: 'Link this chat: /start <code from the dashboard>' },
  { command: 'alerts', description: 'List your alert rules' },
  { command: 'mute', description: 'Mute all your alerts: /mute <minutes>' },
] as const;

/** At most a week; 0 unmutes. */
export const MAX_MUTE_MINUTES = 10_080;

export const NOT_LINKED = 'This chat is not linked to a tickerflow user, so it cannot use commands. Open the dashboard, create a Telegram link code and send <code>/start &lt;code&gt;</code> here.';

function ruleLine(rule: StoredRule, now: number): string {
  const state = !rule.enabled ? 'off' : rule.mutedUntil !== null && rule.mutedUntil > now ? `muted until ${isoMinute(rule.mutedUntil)}` : 'on';
  return `• <b>${escapeHtml(rule.name)}</b> (#${rule.id}) — ${escapeHtml(state)}`;
}

/** Telegram's longest message (characters of text). */
const MAX_MESSAGE = 4096;

/** The list as one message: the lines that fit, then how many more there are (a long list was refused as too long). */
export function ruleList(lines: readonly string[]): string {
  const head = 'Your alert rules:';
  const tail = (more: number): string => `…and ${more} more (the dashboard lists them all)`;
  let text = head;
  for (let i = 0; i < lines.length; i++) {
    const next = `${text}\n${lines[i]}`;
    // Room is kept for the tail line whenever more lines follow this one.
    const reserve = i + 1 < lines.length ? tail(lines.length - i - 1).length + 1 : 0;
    if (next.length + reserve > MAX_MESSAGE) return `${text}\n${tail(lines.length - i)}`;
    text = next;
  }
  return text;
}

function chatTitle(ctx: Context): string | null {
  const chat = ctx.chat;
  if (!chat) return null;
  return chat.type === 'private' ? [chat.first_name, chat.last_name].filter(Boolean).join(' ') : chat.title;
}

export function alertCommands(store: CommandStore, now: () => number = Date.now): Composer<Context> {
  const bot = new Composer<Context>();
  const html = { parse_mode: 'HTML' } as const;
  const ownerOf = (ctx: Context): Promise<number | null> => (ctx.chat ? store.chatOwner(String(ctx.chat.id)) : Promise.resolve(null));

  bot.command('start', async (ctx) => {
    const code = ctx.match.trim();
    const chatId = String(ctx.chat.id);
    if (code === '') {
      const owner = await store.chatOwner(chatId);
      await ctx.reply(owner === null ? NOT_LINKED : 'This chat is linked: alerts arrive here. /alerts lists your rules, /mute &lt;minutes&gt; mutes them.', html);
      return;
    }
    const link = await store.redeemLinkCode(code, chatId, chatTitle(ctx), now());
    await ctx.reply(link === null ? 'That code is unknown, used or expired. Create a new one in the dashboard.' : 'Linked: your tickerflow alerts will arrive in this chat. /alerts lists your rules.', html);
  });

  bot.command('alerts', async (ctx) => {
    const owner = await ownerOf(ctx);
    if (owner === null) return void (await ctx.reply(NOT_LINKED, html));
    const rules = await store.listRules(owner);
    const at = now();
    await ctx.reply(rules.length === 0 ? 'You have no alert rules yet.' : ruleList(rules.map((r) => ruleLine(r, at))), html);
  });

  bot.command('mute', async (ctx) => {
    const owner = await ownerOf(ctx);
    if (owner === null) return void (await ctx.reply(NOT_LINKED, html));
    const arg = ctx.match.trim();
    const minutes = /^\d{1,5}$/.test(arg) ? Number(arg) : NaN;
    if (!(minutes >= 0 && minutes <= MAX_MUTE_MINUTES)) {
      return void (await ctx.reply(`Usage: /mute &lt;minutes&gt;, a whole number from 0 (unmute) to ${MAX_MUTE_MINUTES}, e.g. /mute 30.`, html));
    }
    const at = now();
    const until = minutes === 0 ? null : at + minutes * 60_000;
    const rules = await store.listRules(owner);
    for (const rule of rules) await store.updateRule(owner, rule.id, { mutedUntil: until }, at);
    await ctx.reply(until === null ? `Unmuted ${rules.length} rule(s).` : `Muted ${rules.length} rule(s) until ${isoMinute(until)}.`, html);
  });

  bot.on('callback_query:data', async (ctx) => {
    const action = parseAlertAction(ctx.callbackQuery.data);
    const message = ctx.callbackQuery.message;
    const owner = message ? await store.chatOwner(String(message.chat.id)) : null;
    if (owner === null) return void (await ctx.answerCallbackQuery({ text: 'This chat is not linked to a tickerflow user.' }));
    const rule = action ? await store.getRule(owner, action.ruleId) : null;
    if (!action || !rule) return void (await ctx.answerCallbackQuery({ text: 'That rule no longer exists.' }));
    const at = now();
    if (action.action === 'snooze') {
      const until = at + action.minutes * 60_000;
      await store.updateRule(owner, rule.id, { mutedUntil: until }, at);
      await ctx.answerCallbackQuery({ text: `${rule.name}: snoozed until ${isoMinute(until)}` });
    } else {
      await store.updateRule(owner, rule.id, { enabled: false }, at);
      await ctx.answerCallbackQuery({ text: `${rule.name}: turned off (turn it on again in the dashboard)` });
    }
    // The buttons have done their job: remove them from the alert.
    if (message) await ctx.api.editMessageReplyMarkup(message.chat.id, message.message_id);
  });

  // Anything else in a private chat gets the same help (groups' chatter is not for the bot).
  bot.on('message:text', async (ctx) => {
    if (ctx.chat.type !== 'private') return;
    const owner = await store.chatOwner(String(ctx.chat.id));
    await ctx.reply(owner === null ? NOT_LINKED : 'Commands: /alerts, /mute &lt;minutes&gt;.', html);
  });
  return bot;
}
