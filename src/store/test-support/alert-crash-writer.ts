/**
 * Child process for the alert records' crash test: on a fresh DuckDB file (migrations 005 to 007
 * still only in its WAL), makes one of every kind of alert and user write, prints `written`, then
 * starts one more evaluation and, paused before its COMMIT, prints `paused` and waits for SIGKILL.
 * The ids it used go to stdout as `ids <json>` for the parent to check.
 * Usage: node --import tsx alert-crash-writer.ts <db>
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { NewFiring } from '../alert-records.js';
import { openStore } from '../open-store.js';

const [db] = process.argv.slice(2);
if (!db) throw new Error('usage: alert-crash-writer.ts <db>');
let armed = false;
const store = await openStore(db, {
  beforeCommit: async () => {
    if (!armed) return;
    process.stdout.write('paused\n');
    await sleep(60_000);
  },
});
const T0 = 1_704_067_200_000;
const firing = (ruleId: number, userId: number, barOpenTime: number, channels: string[]): NewFiring => ({
  ruleId, userId, exchange: 'binance', symbol: 'BTCUSDT', interval: '1h', barOpenTime, firedAt: barOpenTime + 3_600_000,
  inputs: { close: 1 }, incomplete: false, message: 'm', channels,
});

const alice = await store.createUser('alice', 'admin', 'UTC', 'hash-a', T0);
const bob = await store.createUser('bob', 'user', 'UTC', 'hash-b', T0);
await store.setPasswordHash(alice.id, 'hash-a2');
await store.updateUser(bob.id, { timezone: 'Europe/Amsterdam' });
const kept = await store.createRule(alice.id, 'kept', { expression: 'rsi:14 < 30' }, T0);
const gone = await store.createRule(alice.id, 'gone', { expression: 'close > 1' }, T0);
await store.updateRule(alice.id, kept.id, { enabled: false, mutedUntil: T0 + 1 }, T0 + 1);
const [first] = await store.recordEvaluation([{ ruleId: kept.id, state: { n: 1 }, updatedAt: T0 }], [firing(kept.id, alice.id, T0, ['telegram:-5', 'dashboard'])]);
const [tg, dash] = await store.listOutbox(first?.id ?? -1);
await store.claimOutbox([tg?.id ?? -1, dash?.id ?? -1], T0 + 1, 300_000);
await store.markAttemptFailed(tg?.id ?? -1, 'HTTP 502', T0 + 60_000);
await store.markDelivered(dash?.id ?? -1, T0 + 5);
await store.linkChat(alice.id, '-5', 'group', T0);
await store.migrateChat('-5', '-1005');
await store.createLinkCode(bob.id, 'code-b', T0 + 600_000);
await store.redeemLinkCode('code-b', '77', null, T0 + 1);
const token = await store.createApiToken(bob.id, 'cli', 'token-hash-b', T0);
await store.userForTokenHash('token-hash-b', T0 + 120_000);
await store.revokeApiToken(bob.id, token.id, T0 + 200_000);
await store.deleteRule(alice.id, gone.id);
process.stdout.write(`ids ${JSON.stringify({ alice: alice.id, bob: bob.id, kept: kept.id, gone: gone.id, firing: first?.id, token: token.id })}\nwritten\n`);

armed = true;
await store.recordEvaluation([{ ruleId: kept.id, state: { n: 2 }, updatedAt: T0 + 3_600_000 }], [firing(kept.id, alice.id, T0 + 3_600_000, ['webhook:https://x.test'])]);
