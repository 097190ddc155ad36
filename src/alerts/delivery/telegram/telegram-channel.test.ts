import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startReplayServer, type ReplayServer } from '../../../replay/replay-server.js';
import type { SentMessage } from '../../../replay/telegram-bot-double.js';
import { ConfigError, DeliveryFailedError, RateLimitError } from '../../../core/errors.js';
import type { NewFiring, StoredFiring } from '../../../store/alert-records.js';
import { MemoryAlertStore } from '../test-support/memory-alert-store.js';
import { OutboxWorker } from '../outbox-worker.js';
import { createTelegramBot, type TelegramBot } from './create-telegram-bot.js';
import { NOT_LINKED } from './telegram-commands.js';
import { readTelegramHtml } from '../../../replay/telegram-html.js';

const TOKEN = '424242:delivery-test-secret-token';
const USER = 3;
const T0 = Date.UTC(2024, 0, 2, 10);

interface Harness {
  server: ReplayServer;
  store: MemoryAlertStore;
  telegram: TelegramBot;
}

async function withTelegram(fn: (h: Harness) => Promise<void>): Promise<void> {
  // speed 1: the endpoint's receive times are real, so the waits grammY makes show in them.
  const server = await startReplayServer({ now: T0, speed: 1, telegram: { token: TOKEN } });
  const store = new MemoryAlertStore();
  const telegram = createTelegramBot({ token: TOKEN, apiRoot: server.urls.telegram, store, maxRetryAfterSeconds: 5, pollSeconds: 1, now: () => server.clock.now() });
  try {
    await fn({ server, store, telegram });
  } finally {
    await server.close();
  }
}

function firing(ruleId: number, message: string, channels: string[]): NewFiring {
  return { ruleId, userId: USER, exchange: 'binance', symbol: 'BTCUSDT', interval: '1h', barOpenTime: T0 - 3_600_000, firedAt: T0, inputs: { close: 42000.5 }, incomplete: false, message, channels };
}

async function recordOne(store: MemoryAlertStore, message: string, channel: string): Promise<StoredFiring> {
  const rule = await store.createRule(USER, 'RSI <30 & falling', { expression: 'rsi:14 < 30' }, T0);
  const [stored] = await store.recordEvaluation([], [firing(rule.id, message, [channel])]);
  assert.ok(stored);
  return stored;
}

const notice = (f: StoredFiring) => ({ userId: USER, idempotencyKey: `firing-${f.id}`, firing: f, test: false });
const signal = new AbortController().signal;
const sentTo = (s: ReplayServer, chat: number): SentMessage[] => s.telegram.sent.filter((m) => m.chat_id === chat);

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const got = await probe();
    if (got !== undefined && got !== false) return got;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('telegram channel - sends HTML that keeps < > & of the message, with snooze and mute buttons for the rule', async () => {
  await withTelegram(async ({ server, store, telegram }) => {
    await store.linkChat(USER, '1001', 'me', T0);
    const f = await recordOne(store, 'rsi:14 < 30 & close > ema:20', 'telegram:1001');
    await telegram.channel.deliver('1001', notice(f), signal);
    const [sent] = sentTo(server, 1001);
    assert.equal(sent?.parse_mode, 'HTML');
    assert.equal(sent?.plain, '🔔 BTCUSDT · 1h\nrsi:14 < 30 & close > ema:20\nbar 2024-01-02T09:00Z');
    assert.deepEqual(sent?.reply_markup, {
      inline_keyboard: [
        [
          { text: 'Snooze 1h', callback_data: `snooze:${f.ruleId}:60` },
          { text: 'Mute rule', callback_data: `mute:${f.ruleId}` },
        ],
      ],
    });
    // The text Telegram received is valid HTML only because it was escaped.
    assert.ok(readTelegramHtml(sent?.text ?? '').ok);
    assert.match(sent?.text ?? '', /rsi:14 &lt; 30 &amp; close &gt; ema:20/);
  });
});

test('telegram channel - refuses a chat not linked to the firing owner, for good, and sends nothing', async () => {
  await withTelegram(async ({ server, store, telegram }) => {
    await store.linkChat(USER + 1, '2002', 'someone else', T0);
    const f = await recordOne(store, 'x', 'telegram:2002');
    await assert.rejects(telegram.channel.deliver('2002', notice(f), signal), DeliveryFailedError);
    await assert.rejects(telegram.channel.deliver('3003', notice(f), signal), /not linked to user 3/);
    assert.equal(server.telegram.sent.length, 0);
  });
});

test('telegram channel - a 429 is waited out for its retry_after and sent once; a longer one goes back to the outbox with its delay', async () => {
  await withTelegram(async ({ server, store, telegram }) => {
    await store.linkChat(USER, '1001', 'me', T0);
    const f = await recordOne(store, 'flood', 'telegram:1001');
    server.telegram.addFaults([{ kind: 'retry_after', seconds: 1, count: 1, method: 'sendMessage' }]);
    await telegram.channel.deliver('1001', notice(f), signal);
    const calls = server.telegram.calls.filter((c) => c.method === 'sendMessage');
    assert.deepEqual(
      calls.map((c) => c.status),
      [429, 200],
    );
    assert.ok((calls[1]?.receivedAt ?? 0) - (calls[0]?.receivedAt ?? 0) >= 1000, 'the resend came after retry_after');
    assert.equal(sentTo(server, 1001).length, 1);

    server.telegram.addFaults([{ kind: 'retry_after', seconds: 30, count: 1, method: 'sendMessage' }]);
    const err = await telegram.channel.deliver('1001', notice(f), signal).catch((e: unknown) => e);
    assert.ok(err instanceof RateLimitError);
    assert.equal(err.retryAfterMs, 30_000);

    // The retry_after holds the chat: the next message to it goes back to the outbox for the rest
    // of the wait without a call (it would arrive before the one that waits), another chat is served.
    const before = server.telegram.calls.length;
    const next = await telegram.channel.deliver('1001', notice(f), signal).catch((e: unknown) => e);
    assert.ok(next instanceof RateLimitError, String(next));
    assert.ok(next.retryAfterMs > 25_000 && next.retryAfterMs <= 30_000, `${next.retryAfterMs} ms left`);
    assert.equal(server.telegram.calls.length, before, 'no call to the paused chat');
    await store.linkChat(USER, '1002', 'other', T0);
    await telegram.channel.deliver('1002', notice(await recordOne(store, 'other chat', 'telegram:1002')), signal);
    assert.equal(sentTo(server, 1002).length, 1);
  });
});

test('telegram channel - 5xx and a dropped connection are retryable, and no error text carries the token', async () => {
  await withTelegram(async ({ server, store, telegram }) => {
    await store.linkChat(USER, '1001', 'me', T0);
    await recordOne(store, 'outage', 'telegram:1001');
    server.telegram.addFaults([
      { kind: '5xx', count: 1, method: 'sendMessage' },
      { kind: 'drop', count: 1, method: 'sendMessage' },
    ]);
    let now = T0;
    const worker = new OutboxWorker(store, { channels: [telegram.channel], now: () => now, random: () => 0.5, retry: { baseMs: 1000, capMs: 60_000, maxAttempts: 5 } });
    await worker.pollOnce();
    await worker.idle();
    const row = store.outbox[0];
    assert.equal(row?.status, 'pending');
    assert.equal(row?.attempts, 1);
    assert.match(row?.lastError ?? '', /^UpstreamError: Telegram sendMessage: 500 Internal Server Error$/);
    assert.equal(row?.nextAttemptAt, T0 + 750);
    now = T0 + 750;
    await worker.pollOnce();
    await worker.idle();
    assert.equal(row?.attempts, 2);
    assert.equal(row?.lastError, "UpstreamError: Telegram sendMessage: Network request for 'sendMessage' failed!");
    assert.doesNotMatch(row?.lastError ?? '', /delivery-test-secret-token/);
    now += 10_000;
    await worker.pollOnce();
    await worker.idle();
    assert.equal(row?.status, 'delivered');
    assert.equal(sentTo(server, 1001).length, 1);
  });
});

test('telegram channel - the at-least-once window: an answer lost after Telegram sent the message repeats it once', async () => {
  await withTelegram(async ({ server, store, telegram }) => {
    await store.linkChat(USER, '1001', 'me', T0);
    await recordOne(store, 'lost answer', 'telegram:1001');
    server.telegram.addFaults([{ kind: 'drop_after', count: 1, method: 'sendMessage' }]);
    let now = T0;
    const worker = new OutboxWorker(store, { channels: [telegram.channel], now: () => now, random: () => 0 });
    await worker.pollOnce();
    await worker.idle();
    assert.equal(store.outbox[0]?.status, 'pending');
    now += 60_000;
    await worker.pollOnce();
    await worker.idle();
    assert.equal(store.outbox[0]?.status, 'delivered');
    // Telegram has no idempotency key: the chat shows the message twice (docs/ALERTS.md).
    assert.deepEqual(
      sentTo(server, 1001).map((m) => m.plain.split('\n')[1]),
      ['lost answer', 'lost answer'],
    );
  });
});

test('telegram channel - a token Telegram refuses keeps the rows pending with the reason, not failed for good', async () => {
  await withTelegram(async ({ server, store }) => {
    await store.linkChat(USER, '1001', 'me', T0);
    await recordOne(store, 'x', 'telegram:1001');
    const wrong = createTelegramBot({ token: '424242:not-the-servers-token', apiRoot: server.urls.telegram, store });
    const worker = new OutboxWorker(store, { channels: [wrong.channel], now: () => T0, random: () => 0 });
    await worker.pollOnce();
    await worker.idle();
    assert.equal(store.outbox[0]?.status, 'pending');
    assert.equal(store.outbox[0]?.lastError, 'ConfigError: Telegram sendMessage: 401 Unauthorized: check TELEGRAM_BOT_TOKEN and [telegram] api_root');
    assert.doesNotMatch(store.outbox[0]?.lastError ?? '', /not-the-servers-token/);
    // The command side stops at once with the same reason (getMe is refused), token not shown.
    const started = await wrong.run(new AbortController().signal).catch((e: unknown) => e);
    assert.ok(started instanceof ConfigError);
    assert.equal(started.message, 'Telegram getMe: 401 Unauthorized: check TELEGRAM_BOT_TOKEN and [telegram] api_root');
  });
});

test('telegram channel - follows a group upgraded to a supergroup: the link and the pending rows move, the message arrives there', async () => {
  await withTelegram(async ({ server, store, telegram }) => {
    await store.linkChat(USER, '-4001', 'traders', T0);
    await recordOne(store, 'first', 'telegram:-4001');
    await recordOne(store, 'second', 'telegram:-4001');
    server.telegram.migrate(-4001, -1009000004001);
    const worker = new OutboxWorker(store, { channels: [telegram.channel], now: () => T0, perKind: 1 });
    await worker.pollOnce();
    await worker.idle();
    assert.deepEqual(await store.listChatLinks(USER), [{ userId: USER, chatId: '-1009000004001', title: 'traders', linkedAt: T0 }]);
    assert.deepEqual(
      store.outbox.map((o) => [o.channel, o.status]),
      [
        ['telegram:-1009000004001', 'delivered'],
        ['telegram:-1009000004001', 'pending'],
      ],
    );
    await worker.pollOnce();
    await worker.idle();
    assert.deepEqual(
      sentTo(server, -1009000004001).map((m) => m.plain.split('\n')[1]),
      ['first', 'second'],
    );
    assert.equal(sentTo(server, -4001).length, 0);
  });
});

test('telegram bot - /start <code> links the chat once; unlinked chats can command nothing; /alerts and /mute act for the owner only', async () => {
  await withTelegram(async ({ server, store, telegram }) => {
    const stop = new AbortController();
    const running = telegram.run(stop.signal);
    try {
      const rule = await store.createRule(USER, 'RSI <30 & BTC', {}, T0);
      const other = await store.createRule(USER + 1, 'not mine', {}, T0);
      await store.createLinkCode(USER, 'code-abc', T0 + 600_000);
      const reply = async (chat: number, text: string): Promise<string> => {
        const before = sentTo(server, chat).length;
        server.telegram.inject({ message: { chat_id: chat, text } });
        const m = await until(`a reply to ${text}`, () => sentTo(server, chat)[before]);
        return m.plain;
      };
      assert.equal(await reply(777, '/alerts'), readPlain(NOT_LINKED));
      assert.equal(await reply(777, '/mute 30'), readPlain(NOT_LINKED));
      assert.equal((await store.getRule(USER, rule.id))?.mutedUntil, null);
      assert.match(await reply(777, '/start wrong-code'), /unknown, used or expired/);
      assert.match(await reply(777, '/start code-abc'), /^Linked/);
      assert.equal(await store.chatOwner('777'), USER);
      assert.match(await reply(778, '/start code-abc'), /unknown, used or expired/);
      assert.equal(await store.chatOwner('778'), null);

      assert.equal(await reply(777, '/alerts'), `Your alert rules:\n• RSI <30 & BTC (#${rule.id}) — on`);
      assert.match(await reply(777, '/mute x'), /^Usage: \/mute <minutes>/);
      assert.equal(await reply(777, '/mute 30'), 'Muted 1 rule(s) until 2024-01-02T10:30Z.');
      const muted = (await store.getRule(USER, rule.id))?.mutedUntil ?? 0;
      assert.ok(muted >= T0 + 30 * 60_000 && muted < T0 + 31 * 60_000, `muted until ${muted}`);
      assert.equal((await store.getRule(USER + 1, other.id))?.mutedUntil, null);

      // A list longer than one Telegram message (the endpoint refuses > 4096 characters): the
      // rules that fit, then how many more.
      for (let i = 0; i < 300; i++) await store.createRule(USER, `BTCUSDT hourly RSI cross number ${String(i).padStart(3, '0')}`, {}, T0);
      const long = await reply(777, '/alerts');
      assert.ok(long.length <= 4096, `${long.length} characters`);
      const shown = long.split('\n').filter((l) => l.startsWith('• ')).length;
      const more = Number(/\n…and (\d+) more \(the dashboard lists them all\)$/.exec(long)?.[1]);
      assert.ok(shown > 40, `${shown} rules shown`);
      assert.equal(shown + more, 301);
      const commands = server.telegram.commands as { command: string }[];
      assert.deepEqual(
        commands.map((c) => c.command),
        ['start', 'alerts', 'mute'],
      );
    } finally {
      stop.abort();
      await running;
    }
  });
});

test('telegram bot - the buttons under an alert snooze or turn off its rule in a linked chat, and do nothing elsewhere', async () => {
  await withTelegram(async ({ server, store, telegram }) => {
    const stop = new AbortController();
    const running = telegram.run(stop.signal);
    try {
      await store.linkChat(USER, '1001', 'me', T0);
      const f = await recordOne(store, 'cross', 'telegram:1001');
      await telegram.channel.deliver('1001', notice(f), signal);
      const alert = sentTo(server, 1001)[0];
      assert.ok(alert);
      server.telegram.inject({ callback_query: { chat_id: 1001, message_id: alert.message_id, data: `snooze:${f.ruleId}:60` } });
      await until('the snooze answer', () => server.telegram.callbackAnswers[0]);
      const snoozed = (await store.getRule(USER, f.ruleId))?.mutedUntil ?? 0;
      assert.ok(snoozed >= T0 + 3_600_000 && snoozed < T0 + 3_660_000, `snoozed until ${snoozed}`);
      await until('the buttons removed', () => alert.reply_markup === null);

      // The same message forwarded to an unlinked chat: its button changes nothing.
      server.telegram.sent.push({ ...alert, chat_id: 999, message_id: 9999 });
      server.telegram.inject({ callback_query: { chat_id: 999, message_id: 9999, data: `mute:${f.ruleId}` } });
      const refusal = await until('the refusal', () => server.telegram.callbackAnswers[1]);
      assert.equal(refusal.text, 'This chat is not linked to a tickerflow user.');
      assert.equal((await store.getRule(USER, f.ruleId))?.enabled, true);

      server.telegram.inject({ callback_query: { chat_id: 1001, message_id: alert.message_id, data: `mute:${f.ruleId}` } });
      await until('the mute answer', () => server.telegram.callbackAnswers[2]);
      assert.equal((await store.getRule(USER, f.ruleId))?.enabled, false);
    } finally {
      stop.abort();
      await running;
    }
  });
});

function readPlain(html: string): string {
  const r = readTelegramHtml(html);
  assert.ok(r.ok);
  return r.plain;
}

test('telegram bot - stopping while Telegram cannot be reached ends the run (getMe is retried only until the abort)', async () => {
  const closed = await startReplayServer({ now: T0, speed: 0 });
  const apiRoot = closed.urls.telegram;
  await closed.close();
  const bot = createTelegramBot({ token: TOKEN, apiRoot, store: new MemoryAlertStore() });
  const stop = new AbortController();
  const running = bot.run(stop.signal);
  await new Promise((r) => setTimeout(r, 300));
  stop.abort();
  await running;
  assert.equal(bot.bot.isInited(), false);
});
