import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startReplayServer, type ReplayServer } from './replay-server.js';
import { readTelegramHtml } from './telegram-html.js';

const TOKEN = '123456:replay-test-token';

async function withServer(fn: (s: ReplayServer) => Promise<void>): Promise<void> {
  const s = await startReplayServer({ now: Date.UTC(2024, 0, 2), speed: 0, telegram: { token: TOKEN } });
  try {
    await fn(s);
  } finally {
    await s.close();
  }
}

async function botCall(s: ReplayServer, method: string, params: unknown, token = TOKEN): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${s.urls.telegram}/bot${token}/${method}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(params) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function control(s: ReplayServer, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${s.url}/_telegram/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return (await res.json()) as Record<string, unknown>;
}

test('telegram html - decodes entities, strips tags, and refuses what Telegram refuses with the byte offset', () => {
  assert.deepEqual(readTelegramHtml('<b>BTC &lt; 30 &amp; up</b> &#8364;'), { ok: true, plain: 'BTC < 30 & up €' });
  const bare = readTelegramHtml('rsi € < 30');
  assert.equal(bare.ok, false);
  // The offset counts UTF-8 bytes, as Telegram's does (€ is 3 bytes).
  assert.match(bare.ok ? '' : bare.error, /^Bad Request: can't parse entities: .+ at byte offset 8$/);
  assert.equal(readTelegramHtml('a & b').ok, false);
  assert.equal(readTelegramHtml('<b>open').ok, false);
  assert.equal(readTelegramHtml('<b><i>x</b></i>').ok, false);
  assert.equal(readTelegramHtml('<script>x</script>').ok, false);
});

test('telegram endpoint - getMe answers the bot, a wrong token is 401, an unknown method 404', async () => {
  await withServer(async (s) => {
    const me = await botCall(s, 'getMe', {});
    assert.equal(me.status, 200);
    assert.equal((me.body.result as { username: string }).username, 'tickerflow_replay_bot');
    assert.deepEqual(await botCall(s, 'getMe', {}, '123456:other'), { status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    assert.equal((await botCall(s, 'sendPoll', {})).status, 404);
    // Method names are case-insensitive, as the Bot API says.
    assert.equal((await botCall(s, 'getme', {})).status, 200);
  });
});

test('telegram endpoint - sendMessage reads HTML, keeps the keyboard, refuses an unescaped < and bad callback data', async () => {
  await withServer(async (s) => {
    const markup = { inline_keyboard: [[{ text: 'Snooze 1h', callback_data: 'snooze:7:60' }]] };
    const ok = await botCall(s, 'sendMessage', { chat_id: 42, text: '<b>BTC</b> &lt;30', parse_mode: 'HTML', reply_markup: markup });
    assert.equal(ok.status, 200);
    const message = ok.body.result as { message_id: number; text: string; chat: { id: number; type: string }; reply_markup: unknown };
    assert.equal(message.text, 'BTC <30');
    assert.deepEqual(message.chat, { id: 42, type: 'private', first_name: 'User 42' });
    assert.deepEqual(message.reply_markup, markup);
    const bad = await botCall(s, 'sendMessage', { chat_id: 42, text: 'BTC <30', parse_mode: 'HTML' });
    assert.equal(bad.status, 400);
    assert.match(String(bad.body.description), /^Bad Request: can't parse entities/);
    const data = await botCall(s, 'sendMessage', { chat_id: 42, text: 'x', reply_markup: { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] } });
    assert.deepEqual(data.body, { ok: false, error_code: 400, description: 'Bad Request: BUTTON_DATA_INVALID' });
    const sent = (await (await fetch(`${s.url}/_telegram/messages`)).json()) as { result: { chat_id: number; plain: string }[] };
    assert.deepEqual(
      sent.result.map((m) => [m.chat_id, m.plain]),
      [[42, 'BTC <30']],
    );
  });
});

test('telegram endpoint - injected faults: 429 with retry_after, 500, then the call succeeds; getUpdates is spared', async () => {
  await withServer(async (s) => {
    await control(s, 'faults', [
      { kind: 'retry_after', seconds: 3, count: 1 },
      { kind: '5xx', count: 1 },
    ]);
    assert.equal((await botCall(s, 'getUpdates', {})).status, 200);
    assert.deepEqual((await botCall(s, 'sendMessage', { chat_id: 1, text: 'a' })).body, {
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 3',
      parameters: { retry_after: 3 },
    });
    assert.equal((await botCall(s, 'sendMessage', { chat_id: 1, text: 'a' })).status, 500);
    assert.equal((await botCall(s, 'sendMessage', { chat_id: 1, text: 'a' })).status, 200);
    await control(s, 'faults', [{ kind: 'drop', count: 1, method: 'sendMessage' }]);
    await assert.rejects(botCall(s, 'sendMessage', { chat_id: 1, text: 'b' }));
    await control(s, 'faults', [{ kind: 'drop_after', count: 1, method: 'sendMessage' }]);
    await assert.rejects(botCall(s, 'sendMessage', { chat_id: 1, text: 'c' }));
    assert.deepEqual(
      s.telegram.calls.filter((c) => c.method === 'sendMessage').map((c) => c.status),
      [429, 500, 200, 0, 0],
    );
    // Dropped before: not sent; dropped after: sent, the answer lost.
    assert.deepEqual(
      s.telegram.sent.map((m) => m.plain),
      ['a', 'c'],
    );
  });
});

test('telegram endpoint - a migrated group answers 400 with migrate_to_chat_id, and the supergroup takes the message', async () => {
  await withServer(async (s) => {
    await control(s, 'migrate', { chat_id: -4001, to_chat_id: -1009000004001 });
    assert.deepEqual((await botCall(s, 'sendMessage', { chat_id: -4001, text: 'hi' })).body, {
      ok: false,
      error_code: 400,
      description: 'Bad Request: group chat was upgraded to a supergroup chat',
      parameters: { migrate_to_chat_id: -1009000004001 },
    });
    const moved = await botCall(s, 'sendMessage', { chat_id: '-1009000004001', text: 'hi' });
    assert.equal((moved.body.result as { chat: { type: string } }).chat.type, 'supergroup');
  });
});

test('telegram endpoint - getUpdates long-polls until an update is injected, marks the command, and offset confirms', async () => {
  await withServer(async (s) => {
    const polling = botCall(s, 'getUpdates', { timeout: 20 });
    await new Promise((r) => setTimeout(r, 50));
    await control(s, 'updates', { message: { chat_id: 77, text: '/start abc123' } });
    const first = (await polling).body.result as { update_id: number; message: { text: string; entities: unknown } }[];
    assert.equal(first.length, 1);
    assert.equal(first[0]?.message.text, '/start abc123');
    assert.deepEqual(first[0]?.message.entities, [{ type: 'bot_command', offset: 0, length: 6 }]);
    const id = first[0]?.update_id ?? 0;
    assert.equal(((await botCall(s, 'getUpdates', { offset: id })).body.result as unknown[]).length, 1);
    assert.deepEqual((await botCall(s, 'getUpdates', { offset: id + 1 })).body.result, []);
    // A button press refers to a message the bot sent, and carries its data.
    const sent = (await botCall(s, 'sendMessage', { chat_id: 77, text: 'alert', reply_markup: { inline_keyboard: [[{ text: 'Mute', callback_data: 'mute:1' }]] } })).body.result as { message_id: number };
    assert.match(String((await control(s, 'updates', { callback_query: { chat_id: 77, message_id: 999, data: 'mute:1' } })).description), /was not sent/);
    await control(s, 'updates', { callback_query: { chat_id: 77, message_id: sent.message_id, data: 'mute:1' } });
    const press = (await botCall(s, 'getUpdates', { offset: id + 1 })).body.result as { callback_query: { data: string; message: { message_id: number } } }[];
    assert.equal(press[0]?.callback_query.data, 'mute:1');
    assert.equal(press[0]?.callback_query.message.message_id, sent.message_id);
  });
});

test('telegram endpoint - getUpdates polls are counted per bot id: two waiting at once show as maxOpen 2, one after another as 1', async () => {
  await withServer(async (s) => {
    await botCall(s, 'getUpdates', { timeout: 0 });
    await botCall(s, 'getUpdates', { timeout: 0 });
    assert.deepEqual(s.telegram.polls(), { '123456': { started: 2, open: 0, maxOpen: 1 } });
    const waiting = [botCall(s, 'getUpdates', { timeout: 5 }), botCall(s, 'getUpdates', { timeout: 5 })];
    for (let i = 0; i < 100 && (s.telegram.polls()['123456']?.open ?? 0) < 2; i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(s.telegram.polls(), { '123456': { started: 4, open: 2, maxOpen: 2 } });
    assert.equal((await control(s, 'updates', { message: { chat_id: 42, text: 'hi' } })).ok, true);
    await Promise.all(waiting);
    const calls = (await (await fetch(`${s.url}/_telegram/calls`)).json()) as { result: { polls: unknown } };
    assert.deepEqual(calls.result.polls, { '123456': { started: 4, open: 0, maxOpen: 2 } });
  });
});
