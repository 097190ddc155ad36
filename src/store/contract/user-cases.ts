/** Contract cases for users, their API tokens, and deleting a user with everything of theirs. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { Store } from '../store.js';
import { firing, newUser } from './alert-helpers.js';
import { withStore } from './contract-helpers.js';

const T0 = 1_704_067_200_000; // 2024-01-01T00:00Z

export function registerUserCases(name: string, makeStore: () => Promise<Store>): void {
  test(`${name} store - users: created once per name, read with their hash only by name, changed, and listed`, () =>
    withStore(makeStore, async (store) => {
      const name = `alice_${randomBytes(4).toString('hex')}`;
      const alice = await store.createUser(name, 'admin', 'Europe/Amsterdam', 'scrypt$hash-1', T0);
      assert.deepEqual(alice, { id: alice.id, name, role: 'admin', timezone: 'Europe/Amsterdam', createdAt: T0 });
      await assert.rejects(store.createUser(name, 'user', 'UTC', 'scrypt$hash-2', T0), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'BAD_INPUT');
        assert.equal(err.message, `user "${name}" already exists`);
        return true;
      });
      assert.deepEqual(await store.getUserByName(name), { ...alice, passwordHash: 'scrypt$hash-1' });
      assert.deepEqual(await store.getUser(alice.id), alice, 'no hash outside the login lookup');
      assert.equal(await store.getUserByName(`${name}_x`), null);

      assert.equal(await store.setPasswordHash(alice.id, 'scrypt$hash-3'), true);
      assert.equal((await store.getUserByName(name))?.passwordHash, 'scrypt$hash-3');
      assert.deepEqual(await store.updateUser(alice.id, { timezone: 'America/New_York' }), { ...alice, timezone: 'America/New_York' });
      assert.deepEqual(await store.updateUser(alice.id, { role: 'user' }), { ...alice, timezone: 'America/New_York', role: 'user' });
      const bob = await newUser(store);
      const listed = (await store.listUsers()).filter((u) => u.id === alice.id || u.id === bob.id);
      assert.deepEqual(listed, [{ ...alice, timezone: 'America/New_York', role: 'user' }, bob]);

      const missing = bob.id + 1_000_000;
      assert.equal(await store.getUser(missing), null);
      assert.equal(await store.setPasswordHash(missing, 'x'), false);
      assert.equal(await store.updateUser(missing, { role: 'admin' }), null);
      assert.equal(await store.deleteUser(missing), false);
    }));

  test(`${name} store - API tokens: found by hash until revoked, last use kept to the minute, revoked only by their user`, () =>
    withStore(makeStore, async (store) => {
      const a = await newUser(store);
      const b = await newUser(store);
      const hash = randomBytes(32).toString('hex');
      const token = await store.createApiToken(a.id, 'laptop', hash, T0);
      assert.deepEqual(token, { id: token.id, userId: a.id, label: 'laptop', createdAt: T0, lastUsedAt: null, revokedAt: null });
      const other = await store.createApiToken(a.id, 'phone', randomBytes(32).toString('hex'), T0 + 1);

      assert.deepEqual(await store.userForTokenHash(hash, T0 + 10_000), a);
      assert.equal(await store.userForTokenHash(randomBytes(32).toString('hex'), T0), null);
      await store.userForTokenHash(hash, T0 + 59_999);
      assert.equal((await store.listApiTokens(a.id))[0]?.lastUsedAt, T0 + 10_000, 'not rewritten within the minute');
      await store.userForTokenHash(hash, T0 + 70_000);
      assert.equal((await store.listApiTokens(a.id))[0]?.lastUsedAt, T0 + 70_000);

      assert.equal(await store.revokeApiToken(b.id, token.id, T0 + 80_000), false, "B cannot revoke A's token");
      assert.deepEqual(await store.userForTokenHash(hash, T0 + 80_001), a);
      assert.equal(await store.revokeApiToken(a.id, token.id, T0 + 90_000), true);
      assert.equal(await store.userForTokenHash(hash, T0 + 90_001), null);
      assert.equal(await store.revokeApiToken(a.id, token.id, T0 + 95_000), false, 'a revoked token stays revoked at its first time');
      assert.deepEqual(await store.listApiTokens(a.id), [{ ...token, lastUsedAt: T0 + 70_000, revokedAt: T0 + 90_000 }, other]);
      assert.deepEqual(await store.listApiTokens(b.id), []);
    }));

  test(`${name} store - deleting a user removes their rules, states, firings, deliveries, chats, codes and tokens, and nothing of another user`, () =>
    withStore(makeStore, async (store) => {
      const a = await newUser(store);
      const b = await newUser(store);
      const hash = randomBytes(32).toString('hex');
      await store.createApiToken(a.id, 'cli', hash, T0);
      const ruleA = await store.createRule(a.id, 'a', { expression: 'close > 1' }, T0);
      const ruleB = await store.createRule(b.id, 'b', { expression: 'close > 1' }, T0);
      const [fa, fb] = await store.recordEvaluation(
        [{ ruleId: ruleA.id, state: { a: 1 }, updatedAt: T0 }, { ruleId: ruleB.id, state: { b: 1 }, updatedAt: T0 }],
        [firing(ruleA.id, a.id, T0, [`telegram:${a.id}`]), firing(ruleB.id, b.id, T0, ['dashboard'])],
      );
      assert.ok(fa && fb);
      await store.linkChat(a.id, `${a.id}`, null, T0);
      await store.createLinkCode(a.id, `del-${a.id}`, T0 + 600_000);

      assert.equal(await store.deleteUser(a.id), true);
      assert.equal(await store.getUser(a.id), null);
      assert.equal(await store.getRule(a.id, ruleA.id), null);
      const states = await store.listRuleStates();
      assert.equal(states.find((s) => s.ruleId === ruleA.id), undefined);
      assert.deepEqual(await store.listFirings(a.id, { limit: 10 }), []);
      assert.equal(await store.getFiring(fa.id), null);
      assert.deepEqual(await store.listOutbox(fa.id), []);
      assert.equal(await store.chatOwner(`${a.id}`), null);
      assert.equal(await store.redeemLinkCode(`del-${a.id}`, `${a.id}`, null, T0), null);
      assert.equal(await store.userForTokenHash(hash, T0), null);
      assert.equal(await store.deleteUser(a.id), false);

      assert.deepEqual(await store.getRule(b.id, ruleB.id), ruleB);
      assert.deepEqual(states.find((s) => s.ruleId === ruleB.id)?.state, { b: 1 });
      assert.deepEqual(await store.listFirings(b.id, { limit: 10 }), [fb]);
      assert.equal((await store.listOutbox(fb.id)).length, 1);
    }));
}
