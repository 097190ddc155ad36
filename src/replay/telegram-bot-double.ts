/**
 * The state behind the local Telegram Bot API endpoint: the bot, the chats it has seen, the
 * messages it was asked to send, the update queue that `getUpdates` long-polls, and the faults
 * queued for the next calls. No Telegram traffic is recorded anywhere: the objects are built from
 * the Bot API documentation and typed with `@grammyjs/types` (types only, no client code), so a
 * client's mistake is not served back to it.
 *
 * @see https://core.telegram.org/bots/api#getting-updates
 * @see https://core.telegram.org/bots/api#available-types
 */
import type { CallbackQuery, Chat, InlineKeyboardMarkup, Message, MessageEntity, Update, User, UserFromGetMe } from '@grammyjs/types';
import type { SimClock } from './sim-clock.js';

/** A fault for the next `count` calls of `method` (default: every method but getUpdates). */
export type TelegramFault =
  | { kind: 'retry_after'; seconds: number; count: number; method?: string }
  | { kind: '5xx'; count: number; method?: string }
  | { kind: 'drop'; count: number; method?: string }
  /** The call takes effect (a message is sent), then the connection drops before the answer. */
  | { kind: 'drop_after'; count: number; method?: string };

/** One call the endpoint received, as it was answered. */
export interface RecordedCall {
  method: string;
  params: Record<string, unknown>;
  /** HTTP status answered, or 0 for a dropped connection. */
  status: number;
  receivedAt: number;
}

/** A message the bot sent: the text as sent and as Telegram shows it (tags stripped, entities decoded). */
export interface SentMessage {
  message_id: number;
  chat_id: number;
  text: string;
  plain: string;
  parse_mode: string | null;
  reply_markup: InlineKeyboardMarkup | null;
  date: number;
}

/** The getUpdates long polls of one bot (by its id, the token's part before the colon; never the secret part). */
export interface PollCount {
  /** Polls answered or still waiting. */
  started: number;
  /** Polls waiting now. */
  open: number;
  /** The most polls that waited at once: above 1, two consumers polled the same bot together. */
  maxOpen: number;
}

/** An update to inject, in the few fields a test names; the rest is filled in as Telegram would. */
export type UpdateSpec =
  | { message: { chat_id: number; text: string; chat_title?: string; from_id?: number; first_name?: string } }
  | { callback_query: { chat_id: number; message_id: number; data: string; from_id?: number; first_name?: string } };

export const REPLAY_BOT: UserFromGetMe = {
  id: 7000000001,
  is_bot: true,
  first_name: 'tickerflow replay',
  username: 'tickerflow_replay_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
  can_manage_bots: false,
  supports_join_request_queries: false,
};

/** Telegram's chat kind by id: users positive, basic groups negative, supergroups and channels -100…. */
function chatFor(id: number, title: string | undefined): Chat {
  if (id > 0) return { id, type: 'private', first_name: title ?? `User ${id}` };
  if (id <= -1_000_000_000_000) return { id, type: 'supergroup', title: title ?? `Supergroup ${id}` };
  return { id, type: 'group', title: title ?? `Group ${id}` };
}

/** `bot_command` entities as Telegram marks them: `/cmd` or `/cmd@bot` at the start or after a space (UTF-16 offsets). */
export function commandEntities(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  for (const m of text.matchAll(/(^|\s)(\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?)/g)) {
    const command = m[2] as string;
    out.push({ type: 'bot_command', offset: (m.index ?? 0) + (m[1] as string).length, length: command.length });
  }
  return out;
}

export class TelegramBotDouble {
  readonly calls: RecordedCall[] = [];
  readonly sent: SentMessage[] = [];
  readonly callbackAnswers: { callback_query_id: string; text: string | null }[] = [];
  commands: unknown = [];
  readonly #chats = new Map<number, Chat>();
  /** Basic groups upgraded to supergroups: old id → new id. */
  readonly #migrated = new Map<number, number>();
  #faults: TelegramFault[] = [];
  #queue: Update[] = [];
  #nextUpdateId = 1;
  #nextMessageId = 1;
  #nextCallbackId = 1;
  readonly #waiters = new Set<() => void>();
  readonly #polls = new Map<string, PollCount>();

  constructor(private readonly clock: SimClock) {}

  #seconds(): number {
    return Math.floor(this.clock.now() / 1000);
  }

  chat(id: number, title?: string): Chat {
    const known = this.#chats.get(id);
    if (known) return known;
    const made = chatFor(id, title);
    this.#chats.set(id, made);
    return made;
  }

  addFaults(faults: readonly TelegramFault[]): void {
    this.#faults.push(...faults.map((f) => ({ ...f })));
  }

  /** The fault that applies to this call, consuming one of its count. */
  takeFault(method: string): TelegramFault | undefined {
    const i = this.#faults.findIndex((f) => (f.method === undefined ? method !== 'getUpdates' : f.method === method));
    const fault = this.#faults[i];
    if (fault === undefined) return undefined;
    fault.count--;
    if (fault.count <= 0) this.#faults.splice(i, 1);
    return fault;
  }

  migrate(from: number, to: number): void {
    this.#migrated.set(from, to);
    const old = this.#chats.get(from);
    this.chat(to, old && 'title' in old ? old.title : undefined);
  }

  migratedTo(chatId: number): number | undefined {
    return this.#migrated.get(chatId);
  }

  record(call: RecordedCall): void {
    this.calls.push(call);
  }

  send(chatId: number, text: string, plain: string, parseMode: string | null, markup: InlineKeyboardMarkup | null): Message {
    const sent: SentMessage = { message_id: this.#nextMessageId++, chat_id: chatId, text, plain, parse_mode: parseMode, reply_markup: markup, date: this.#seconds() };
    this.sent.push(sent);
    return this.#asMessage(sent);
  }

  #asMessage(m: SentMessage): Message {
    const from: User = REPLAY_BOT;
    return { message_id: m.message_id, from, chat: this.chat(m.chat_id), date: m.date, text: m.plain, ...(m.reply_markup ? { reply_markup: m.reply_markup } : {}) } as Message;
  }

  editMarkup(chatId: number, messageId: number, markup: InlineKeyboardMarkup | null): Message | undefined {
    const m = this.sent.find((s) => s.chat_id === chatId && s.message_id === messageId);
    if (!m) return undefined;
    m.reply_markup = markup;
    return this.#asMessage(m);
  }

  /** Queues an update built from `spec`; returns it, or a reason it cannot be built. */
  inject(spec: UpdateSpec): Update | string {
    const update_id = this.#nextUpdateId++;
    let update: Update;
    if ('message' in spec) {
      const s = spec.message;
      const chat = this.chat(s.chat_id, s.chat_title);
      const from: User = { id: s.from_id ?? (s.chat_id > 0 ? s.chat_id : 500_000_001), is_bot: false, first_name: s.first_name ?? 'Trader' };
      const entities = commandEntities(s.text);
      const message = { message_id: this.#nextMessageId++, from, chat, date: this.#seconds(), text: s.text, ...(entities.length > 0 ? { entities } : {}) };
      update = { update_id, message } as Update;
    } else {
      const s = spec.callback_query;
      const sent = this.sent.find((m) => m.chat_id === s.chat_id && m.message_id === s.message_id);
      if (!sent) return `message ${s.message_id} was not sent to chat ${s.chat_id}`;
      const from: User = { id: s.from_id ?? (s.chat_id > 0 ? s.chat_id : 500_000_001), is_bot: false, first_name: s.first_name ?? 'Trader' };
      const query: CallbackQuery = { id: String(this.#nextCallbackId++), from, message: this.#asMessage(sent) as CallbackQuery['message'] & object, chat_instance: `ci${s.chat_id}`, data: s.data };
      update = { update_id, callback_query: query };
    }
    this.#queue.push(update);
    for (const wake of this.#waiters) wake();
    return update;
  }

  /**
   * `getUpdates`: confirms every update below `offset` (forgets it), then answers at most `limit`
   * updates from `offset`, waiting up to `timeoutSeconds` (real time) for one to arrive.
   */
  async updates(offset: number | undefined, limit: number, timeoutSeconds: number, closed: AbortSignal): Promise<Update[]> {
    if (offset !== undefined && offset > 0) this.#queue = this.#queue.filter((u) => u.update_id >= offset);
    const pick = (): Update[] => (offset !== undefined && offset < 0 ? this.#queue.slice(offset) : this.#queue).slice(0, limit);
    if (pick().length > 0 || timeoutSeconds === 0) return pick();
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        closed.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutSeconds * 1000);
      this.#waiters.add(done);
      closed.addEventListener('abort', done);
    });
    return pick();
  }

  /** Counts a getUpdates call of `botId` from its start to `ended`. */
  pollStarted(botId: string): { ended(): void } {
    const count = this.#polls.get(botId) ?? { started: 0, open: 0, maxOpen: 0 };
    this.#polls.set(botId, count);
    count.started++;
    count.open++;
    count.maxOpen = Math.max(count.maxOpen, count.open);
    let done = false;
    return {
      ended: () => {
        if (!done) count.open--;
        done = true;
      },
    };
  }

  /** getUpdates polls per bot id, copied. */
  polls(): Record<string, PollCount> {
    return Object.fromEntries([...this.#polls].map(([id, c]) => [id, { ...c }]));
  }

  /** Wakes every pending long poll (the server is closing). */
  wakeAll(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
