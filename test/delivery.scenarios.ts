/**
 * Delivery on a real store, run by one test file per backend. It survives a crash (issue 16,
 * "Bad input"): a firing is stored with its outbox row, the delivering process is killed with
 * SIGKILL after reading the row and before sending it, and a restarted process delivers it
 * exactly once; the local Telegram endpoint (in this process, so it outlives the kills) counts
 * what arrives. And the store's side of Telegram: a group's migration moves its link and pending
 * rows, and the bot's commands link chats with one-time codes and mute the owner's rules.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startReplayServer } from '../src/replay/replay-server.js';
import type { Store } from '../src/store/store.js';
import { PAUSE_SEND_ENV, PAUSE_SEND_MARKER } from '../src/cli/test-pause.js';
import { REPLAY_BOT_TOKEN, setupDelivery } from '../src/cli/delivery-setup.js';
import { configSchema } from '../src/core/config.js';
import { createLogger } from '../src/cli/logger.js';

const CHILD = fileURLToPath(new URL('./support/delivery-child.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const T0 = Date.UTC(2024, 0, 2, 10);

export interface KillBackend {
  makeDb(): Promise<{ db: string; drop(): Promise<void> }>;
  open(db: string): Promise<Store>;
}

/** Runs the child; resolves once it exits, having killed it with SIGKILL at the pause marker when `pauseMs` is set. */
function runChild(db: string, apiRoot: string, pauseMs?: number): Promise<{ stdout: string; signal: NodeJS.Signals | null; code: number | null }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.TELEGRAM_BOT_TOKEN;
    if (pauseMs !== undefined) env[PAUSE_SEND_ENV] = String(pauseMs);
    const child = spawn(process.execPath, ['--import', TSX, CHILD, db, apiRoot], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString('utf8');
      if (pauseMs !== undefined && stderr.includes(PAUSE_SEND_MARKER)) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === null && code !== 0) reject(new Error(`delivery child exited ${code}: ${stderr}`));
      else resolve({ stdout, signal, code });
    });
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false> | T | undefined | null | false): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const got = await probe();
    if (got !== undefined && got !== null && got !== false) return got;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

export function deliveryScenarios(name: string, backend: KillBackend): void {
  test(`delivery (${name}) - a group upgraded to a supergroup: the stored link and pending rows follow, both alerts arrive there once`, async () => {
    const server = await startReplayServer({ now: T0, speed: 0, telegram: { token: REPLAY_BOT_TOKEN } });
    const { db, drop } = await backend.makeDb();
    const store = await backend.open(db);
    try {
      const user = await store.createUser('ana', 'user', 'UTC', '$scrypt$not-used-here', T0);
      const rule = await store.createRule(user.id, 'breakout', { expression: 'close > sr.resistance' }, T0);
      await store.linkChat(user.id, '-4001', 'desk', T0);
      const bar = { ruleId: rule.id, userId: user.id, exchange: 'binance', symbol: 'ETHUSDT', interval: '1h', barOpenTime: T0 - 3_600_000, firedAt: T0, inputs: {}, incomplete: false, channels: ['telegram:-4001'] };
      const firings = await store.recordEvaluation([], [{ ...bar, message: 'first' }, { ...bar, barOpenTime: T0, firedAt: T0 + 1, message: 'second' }]);
      server.telegram.migrate(-4001, -1009000004001);
      const delivery = setupDelivery(store, configSchema.parse({}), { coingeckoApiKey: undefined, telegramBotToken: undefined, webhookKey: undefined }, createLogger('silent'), { replayTelegramUrl: server.urls.telegram, now: () => T0 + 10 });
      for (let i = 0; i < 3; i++) {
        await delivery.worker.pollOnce();
        await delivery.worker.idle();
      }
      assert.deepEqual(
        (await store.listChatLinks(user.id)).map((l) => [l.chatId, l.title]),
        [['-1009000004001', 'desk']],
      );
      const rows = (await Promise.all(firings.map((f) => store.listOutbox(f.id)))).flat();
      assert.deepEqual(
        rows.map((r) => [r.channel, r.status]),
        [
          ['telegram:-1009000004001', 'delivered'],
          ['telegram:-1009000004001', 'delivered'],
        ],
      );
      assert.deepEqual(
        server.telegram.sent.map((m) => [m.chat_id, m.plain.split('\n')[1]]),
        [
          [-1009000004001, 'first'],
          [-1009000004001, 'second'],
        ],
      );
    } finally {
      await store.close();
      await server.close();
      await drop();
    }
  });

  test(`delivery (${name}) - bot commands on the store: a one-time code links a chat once, an unlinked chat changes nothing, /mute mutes the owner's rules`, async () => {
    const server = await startReplayServer({ now: T0, speed: 0, telegram: { token: REPLAY_BOT_TOKEN } });
    const { db, drop } = await backend.makeDb();
    const store = await backend.open(db);
    const stop = new AbortController();
    let running: Promise<void> | undefined;
    try {
      const owner = await store.createUser('lee', 'user', 'UTC', '$scrypt$not-used-here', T0);
      const rule = await store.createRule(owner.id, 'oversold', { expression: 'rsi:14 < 30' }, T0);
      await store.createLinkCode(owner.id, 'K7Q2-PLM9', T0 + 600_000);
      const delivery = setupDelivery(store, configSchema.parse({}), { coingeckoApiKey: undefined, telegramBotToken: undefined, webhookKey: undefined }, createLogger('silent'), { replayTelegramUrl: server.urls.telegram, now: () => T0 + 60_000 });
      assert.ok(delivery.telegram);
      running = delivery.telegram.run(stop.signal);
      const ask = async (chat: number, text: string): Promise<string> => {
        const before = server.telegram.sent.filter((m) => m.chat_id === chat).length;
        server.telegram.inject({ message: { chat_id: chat, text } });
        return (await until(`a reply to ${text}`, () => server.telegram.sent.filter((m) => m.chat_id === chat)[before])).plain;
      };
      assert.match(await ask(901, '/mute 15'), /not linked/);
      assert.equal((await store.getRule(owner.id, rule.id))?.mutedUntil, null);
      assert.match(await ask(901, '/start K7Q2-PLM9'), /^Linked/);
      assert.equal(await store.chatOwner('901'), owner.id);
      assert.match(await ask(902, '/start K7Q2-PLM9'), /unknown, used or expired/);
      assert.equal(await store.chatOwner('902'), null);
      assert.equal(await ask(901, '/mute 15'), 'Muted 1 rule(s) until 2024-01-02T10:16Z.');
      assert.equal((await store.getRule(owner.id, rule.id))?.mutedUntil, T0 + 60_000 + 15 * 60_000);
    } finally {
      stop.abort();
      await running;
      await store.close();
      await server.close();
      await drop();
    }
  });

  test(`delivery kill (${name}) - SIGKILL after the firing is stored and before it is sent; the restart delivers it exactly once`, async () => {
    const server = await startReplayServer({ now: T0, speed: 0, telegram: { token: REPLAY_BOT_TOKEN } });
    const { db, drop } = await backend.makeDb();
    try {
      let store = await backend.open(db);
      const user = await store.createUser('kim', 'user', 'UTC', '$scrypt$not-used-here', T0);
      const rule = await store.createRule(user.id, 'dip', { expression: 'rsi:14 < 30' }, T0);
      await store.linkChat(user.id, '1001', 'kim', T0);
      const [firing] = await store.recordEvaluation(
        [],
        [{ ruleId: rule.id, userId: user.id, exchange: 'binance', symbol: 'BTCUSDT', interval: '1h', barOpenTime: T0 - 3_600_000, firedAt: T0, inputs: { rsi14: 27.9 }, incomplete: false, message: 'RSI 27.9 < 30', channels: ['telegram:1001'] }],
      );
      assert.ok(firing);
      await store.close();

      const killed = await runChild(db, server.urls.telegram, 60_000);
      assert.equal(killed.signal, 'SIGKILL');
      assert.equal(server.telegram.sent.length, 0, 'nothing was sent before the kill');

      const restarted = await runChild(db, server.urls.telegram);
      assert.match(restarted.stdout, /drained/);
      assert.deepEqual(
        server.telegram.sent.map((m) => [m.chat_id, m.plain.split('\n')[1]]),
        [[1001, 'RSI 27.9 < 30']],
      );

      // A third start finds nothing to send: delivered exactly once.
      await runChild(db, server.urls.telegram);
      assert.equal(server.telegram.sent.length, 1);
      store = await backend.open(db);
      const rows = await store.listOutbox(firing.id);
      await store.close();
      assert.deepEqual(
        rows.map((r) => [r.channel, r.status]),
        [['telegram:1001', 'delivered']],
      );
    } finally {
      await server.close();
      await drop();
    }
  });
}
