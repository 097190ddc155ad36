/**
 * A local Telegram Bot API endpoint at `/bot<token>/<method>`, as api.telegram.org serves it, for
 * the methods tickerflow's bot uses: getMe, sendMessage (HTML parse mode, inline keyboards),
 * answerCallbackQuery, editMessageReplyMarkup, getUpdates (long polling with offset, limit,
 * timeout), setMyCommands, deleteWebhook. Parameters come as JSON, a form or the query string;
 * every answer is `{"ok":true,"result":…}` or `{"ok":false,"error_code":…,"description":…,
 * "parameters"?:{retry_after|migrate_to_chat_id}}`.
 *
 * Inspection and injection (not Telegram's, for tests and the demo) under `/_telegram`:
 * `GET messages` (what the bot sent), `GET calls` (with the getUpdates polls per bot id: started,
 * waiting now, most waiting at once), `POST updates` (a user's message or a button
 * press, see `UpdateSpec`), `POST faults` (429 with retry_after, 5xx, a connection dropped before
 * or after the call took effect, on the next N calls), `POST migrate` (a group upgraded to a supergroup).
 *
 * Provenance: no Telegram traffic is recorded. Shapes follow the Bot API documentation and the
 * `@grammyjs/types` declarations; error descriptions are the ones Telegram documents or that its
 * server is widely reported to send ("Too Many Requests: retry after N", "Bad Request: chat not
 * found", "Bad Request: group chat was upgraded to a supergroup chat").
 *
 * @see https://core.telegram.org/bots/api#making-requests
 * @see https://core.telegram.org/bots/api#responseparameters
 * @see https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
 */
import { z } from 'zod';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { InlineKeyboardMarkup } from '@grammyjs/types';
import { REPLAY_BOT, type TelegramBotDouble, type TelegramFault, type UpdateSpec } from './telegram-bot-double.js';
import { readTelegramHtml } from './telegram-html.js';

const MAX_TEXT = 4096;
const MAX_CALLBACK_DATA_BYTES = 64;

/** Form and query values arrive as text; JSON-serialized objects too (Bot API "Making requests"). */
const jsonText = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (typeof v === 'string' && /^[[{]/.test(v.trim()) ? JSON.parse(v) : v), schema);
const int = z.coerce.number().int();
const chatId = z.union([z.number().int(), z.string().regex(/^-?\d+$/).transform(Number)]);
const button = z.object({ text: z.string().min(1), callback_data: z.string().optional(), url: z.string().optional() });
const keyboard = z.object({ inline_keyboard: z.array(z.array(button)) });

const schemas = {
  sendMessage: z.object({ chat_id: chatId, text: z.string(), parse_mode: z.string().optional(), reply_markup: jsonText(keyboard).optional() }).passthrough(),
  answerCallbackQuery: z.object({ callback_query_id: z.string().min(1), text: z.string().optional() }).passthrough(),
  editMessageReplyMarkup: z.object({ chat_id: chatId, message_id: int, reply_markup: jsonText(keyboard).optional() }).passthrough(),
  getUpdates: z.object({ offset: int.optional(), limit: int.min(1).max(100).default(100), timeout: int.min(0).default(0), allowed_updates: jsonText(z.array(z.string())).optional() }),
  setMyCommands: z.object({ commands: jsonText(z.array(z.object({ command: z.string().regex(/^[a-z0-9_]{1,32}$/), description: z.string().min(1).max(256) }))) }).passthrough(),
  deleteWebhook: z.object({ drop_pending_updates: z.union([z.boolean(), z.enum(['true', 'false'])]).optional() }),
  getMe: z.object({}).passthrough(),
} as const;
type Method = keyof typeof schemas;

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(description);
  }
}

function answer(reply: FastifyReply, result: unknown): FastifyReply {
  return reply.type('application/json').send(JSON.stringify({ ok: true, result }));
}

function fail(reply: FastifyReply, e: ApiError): FastifyReply {
  return reply
    .code(e.code)
    .type('application/json')
    .send(JSON.stringify({ ok: false, error_code: e.code, description: e.description, ...(e.parameters ? { parameters: e.parameters } : {}) }));
}

function checkKeyboard(markup: InlineKeyboardMarkup | undefined): void {
  for (const row of markup?.inline_keyboard ?? []) {
    for (const b of row) {
      const data = 'callback_data' in b ? b.callback_data : undefined;
      if (data !== undefined && (data.length === 0 || Buffer.byteLength(data) > MAX_CALLBACK_DATA_BYTES)) throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
      if (data === undefined && !('url' in b && b.url)) throw new ApiError(400, "Bad Request: can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
    }
  }
}

function targetChat(bot: TelegramBotDouble, id: number): number {
  const moved = bot.migratedTo(id);
  if (moved !== undefined) throw new ApiError(400, 'Bad Request: group chat was upgraded to a supergroup chat', { migrate_to_chat_id: moved });
  return id;
}

async function call(bot: TelegramBotDouble, method: Method, raw: Record<string, unknown>, closed: AbortSignal): Promise<unknown> {
  const parsed = schemas[method].safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(400, `Bad Request: ${issue?.path.join('.') || 'parameters'}: ${issue?.message ?? 'invalid'}`);
  }
  const p = parsed.data;
  switch (method) {
    case 'getMe':
      return REPLAY_BOT;
    case 'deleteWebhook':
      return true;
    case 'setMyCommands':
      bot.commands = (p as z.infer<(typeof schemas)['setMyCommands']>).commands;
      return true;
    case 'getUpdates': {
      const q = p as z.infer<(typeof schemas)['getUpdates']>;
      return bot.updates(q.offset, q.limit, q.timeout, closed);
    }
    case 'sendMessage': {
      const q = p as z.infer<(typeof schemas)['sendMessage']>;
      const chat = targetChat(bot, q.chat_id);
      let plain = q.text;
      if (q.parse_mode !== undefined) {
        if (q.parse_mode !== 'HTML') throw new ApiError(400, `Bad Request: unsupported parse_mode "${q.parse_mode}" (the local endpoint reads HTML only)`);
        const read = readTelegramHtml(q.text);
        if (!read.ok) throw new ApiError(400, read.error);
        plain = read.plain;
      }
      if (plain.trim() === '') throw new ApiError(400, 'Bad Request: message text is empty');
      if (plain.length > MAX_TEXT) throw new ApiError(400, 'Bad Request: message is too long');
      checkKeyboard(q.reply_markup as InlineKeyboardMarkup | undefined);
      return bot.send(chat, q.text, plain, q.parse_mode ?? null, (q.reply_markup as InlineKeyboardMarkup | undefined) ?? null);
    }
    case 'editMessageReplyMarkup': {
      const q = p as z.infer<(typeof schemas)['editMessageReplyMarkup']>;
      checkKeyboard(q.reply_markup as InlineKeyboardMarkup | undefined);
      const edited = bot.editMarkup(targetChat(bot, q.chat_id), q.message_id, (q.reply_markup as InlineKeyboardMarkup | undefined) ?? null);
      if (!edited) throw new ApiError(400, 'Bad Request: message to edit not found');
      return edited;
    }
    case 'answerCallbackQuery': {
      const q = p as z.infer<(typeof schemas)['answerCallbackQuery']>;
      bot.callbackAnswers.push({ callback_query_id: q.callback_query_id, text: q.text ?? null });
      return true;
    }
  }
}

function paramsOf(req: FastifyRequest): Record<string, unknown> {
  const body = req.body && typeof req.body === 'object' ? (req.body as Record<string, unknown>) : {};
  return { ...(req.query as Record<string, unknown>), ...body };
}

const faultSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('retry_after'), seconds: z.number().int().min(1).max(3600), count: z.number().int().min(1).default(1), method: z.string().optional() }),
  z.object({ kind: z.literal('5xx'), count: z.number().int().min(1).default(1), method: z.string().optional() }),
  z.object({ kind: z.literal('drop'), count: z.number().int().min(1).default(1), method: z.string().optional() }),
  z.object({ kind: z.literal('drop_after'), count: z.number().int().min(1).default(1), method: z.string().optional() }),
]);
const updateSchema = z.union([
  z.object({ message: z.object({ chat_id: z.number().int(), text: z.string().min(1), chat_title: z.string().optional(), from_id: z.number().int().optional(), first_name: z.string().optional() }) }),
  z.object({ callback_query: z.object({ chat_id: z.number().int(), message_id: z.number().int(), data: z.string().min(1), from_id: z.number().int().optional(), first_name: z.string().optional() }) }),
]);

/** Registers the Bot API routes and the `/_telegram` inspection routes. `token`: the only token accepted (default any well-formed one). */
export function telegramRoutes(bot: TelegramBotDouble, opts: { token?: string; now: () => number }) {
  return async function plugin(app: FastifyInstance): Promise<void> {
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    });
    app.addHook('preClose', async () => bot.wakeAll());

    const handle = async (req: FastifyRequest<{ Params: { token: string; method: string } }>, reply: FastifyReply): Promise<FastifyReply> => {
      const { token, method: asked } = req.params;
      // Bot API method names are case-insensitive.
      const method = (Object.keys(schemas) as Method[]).find((m) => m.toLowerCase() === asked.toLowerCase());
      const params = paramsOf(req);
      const record = (status: number): void => bot.record({ method: method ?? asked, params, status, receivedAt: opts.now() });
      if (!/^\d+:[A-Za-z0-9_-]+$/.test(token) || (opts.token !== undefined && token !== opts.token)) {
        record(401);
        return fail(reply, new ApiError(401, 'Unauthorized'));
      }
      if (method === undefined) {
        record(404);
        return fail(reply, new ApiError(404, 'Not Found'));
      }
      const fault: TelegramFault | undefined = bot.takeFault(method);
      if (fault?.kind === 'drop') {
        record(0);
        req.raw.socket.destroy();
        return reply.hijack();
      }
      if (fault?.kind === 'retry_after') {
        record(429);
        return fail(reply, new ApiError(429, `Too Many Requests: retry after ${fault.seconds}`, { retry_after: fault.seconds }));
      }
      if (fault?.kind === '5xx') {
        record(500);
        return fail(reply, new ApiError(500, 'Internal Server Error'));
      }
      const closed = new AbortController();
      // The response's close (not the request's, which fires once its body is read): a client gone mid long poll.
      reply.raw.on('close', () => closed.abort());
      const poll = method === 'getUpdates' ? bot.pollStarted(token.slice(0, token.indexOf(':'))) : undefined;
      try {
        const result = await call(bot, method, params, closed.signal);
        if (fault?.kind === 'drop_after') {
          record(0);
          req.raw.socket.destroy();
          return reply.hijack();
        }
        record(200);
        return answer(reply, result);
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        record(e.code);
        return fail(reply, e);
      } finally {
        poll?.ended();
      }
    };
    app.get('/bot:token/:method', handle);
    app.post('/bot:token/:method', handle);

    app.get('/_telegram/messages', async (_req, reply) => answer(reply, bot.sent));
    app.get('/_telegram/calls', async (_req, reply) => answer(reply, { calls: bot.calls, callbackAnswers: bot.callbackAnswers, commands: bot.commands, polls: bot.polls() }));
    app.post('/_telegram/updates', async (req, reply) => {
      const parsed = updateSchema.safeParse(req.body);
      if (!parsed.success) return fail(reply, new ApiError(400, `update: ${parsed.error.issues[0]?.message ?? 'invalid'}`));
      const made = bot.inject(parsed.data as UpdateSpec);
      return typeof made === 'string' ? fail(reply, new ApiError(400, made)) : answer(reply, made);
    });
    app.post('/_telegram/faults', async (req, reply) => {
      const parsed = z.array(faultSchema).safeParse(req.body);
      if (!parsed.success) return fail(reply, new ApiError(400, `faults: ${parsed.error.issues[0]?.message ?? 'invalid'}`));
      bot.addFaults(parsed.data);
      return answer(reply, true);
    });
    app.post('/_telegram/migrate', async (req, reply) => {
      const parsed = z.object({ chat_id: z.number().int().max(-1), to_chat_id: z.number().int().max(-1_000_000_000_001) }).safeParse(req.body);
      if (!parsed.success) return fail(reply, new ApiError(400, `migrate: ${parsed.error.issues[0]?.message ?? 'invalid'}`));
      bot.migrate(parsed.data.chat_id, parsed.data.to_chat_id);
      return answer(reply, true);
    });
  };
}
