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
import { DEFAULT_CLAIM_LEASE_MS, OutboxWorker, type ChannelKind, type DeliveryChannel, type Notice } from '../src/alerts/delivery/index.js';

const CHILD = fileURLToPath(new URL('./support/delivery-child.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const T0 = Date.UTC(2024, 0, 2, 10);

export interface KillBackend {
  makeDb(): Promise<{ db: string; drop(): Promise<void> }>;
  open(db: string): Promise<Store>;
  /** A second worker's store: its own connection (PostgreSQL), or the same one (DuckDB: one process per file). */
  second(db: string, first: Store): Promise<Store>;
}

/** Counts each idempotency key it is handed, after a short wait (a send takes time, so claims race). */
class CountingChannel implements DeliveryChannel {
  readonly kind: ChannelKind = 'webhook';
  readonly sent = new Map<string, number>();
  async deliver(_target: string, notice: Notice): Promise<void> {
    await new Promise((r) => setTimeout(r, 2 + Math.floor(Math.random() * 8)));
    this.sent.set(notice.idempotencyKey, (this.sent.get(notice.idempotencyKey) ?? 0) + 1);
  }
}

/** Runs the child; resolves once it exits, having killed it with SIGKILL at the pause marker when `pauseMs` is set. */
function runChild(db: string, apiRoot: string, pauseMs?: number, clockOffsetMs = 0): Promise<{ stdout: string; signal: NodeJS.Signals | null; code: number | null }> {
  return new Promise((resolve, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.TELEGRAM_BOT_TOKEN;
    if (pauseMs !== undefined) env[PAUSE_SEND_ENV] = String(pauseMs);
    const child = spawn(process.execPath, ['--import', TSX, CHILD, db, apiRoot, String(clockOffsetMs)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
  test(`delivery claims (${name}) - two outbox workers in parallel over 120 due rows send each exactly once; a lapsed claim is taken over`, async () => {
    const { db, drop } = await backend.makeDb();
    const store = await backend.open(db);
    const other = await backend.second(db, store);
    const stop = new AbortController();
    try {
      const user = await store.createUser('ida', 'user', 'UTC', '$scrypt$not-used-here', T0);
      const rule = await store.createRule(user.id, 'dip', { expression: 'rsi:14 < 30' }, T0);
      const base = { ruleId: rule.id, userId: user.id, exchange: 'binance', symbol: 'BTCUSDT', interval: '1h', barOpenTime: T0 - 3_600_000, inputs: {}, incomplete: false, message: 'dip' };
      // 40 firings (one per bar: a rule fires once per bar) × 3 webhook targets: rows of one target go one at a time per worker.
      const firings = await store.recordEvaluation([], Array.from({ length: 40 }, (_, i) => ({ ...base, barOpenTime: base.barOpenTime - i * 3_600_000, firedAt: T0 + i, channels: [0, 1, 2].map((t) => `webhook:https://hooks.example/${(i + t) % 7}`) })));
      assert.equal(firings.length, 40);
      const channels = [new CountingChannel(), new CountingChannel()];
      const workers = [store, other].map((s, i) => new OutboxWorker(s, { channels: [channels[i] as CountingChannel], now: () => T0 + 60_000, pollMs: 5, perKind: 6 }));
      const runs = workers.map((w) => w.run(stop.signal));
      await until('every row delivered', async () => {
        const rows = (await Promise.all(firings.map((f) => store.listOutbox(f.id)))).flat();
        return rows.length === 120 && rows.every((r) => r.status === 'delivered');
      });
      stop.abort();
      await Promise.all(runs);
      const [a, b] = channels.map((c) => c.sent);
      assert.ok(a && b);
      const keys = new Set([...a.keys(), ...b.keys()]);
      assert.equal(keys.size, 120, 'every row was sent');
      const twice = [...keys].filter((k) => (a.get(k) ?? 0) + (b.get(k) ?? 0) !== 1);
      assert.deepEqual(twice, [], 'no row was sent twice');
      assert.ok(a.size > 0 && b.size > 0, `both workers sent (${a.size} + ${b.size})`);

      // A worker that died holding a claim: the row is not due while the lease runs, then any worker takes it.
      const [late] = await store.recordEvaluation([], [{ ...base, barOpenTime: T0, firedAt: T0 + 100, channels: ['dashboard'] }]);
      assert.ok(late);
      const [row] = await store.listOutbox(late.id);
      assert.ok(row);
      assert.deepEqual((await store.claimOutbox([row.id], T0 + 200, 1_000)).map((o) => o.id), [row.id]);
      assert.deepEqual(await other.claimOutbox([row.id], T0 + 1_199, 1_000), [], 'a live claim is not taken');
      assert.deepEqual((await other.dueOutbox(T0 + 1_199, 10)).map((o) => o.id), [], 'nor listed as due');
      assert.deepEqual((await other.dueOutbox(T0 + 1_200, 10)).map((o) => o.id), [row.id], 'a lapsed one is due again');
      const [won, lost] = await Promise.all([other.claimOutbox([row.id], T0 + 1_200, 1_000), store.claimOutbox([row.id], T0 + 1_200, 1_000)]);
      assert.equal((won?.length ?? 0) + (lost?.length ?? 0), 1, 'two claimers racing for it: exactly one wins');
      await store.releaseOutbox(row.id);
      assert.deepEqual((await store.dueOutbox(T0 + 1_201, 10)).map((o) => o.id), [row.id], 'a released claim is due at once');
    } finally {
      stop.abort();
      if (other !== store) await other.close();
      await store.close();
      await drop();
    }
  });

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

      // The killed worker had claimed the row: a restart delivers it once that claim has lapsed.
      const early = await runChild(db, server.urls.telegram);
      assert.match(early.stdout, /drained/);
      assert.equal(server.telegram.sent.length, 0, 'a live claim holds the row');
      const restarted = await runChild(db, server.urls.telegram, undefined, DEFAULT_CLAIM_LEASE_MS + 1_000);
      assert.match(restarted.stdout, /drained/);
      assert.deepEqual(
        server.telegram.sent.map((m) => [m.chat_id, m.plain.split('\n')[1]]),
        [[1001, 'RSI 27.9 < 30']],
      );

      // A third start finds nothing to send: delivered exactly once.
      await runChild(db, server.urls.telegram, undefined, 2 * DEFAULT_CLAIM_LEASE_MS);
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
