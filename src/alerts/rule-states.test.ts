/**
 * Which fire states the runner hands back to store (takeChangedStates), on real recorded 1h
 * klines (fixtures/binance-rest/klines, finom/static-klines): only rules whose bars changed a
 * cross, a run or the last firing; and a runner restored from them carries on as the one that
 * never stopped.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadRestBars } from '../indicators/test-support/real-bars.js';
import { compileDefinition } from './compile-rule.js';
import { parseRuleDraft } from './rule-draft.js';
import type { CompiledRule } from './rule-evaluator.js';
import { RuleRunner, type SeriesBar } from './rule-runner.js';

const HOUR = 3_600_000;
const btc = loadRestBars('BTCUSDT', '1h', '2023-01-01.json');
const bars: SeriesBar[] = Array.from(btc.openTime, (t, i) => ({
  symbol: 'BTCUSDT',
  interval: '1h',
  bar: { openTime: t, open: btc.open[i] as number, high: btc.high[i] as number, low: btc.low[i] as number, close: btc.close[i] as number, volume: btc.volume[i] as number },
  incomplete: false,
  evaluatedAt: t + HOUR,
}));

function rule(id: number, expression: string, extra: Record<string, unknown> = {}): CompiledRule {
  const d = parseRuleDraft({ expression, scope: { symbol: 'BTCUSDT' }, interval: '1h', channels: ['dashboard'], ...extra });
  assert.ok(d.kind === 'bar');
  return compileDefinition(id, 1, d);
}

const RULES = [
  rule(1, 'close < 1'), // BTC never trades below 1: its state never changes
  rule(2, 'close crosses_above sma:5'), // the cross sides move at (almost) every bar
  rule(3, 'close > sma:10 for 3 bars'), // the run changes at some bars
  rule(4, 'close > 0', { frequency: 'once' }), // fires at the first bar, then never changes
];

type Snapshot = string | undefined;
const snapshot = (runner: RuleRunner, id: number): Snapshot => {
  const s = runner.ruleState(id).symbols.BTCUSDT;
  return s === undefined ? undefined : JSON.stringify([s.cross, s.runs, s.lastFiredAt]);
};

test('rule states - exactly the rules whose bar changed cross, run or last firing are handed back; lastBarOpenTime alone is no change', () => {
  const runner = new RuleRunner(RULES, () => ['BTCUSDT']);
  const counts = new Map<number, number>();
  for (const sb of bars) {
    const before = RULES.map((r) => snapshot(runner, r.id));
    runner.advance([sb]);
    assert.equal(runner.evaluated, RULES.length, 'every rule is evaluated at every close');
    const expected = RULES.filter((r, k) => snapshot(runner, r.id) !== before[k]).map((r) => r.id);
    const taken = runner.takeChangedStates();
    assert.deepEqual(taken.map((s) => s.ruleId), expected, new Date(sb.bar.openTime).toISOString());
    for (const s of taken) {
      counts.set(s.ruleId, (counts.get(s.ruleId) ?? 0) + 1);
      assert.equal(s.state.symbols.BTCUSDT?.lastBarOpenTime, sb.bar.openTime, 'a stored state has the last bar evaluated');
    }
  }
  assert.equal(counts.get(1), undefined, 'close < 1 is never rewritten');
  assert.equal(counts.get(4), 1, 'a once rule is written at its firing only');
  assert.ok((counts.get(2) ?? 0) > bars.length * 0.9, 'the cross sides change at nearly every bar');
  const runs = counts.get(3) ?? 0;
  assert.ok(runs > 10 && runs < bars.length * 0.9, `the run changes at some bars only (${runs} of ${bars.length})`);
});

test('rule states - a runner restored from the states handed back (unchanged ones never rewritten) fires as the one that never stopped', () => {
  const mid = bars.length >> 1;
  const first = bars.slice(0, mid);
  const second = bars.slice(mid);
  const live = new RuleRunner(RULES, () => ['BTCUSDT']);
  const stored = new Map<number, unknown>();
  for (const sb of first) {
    live.advance([sb]);
    for (const s of live.takeChangedStates()) stored.set(s.ruleId, JSON.parse(JSON.stringify(s.state)));
  }
  assert.equal(stored.has(1), false, 'rule 1 was never stored: it restarts from an empty state');
  const restored = new RuleRunner(RULES, () => ['BTCUSDT'], stored);
  const start = (second[0] as SeriesBar).bar.openTime;
  for (const series of restored.pool.all()) series.seed(first.map((sb) => sb.bar), start);
  const key = (f: { ruleId: number; barOpenTime: number; message: string }): string => `${f.ruleId} ${f.barOpenTime} ${f.message}`;
  const a = second.flatMap((sb) => live.advance([sb])).map(key);
  const b = second.flatMap((sb) => restored.advance([sb])).map(key);
  assert.ok(a.length > 5, `the rules fire in the second half (${a.length})`);
  assert.deepEqual(b, a);
});
