/** Contract cases for alert rules, their states, and one evaluation's firings and outbox rows written together. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../store.js';
import { firing, newUser } from './alert-helpers.js';
import { withStore } from './contract-helpers.js';

const T0 = 1_704_067_200_000; // 2024-01-01T00:00Z
const definition = { expression: 'rsi:14 < 30', scope: { symbols: ['BTCUSDT', 'ETHUSDT'] }, interval: '1h', channels: ['telegram:42'], quiet: null };

export function registerRuleCases(name: string, makeStore: () => Promise<Store>): void {
  test(`${name} store - rules: a user reads, changes and deletes only their own, another user's rule reads as absent`, () =>
    withStore(makeStore, async (store) => {
      const a = await newUser(store);
      const b = await newUser(store);
      const rule = await store.createRule(a.id, 'oversold', definition, T0);
      assert.deepEqual(rule, { id: rule.id, userId: a.id, name: 'oversold', definition, enabled: true, mutedUntil: null, createdAt: T0, updatedAt: T0 });
      assert.deepEqual(await store.getRule(a.id, rule.id), rule);

      assert.equal(await store.getRule(b.id, rule.id), null);
      assert.equal(await store.updateRule(b.id, rule.id, { name: 'stolen', enabled: false }, T0 + 1), null);
      assert.equal(await store.deleteRule(b.id, rule.id), false);
      assert.deepEqual(await store.listRules(b.id), []);
      assert.deepEqual(await store.getRule(a.id, rule.id), rule, 'B changed nothing');

      const muted = await store.updateRule(a.id, rule.id, { mutedUntil: T0 + 7_200_000 }, T0 + 10);
      assert.deepEqual(muted, { ...rule, mutedUntil: T0 + 7_200_000, updatedAt: T0 + 10 }, 'only the named field changes');
      const changed = await store.updateRule(a.id, rule.id, { name: 'deep oversold', definition: { ...definition, expression: 'rsi:14 < 20' }, enabled: false, mutedUntil: null }, T0 + 20);
      assert.deepEqual(changed, { ...rule, name: 'deep oversold', definition: { ...definition, expression: 'rsi:14 < 20' }, enabled: false, updatedAt: T0 + 20 });

      const second = await store.createRule(a.id, 'breakout', { expression: 'close crosses_above sr.resistance' }, T0 + 30);
      assert.deepEqual((await store.listRules(a.id)).map((r) => r.id), [rule.id, second.id]);
      const enabled = (await store.listEnabledRules()).map((r) => r.id);
      assert.ok(enabled.includes(second.id) && !enabled.includes(rule.id), 'the disabled rule is not handed to the evaluator');

      assert.equal(await store.deleteRule(a.id, rule.id), true);
      assert.equal(await store.getRule(a.id, rule.id), null);
      assert.equal(await store.deleteRule(a.id, rule.id), false, 'a second delete finds nothing');
      assert.deepEqual((await store.listRules(a.id)).map((r) => r.id), [second.id]);
    }));

  test(`${name} store - recordEvaluation writes states, firings and one outbox row per distinct channel, and a later state replaces the earlier`, () =>
    withStore(makeStore, async (store) => {
      const a = await newUser(store);
      const b = await newUser(store);
      const rule = await store.createRule(a.id, 'oversold', definition, T0);
      const other = await store.createRule(b.id, 'b rule', definition, T0);
      const fired = await store.recordEvaluation(
        [{ ruleId: rule.id, state: { lastFired: { BTCUSDT: T0 } }, updatedAt: T0 + 3_600_000 }],
        [
          firing(rule.id, a.id, T0, ['telegram:42', 'webhook:https://example.test/h', 'telegram:42']),
          firing(rule.id, a.id, T0, ['dashboard'], { symbol: 'ETHUSDT', incomplete: true, inputs: { close: 2_250.25, 'rsi:14': 29.5, bar: [1, 2] } }),
          firing(other.id, b.id, T0 + 3_600_000, ['dashboard']),
        ],
      );
      assert.equal(fired.length, 3);
      const [btc, eth, bf] = fired;
      assert.ok(btc && eth && bf);
      assert.deepEqual(btc, { ...(({ channels: _c, ...f }) => f)(firing(rule.id, a.id, T0, [])), id: btc.id });
      assert.deepEqual(await store.getFiring(eth.id), eth);
      assert.deepEqual(eth.inputs, { close: 2_250.25, 'rsi:14': 29.5, bar: [1, 2] });
      assert.equal(eth.incomplete, true);

      assert.deepEqual((await store.listOutbox(btc.id)).map((o) => [o.channel, o.idempotencyKey, o.status, o.attempts, o.nextAttemptAt, o.userId]), [
        ['telegram:42', `firing-${btc.id}-telegram:42`, 'pending', 0, btc.firedAt, a.id],
        ['webhook:https://example.test/h', `firing-${btc.id}-webhook:https://example.test/h`, 'pending', 0, btc.firedAt, a.id],
      ]);
      assert.deepEqual((await store.listOutbox(eth.id)).map((o) => o.channel), ['dashboard']);

      // History: newest first, only the user's own, by rule and since.
      assert.deepEqual((await store.listFirings(a.id, { limit: 10 })).map((f) => f.id), [eth.id, btc.id]);
      assert.deepEqual((await store.listFirings(a.id, { limit: 1 })).map((f) => f.id), [eth.id]);
      assert.deepEqual((await store.listFirings(b.id, { limit: 10 })).map((f) => f.id), [bf.id]);
      assert.deepEqual(await store.listFirings(b.id, { ruleId: rule.id, limit: 10 }), [], "B cannot list A's firings by A's rule id");
      assert.deepEqual(await store.listFirings(a.id, { since: T0 + 3_600_001, limit: 10 }), []);

      const state = (await store.listRuleStates()).find((s) => s.ruleId === rule.id);
      assert.deepEqual(state, { ruleId: rule.id, state: { lastFired: { BTCUSDT: T0 } }, updatedAt: T0 + 3_600_000 });
      await store.recordEvaluation([
        { ruleId: rule.id, state: { lastFired: { BTCUSDT: T0 }, streak: 1 }, updatedAt: T0 + 7_200_000 },
        { ruleId: rule.id, state: { lastFired: { BTCUSDT: T0 }, streak: 2 }, updatedAt: T0 + 7_200_000 },
      ], []);
      assert.deepEqual((await store.listRuleStates()).find((s) => s.ruleId === rule.id)?.state, { lastFired: { BTCUSDT: T0 }, streak: 2 });

      await store.deleteRule(a.id, rule.id);
      assert.equal((await store.listRuleStates()).find((s) => s.ruleId === rule.id), undefined, 'a deleted rule takes its state');
      assert.deepEqual((await store.listFirings(a.id, { limit: 10 })).map((f) => f.id), [eth.id, btc.id], 'firings stay for the history');
    }));

  test(`${name} store - recordEvaluation is one transaction: a refused firing leaves states, firings and outbox as they were`, () =>
    withStore(makeStore, async (store) => {
      const a = await newUser(store);
      const rule = await store.createRule(a.id, 'oversold', definition, T0);
      await store.recordEvaluation([{ ruleId: rule.id, state: { n: 1 }, updatedAt: T0 }], [firing(rule.id, a.id, T0, ['dashboard'])]);
      const before = await store.listFirings(a.id, { limit: 10 });

      await assert.rejects(
        store.recordEvaluation(
          [{ ruleId: rule.id, state: { n: 2 }, updatedAt: T0 + 3_600_000 }],
          [firing(rule.id, a.id, T0 + 3_600_000, ['telegram:42']), firing(rule.id, a.id, -3_600_000, ['telegram:42'], { firedAt: T0 })],
        ),
        (err: Error & { code?: string }) => err.code === 'STORE',
      );
      assert.deepEqual((await store.listRuleStates()).find((s) => s.ruleId === rule.id), { ruleId: rule.id, state: { n: 1 }, updatedAt: T0 });
      assert.deepEqual(await store.listFirings(a.id, { limit: 10 }), before);
      const due = (await store.dueOutbox(Number.MAX_SAFE_INTEGER, 100_000)).filter((o) => o.userId === a.id);
      assert.deepEqual(due.map((o) => o.channel), ['dashboard'], 'no outbox row of the refused evaluation');

      // Input JSON cannot hold is refused before anything is written.
      await assert.rejects(
        store.recordEvaluation([{ ruleId: rule.id, state: { n: 3 }, updatedAt: T0 }], [firing(rule.id, a.id, T0, ['dashboard'], { inputs: { v: 10n } })]),
        (err: Error & { code?: string }) => err.code === 'BAD_INPUT' && /inputs of firing 0 \(rule \d+\)/.test(err.message),
      );
      assert.deepEqual((await store.listRuleStates()).find((s) => s.ruleId === rule.id)?.state, { n: 1 });
    }));

  test(`${name} store - recordEvaluation drops a firing whose rule was deleted meanwhile or is not its user's`, () =>
    withStore(makeStore, async (store) => {
      const a = await newUser(store);
      const b = await newUser(store);
      const kept = await store.createRule(a.id, 'kept', definition, T0);
      const gone = await store.createRule(a.id, 'gone', definition, T0);
      await store.deleteRule(a.id, gone.id);
      const fired = await store.recordEvaluation([], [
        firing(gone.id, a.id, T0, ['dashboard']),
        firing(kept.id, b.id, T0, ['dashboard']),
        firing(kept.id, a.id, T0, ['dashboard']),
      ]);
      assert.deepEqual(fired.map((f) => [f.ruleId, f.userId]), [[kept.id, a.id]]);
      assert.deepEqual(await store.listFirings(b.id, { limit: 10 }), []);
      assert.deepEqual((await store.dueOutbox(Number.MAX_SAFE_INTEGER, 100_000)).filter((o) => o.userId === b.id), []);
    }));
}
