/** Contract cases for alert rules, their states, and one evaluation's firings and outbox rows written together. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredRule, Store } from '../store.js';
import { randomBytes } from 'node:crypto';
import { firing, newUser } from './alert-helpers.js';
import { withStore } from './contract-helpers.js';

const T0 = 1_704_067_200_000; // 2024-01-01T00:00Z
const H = 3_600_000;
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
      assert.deepEqual((await store.listOutbox(btc.id, a.id)).map((o) => o.channel), ['telegram:42', 'webhook:https://example.test/h']);
      assert.deepEqual(await store.listOutbox(btc.id, b.id), [], "B cannot read the deliveries of A's firing");

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

  test(`${name} store - recordEvaluation of a screener close (600 firings, 1,000 states) gives each firing its own id, inputs and deliveries`, () =>
    withStore(makeStore, async (store) => {
      const a = await newUser(store);
      const rules: StoredRule[] = [];
      for (const i of [0, 1, 2]) rules.push(await store.createRule(a.id, `screener ${i}`, definition, T0));
      const firings = Array.from({ length: 600 }, (_, i) =>
        firing(rules[i % 3]?.id ?? -1, a.id, T0, [`webhook:https://example.test/${i}`, 'dashboard'], { symbol: `C${i}USDT`, inputs: { i, quote: `it's "${i}"` } }));
      const states = Array.from({ length: 1_000 }, (_, i) => ({ ruleId: rules[i % 3]?.id ?? -1, state: { i }, updatedAt: T0 + i }));
      const fired = await store.recordEvaluation(states, firings);
      assert.deepEqual(fired.map((f) => f.symbol), firings.map((f) => f.symbol));
      assert.equal(new Set(fired.map((f) => f.id)).size, 600);
      const byId = new Map((await store.listFirings(a.id, { limit: 1_000 })).map((f) => [f.id, f]));
      for (const [i, f] of fired.entries()) assert.deepEqual(byId.get(f.id), { ...f, inputs: { i, quote: `it's "${i}"` } }, `firing ${i}`);
      const due = await store.dueOutbox(Number.MAX_SAFE_INTEGER, 100_000);
      const mine = due.filter((o) => o.userId === a.id);
      assert.equal(mine.length, 1_200);
      const symbolOf = new Map(fired.map((f) => [f.id, f.symbol]));
      for (const o of mine.filter((x) => x.channel !== 'dashboard')) {
        assert.equal(`C${o.channel.slice('webhook:https://example.test/'.length)}USDT`, symbolOf.get(o.firingId), o.idempotencyKey);
      }
      // The last state per rule is kept: indexes 999, 997 and 998 of the 1,000.
      const stateOf = new Map((await store.listRuleStates()).map((s) => [s.ruleId, s.state]));
      assert.deepEqual(rules.map((r) => stateOf.get(r.id)), [{ i: 999 }, { i: 997 }, { i: 998 }]);
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

  test(`${name} store - a rule fires once per bar: a firing stored again (another evaluator, a re-evaluation) is dropped with its deliveries, and marks only move forward`, () =>
    withStore(makeStore, async (store) => {
      const a = await newUser(store);
      const rule = await store.createRule(a.id, 'oversold', definition, T0);
      const exchange = `marks_${randomBytes(4).toString('hex')}`;
      const mark = (symbol: string, interval: string, evaluatedUntil: number) => ({ exchange, symbol, interval, evaluatedUntil });
      assert.deepEqual(await store.listEvaluationMarks(exchange), []);
      const [first] = await store.recordEvaluation([], [firing(rule.id, a.id, T0, ['telegram:42'], { exchange })], [mark('BTCUSDT', '1h', T0 + H), mark('ETHUSDT', '1h', T0)]);
      assert.ok(first);

      // The same bar again (next to a new one, and twice in one call): only the new bar is stored.
      const again = await store.recordEvaluation(
        [{ ruleId: rule.id, state: { n: 2 }, updatedAt: T0 + 2 * H }],
        [
          firing(rule.id, a.id, T0, ['telegram:42', 'dashboard'], { exchange, firedAt: T0 + 2 * H }),
          firing(rule.id, a.id, T0 + H, ['dashboard'], { exchange }),
          firing(rule.id, a.id, T0 + H, ['dashboard'], { exchange, message: 'second copy' }),
          firing(rule.id, a.id, T0, ['dashboard'], { exchange, symbol: 'ETHUSDT' }),
        ],
        [mark('BTCUSDT', '1h', T0 + 2 * H), mark('ETHUSDT', '1h', T0 - H), mark('BTCUSDT', '1m', T0 + 5 * 60_000)],
      );
      assert.deepEqual(again.map((f) => [f.symbol, f.barOpenTime, f.message]), [['BTCUSDT', T0 + H, `BTCUSDT rsi:14 < 30 at ${T0 + H}`], ['ETHUSDT', T0, `BTCUSDT rsi:14 < 30 at ${T0}`]]);
      const stored = await store.listFirings(a.id, { ruleId: rule.id, limit: 10 });
      assert.deepEqual(stored.map((f) => [f.symbol, f.barOpenTime]).sort(), [['BTCUSDT', T0], ['BTCUSDT', T0 + H], ['ETHUSDT', T0]]);
      assert.equal(stored.find((f) => f.barOpenTime === T0 && f.symbol === 'BTCUSDT')?.id, first.id, 'the first firing of the bar is kept');
      assert.deepEqual((await store.listOutbox(first.id)).map((o) => o.channel), ['telegram:42'], 'no delivery of the repeated firing');
      assert.deepEqual((await store.listRuleStates()).find((s) => s.ruleId === rule.id)?.state, { n: 2 }, 'the states of the call are written');
      assert.deepEqual(await store.listEvaluationMarks(exchange), [mark('BTCUSDT', '1h', T0 + 2 * H), mark('BTCUSDT', '1m', T0 + 5 * 60_000), mark('ETHUSDT', '1h', T0)], 'a mark never moves back');

      // A refused evaluation moves no mark.
      await assert.rejects(
        store.recordEvaluation([], [firing(rule.id, a.id, -H, ['dashboard'], { exchange, firedAt: T0 })], [mark('BTCUSDT', '1h', T0 + 9 * H)]),
        (err: Error & { code?: string }) => err.code === 'STORE',
      );
      assert.equal((await store.listEvaluationMarks(exchange))[0]?.evaluatedUntil, T0 + 2 * H);
    }));
}
