/**
 * The evaluation handed over (a `serve` takeover, an `up` restart) through the stored evaluation
 * marks, on a real DuckDB store (as store and alert store) fed with the real 1h klines of January
 * 2023 (fixtures/binance-rest/klines): bars stored while no evaluator ran are evaluated by the next
 * one, each once, and an evaluator still running beside it stores no firing twice.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { pino } from 'pino';
import { sliceColumns, type CandleColumns } from '../core/candle.js';
import { DAY_MS } from '../core/intervals.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { restKlines } from '../store/test-support/fixture-candles.js';
import { LiveEvaluation } from './live-evaluation.js';
import { previewRule } from './preview.js';
import { parseRuleDraft } from './rule-draft.js';

const EX = 'binance';
const SYMBOL = 'ETHUSDT';
const JAN = Date.UTC(2023, 0, 1);
const T1 = Date.UTC(2023, 0, 12);
const T2 = Date.UTC(2023, 0, 19);
const T3 = Date.UTC(2023, 0, 26);
const bars: CandleColumns = restKlines(SYMBOL, '1h', '2023-01-01.json');
const logger = pino({ level: 'silent' });

let store: DuckDbStore;
before(async () => {
  store = await DuckDbStore.open(':memory:');
  await store.migrate();
  await store.upsertInstruments([{ exchange: EX, symbol: SYMBOL, base: 'ETH', quote: 'USDT', status: 'TRADING', listedAt: JAN }]);
});
after(async () => {
  await store.close();
});

/** Writes the 1h bars with from ≤ openTime < to, as a sync (or another process) would. */
async function writeHours(from: number, to: number): Promise<void> {
  const i = bars.openTime.findIndex((t) => t >= from);
  let j = bars.openTime.findIndex((t) => t >= to);
  if (j < 0) j = bars.length;
  await store.writeCandles({ exchange: EX, symbol: SYMBOL, interval: '1h' }, sliceColumns(bars, i, j), 'rest');
}

test('live evaluation - bars stored while no evaluator ran are evaluated by the next one from the stored mark, each once, as the preview fires', async () => {
  const draft = parseRuleDraft({ expression: 'rsi:14 < 40', scope: { symbol: SYMBOL }, interval: '1h', channels: ['dashboard'] });
  assert.ok(draft.kind === 'bar');
  const user = await store.createUser('eve', 'user', 'UTC', 'scrypt$test$x', JAN);
  const rule = await store.createRule(user.id, 'oversold', draft, JAN);
  await writeHours(JAN, T1);

  // The first evaluator starts at T1 (no mark yet: bars before it only seed), evaluates a week, and dies.
  const first = new LiveEvaluation(store, EX, logger);
  assert.deepEqual(await first.evaluateStored(T1), []);
  await writeHours(T1, T2);
  const firstWeek = await first.evaluateStored(T2);
  assert.deepEqual(await store.listEvaluationMarks(EX), [{ exchange: EX, symbol: SYMBOL, interval: '1h', evaluatedUntil: T2 }]);

  // A week stored while no evaluator runs; the next one evaluates it when it starts.
  await writeHours(T2, T3);
  const next = new LiveEvaluation(store, EX, logger);
  const handedOver = await next.evaluateStored(T3 + 1);
  const preview = await previewRule({ store, exchange: EX, definition: draft, symbols: [SYMBOL], from: T1, to: T3, now: T3 + DAY_MS, graceMinutes: 10 });
  const gap = preview.firings.filter((f) => f.openTime >= T2).map((f) => f.openTime);
  assert.ok(gap.length > 0 && firstWeek.length > 0, 'the rule fires in both weeks of real data');
  assert.deepEqual(handedOver.map((f) => f.barOpenTime), gap, 'every firing of the bars stored between the evaluators, none before');
  assert.deepEqual([...firstWeek, ...handedOver].map((f) => f.barOpenTime), preview.firings.map((f) => f.openTime), 'together, what one evaluator throughout would fire');
  assert.equal((await store.listEvaluationMarks(EX))[0]?.evaluatedUntil, T3);

  // Nothing twice: not by the new evaluator again, not by a third one, not by the first still running beside them.
  assert.deepEqual(await next.evaluateStored(T3 + 2), []);
  assert.deepEqual(await new LiveEvaluation(store, EX, logger).evaluateStored(T3 + 3), []);
  assert.deepEqual(await first.evaluateStored(T3 + 4), [], 'the old evaluator re-evaluates the week, and its firings are stored already');
  const stored = await store.listFirings(user.id, { ruleId: rule.id, limit: 1_000 });
  assert.deepEqual(stored.map((f) => f.barOpenTime).reverse(), preview.firings.map((f) => f.openTime));
  const deliveries = await Promise.all(stored.map((f) => store.listOutbox(f.id)));
  assert.deepEqual(deliveries.map((d) => d.length), stored.map(() => 1), 'one delivery per firing');
});
