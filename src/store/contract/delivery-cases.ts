/** Contract cases for the delivery outbox (due order, back-off, giving up) and Telegram chat links with their one-time codes. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { OutboxItem } from '../alert-records.js';
import type { Store } from '../store.js';
import { firing, newUser } from './alert-helpers.js';
import { withStore } from './contract-helpers.js';

const T0 = 1_704_067_200_000; // 2024-01-01T00:00Z
const H = 3_600_000;

/** Due rows of one user only (cases share the database). */
async function dueOf(store: Store, userId: number, now: number): Promise<OutboxItem[]> {
  return (await store.dueOutbox(now, 100_000)).filter((o) => o.userId === userId);
}

export function registerDeliveryCases(name: string, makeStore: () => Promise<Store>): void {
  test(`${name} store - outbox: due rows come longest due first, a failed attempt backs off behind newer rows, delivered and given-up rows leave`, () =>
    withStore(makeStore, async (store) => {
      const a = await newUser(store);
      const rule = await store.createRule(a.id, 'r', { expression: 'close > 1' }, T0);
      const [f1, f2] = await store.recordEvaluation([], [
        firing(rule.id, a.id, T0, ['telegram:7', 'webhook:https://example.test/h']),
        firing(rule.id, a.id, T0 + H, ['dashboard']),
      ]);
      assert.ok(f1 && f2);
      const key = (o: OutboxItem): string => `${o.firingId}/${o.channel}`;
      assert.deepEqual(await dueOf(store, a.id, f1.firedAt - 1), [], 'nothing is due before its firing');
      assert.deepEqual((await dueOf(store, a.id, f1.firedAt)).map(key), [`${f1.id}/telegram:7`, `${f1.id}/webhook:https://example.test/h`]);
      const due = await dueOf(store, a.id, f2.firedAt);
      assert.deepEqual(due.map(key), [`${f1.id}/telegram:7`, `${f1.id}/webhook:https://example.test/h`, `${f2.id}/dashboard`]);
      const [tg, wh, dash] = due;
      assert.ok(tg && wh && dash);

      await store.markAttemptFailed(tg.id, 'HTTP 429: retry after 30 s', f2.firedAt + 60_000);
      assert.deepEqual((await dueOf(store, a.id, f2.firedAt)).map(key), [`${f1.id}/webhook:https://example.test/h`, `${f2.id}/dashboard`]);
      const later = await dueOf(store, a.id, f2.firedAt + 60_000);
      assert.deepEqual(later.map(key), [`${f1.id}/webhook:https://example.test/h`, `${f2.id}/dashboard`, `${f1.id}/telegram:7`]);
      assert.deepEqual(later.at(-1), { ...tg, attempts: 1, lastError: 'HTTP 429: retry after 30 s', nextAttemptAt: f2.firedAt + 60_000 });

      await store.markDelivered(wh.id, f2.firedAt + 5);
      await store.markAttemptFailed(dash.id, 'x'.repeat(5_000), null);
      await store.markDelivered(dash.id, f2.firedAt + 6); // a late success report does not revive a row given up
      assert.deepEqual((await dueOf(store, a.id, Number.MAX_SAFE_INTEGER)).map(key), [`${f1.id}/telegram:7`]);
      const [, delivered] = await store.listOutbox(f1.id);
      assert.deepEqual(delivered, { ...wh, status: 'delivered', attempts: 1, deliveredAt: f2.firedAt + 5 });
      const [failed] = await store.listOutbox(f2.id);
      assert.equal(failed?.status, 'failed');
      assert.equal(failed.attempts, 1);
      assert.equal(failed.deliveredAt, null);
      assert.equal(failed.lastError?.length, 2_000, 'a long error is kept bounded');
    }));

  test(`${name} store - a link code links a chat once, not after its expiry, and never another code`, () =>
    withStore(makeStore, async (store) => {
      const a = await newUser(store);
      const b = await newUser(store);
      const chat = `${a.id}00${b.id}`;
      await store.createLinkCode(a.id, `code-${chat}-a`, T0 + 600_000);
      await store.createLinkCode(b.id, `code-${chat}-b`, T0 + 600_000);
      assert.equal(await store.redeemLinkCode(`code-${chat}-c`, chat, null, T0), null, 'an unknown code');
      assert.equal(await store.chatOwner(chat), null);
      assert.deepEqual(await store.redeemLinkCode(`code-${chat}-a`, chat, 'Trading desk', T0 + 1_000), { userId: a.id, chatId: chat, title: 'Trading desk', linkedAt: T0 + 1_000 });
      assert.equal(await store.chatOwner(chat), a.id);
      assert.deepEqual(await store.listChatLinks(a.id), [{ userId: a.id, chatId: chat, title: 'Trading desk', linkedAt: T0 + 1_000 }]);
      assert.equal(await store.redeemLinkCode(`code-${chat}-a`, `9${chat}`, null, T0 + 2_000), null, 'a code links once');
      assert.equal(await store.chatOwner(`9${chat}`), null);
      assert.equal(await store.redeemLinkCode(`code-${chat}-b`, chat, null, T0 + 600_000), null, 'valid only before its expiry');
      assert.equal(await store.chatOwner(chat), a.id);

      assert.equal(await store.unlinkChat(b.id, chat), false, "B cannot unlink A's chat");
      assert.deepEqual(await store.linkChat(b.id, chat, null, T0 + 3_000), { userId: b.id, chatId: chat, title: null, linkedAt: T0 + 3_000 });
      assert.equal(await store.chatOwner(chat), b.id, 'linking again moves the chat');
      assert.deepEqual(await store.listChatLinks(a.id), []);
      assert.ok((await store.listChatLinks()).some((l) => l.chatId === chat && l.userId === b.id));
      assert.equal(await store.unlinkChat(b.id, chat), true);
      assert.equal(await store.chatOwner(chat), null);
    }));

  test(`${name} store - a group migrated to a supergroup keeps its link, and its pending deliveries follow the new chat id`, () =>
    withStore(makeStore, async (store) => {
      const a = await newUser(store);
      const group = `-${a.id}42`;
      const supergroup = `-100${a.id}42`;
      await store.linkChat(a.id, group, 'Group', T0);
      const rule = await store.createRule(a.id, 'r', { expression: 'close > 1' }, T0);
      const [sent, waiting] = await store.recordEvaluation([], [firing(rule.id, a.id, T0, [`telegram:${group}`]), firing(rule.id, a.id, T0 + H, [`telegram:${group}`])]);
      assert.ok(sent && waiting);
      const [sentRow] = await store.listOutbox(sent.id);
      assert.ok(sentRow);
      await store.markDelivered(sentRow.id, T0 + H + 1);

      await store.migrateChat(group, supergroup);
      assert.equal(await store.chatOwner(group), null);
      assert.equal(await store.chatOwner(supergroup), a.id);
      assert.deepEqual(await store.listChatLinks(a.id), [{ userId: a.id, chatId: supergroup, title: 'Group', linkedAt: T0 }]);
      assert.deepEqual((await store.listOutbox(sent.id)).map((o) => o.channel), [`telegram:${group}`], 'a delivered row keeps the id it went to');
      const [moved] = await store.listOutbox(waiting.id);
      assert.equal(moved?.channel, `telegram:${supergroup}`);
      assert.equal(moved.idempotencyKey, `firing-${waiting.id}-telegram:${group}`, 'the delivery keeps its key');
      assert.equal(moved.status, 'pending');
    }));
}
