/**
 * Delivery survives a crash (issue 16, "Bad input"): a firing is stored with its outbox row, the
 * delivering process is killed with SIGKILL after reading the row and before sending it, and a
 * restarted process delivers it exactly once. The local Telegram endpoint (in this process, so it
 * outlives the kills) counts what arrives. Run by one test file per backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startReplayServer } from '../src/replay/replay-server.js';
import { REPLAY_BOT_TOKEN } from '../src/cli/delivery-setup.js';
import type { Store } from '../src/store/store.js';
import { PAUSE_SEND_ENV, PAUSE_SEND_MARKER } from '../src/cli/test-pause.js';

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

export function deliveryKillScenario(name: string, backend: KillBackend): void {
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
