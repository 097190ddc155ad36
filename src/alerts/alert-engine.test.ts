/**
 * The live engine against a real DuckDB store filled with real 1h klines (fixtures/binance-rest/
 * klines, finom/static-klines), fed day by day as a sync would, against the preview over the same
 * window: the firings must be equal, bar for bar and value for value.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sliceColumns, type CandleColumns } from '../core/candle.js';
import { DAY_MS } from '../core/intervals.js';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { restKlines } from '../store/test-support/fixture-candles.js';
import { AlertEngine } from './alert-engine.js';
import { previewRule, type PreviewFiring } from './preview.js';
import { parseRuleDraft, type BarRuleDefinition } from './rule-draft.js';
import { liquidityWindow } from './test-support/liquidity-windows.js';
import { MemoryAlertStore } from './test-support/memory-alert-store.js';

const EX = 'binance';
const SYMBOLS = ['BTCUSDT', 'ETHUSDT'];
const JAN = Date.UTC(2023, 0, 1);
const T0 = Date.UTC(2023, 0, 12);
const END = Date.UTC(2023, 1, 1);
const bars = new Map<string, CandleColumns>(SYMBOLS.map((s) => [s, restKlines(s, '1h', '2023-01-01.json')]));

let store: DuckDbStore;
before(async () => {
  store = await DuckDbStore.open(':memory:');
  await store.migrate();
  await store.upsertInstruments(SYMBOLS.map((symbol) => ({ exchange: EX, symbol, base: symbol.slice(0, -4), quote: 'USDT', status: 'TRADING', listedAt: JAN })));
  // Liquidity windows for the signal rules, values chosen here: three hours in four have one
  // ending at minute 40, and every twelfth hour has a second, later one.
  const windows = [];
  for (const symbol of SYMBOLS) {
    for (let i = 0, t = JAN; t < END; i++, t += 3_600_000) {
      if (i % 4 === 3) continue;
      const patch = { deltaRatio: 0.8 + (i % 9) * 0.1 + (symbol === 'ETHUSDT' ? 0.05 : 0), tradeImbalance: ((i % 5) - 2) / 4 };
      windows.push(liquidityWindow(EX, symbol, t + 39 * 60_000, patch));
      if (i % 12 === 0) windows.push(liquidityWindow(EX, symbol, t + 50 * 60_000, { ...patch, deltaRatio: 2 }));
    }
  }
  assert.equal(await store.upsertSignals(windows), windows.length);
});
after(async () => {
  await store.close();
});

/** Writes each symbol's 1h bars with from ≤ openTime < to, as the sync would. */
async function writeHours(from: number, to: number): Promise<void> {
  for (const [symbol, c] of bars) {
    const i = c.openTime.findIndex((t) => t >= from);
    let j = c.openTime.findIndex((t) => t >= to);
    if (j < 0) j = c.length;
    if (i >= 0 && j > i) await store.writeCandles({ exchange: EX, symbol, interval: '1h' }, sliceColumns(c, i, j), 'rest');
  }
}

const DRAFTS = [
  { name: 'eth oversold', expression: 'rsi:14 < 40', scope: { symbol: 'ETHUSDT' }, interval: '1h', channels: ['telegram:42', 'dashboard'] },
  { name: 'trend', expression: 'close crosses_above ema:20 and rsi:14@4h > 50', scope: { symbols: SYMBOLS }, interval: '1h', channels: ['dashboard'] },
  { name: 'volume', expression: 'volume > 2 * sma:20(volume)', scope: { symbols: SYMBOLS }, interval: '1h', cooldownMinutes: 180, channels: ['webhook:https://example.org/h'] },
  { name: 'bids', expression: 'bid_ask_ratio@binance > 1.3 and rsi:14 > 45', scope: { symbols: SYMBOLS }, interval: '1h', channels: ['dashboard'] },
  { name: 'flow', expression: 'trade_imbalance@binance crosses_above 0 or top10_bid_ask_ratio@binance > 99', scope: { symbols: SYMBOLS }, interval: '4h', channels: ['dashboard'] },
  { name: '4h macd', expression: 'macd.macd crosses_below macd.signal or td.sell_setup == 9', scope: { symbols: SYMBOLS }, interval: '4h', channels: ['dashboard'] },
];

const key = (f: { symbol: string; barOpenTime: number; operands: unknown }): string => JSON.stringify([f.symbol, f.barOpenTime, f.operands]);

test('engine - live firings over a window equal the preview of each rule over it; states and outbox rows are recorded', async () => {
  await writeHours(JAN, T0);
  const alerts = new MemoryAlertStore();
  const definitions: BarRuleDefinition[] = [];
  for (const [i, d] of DRAFTS.entries()) {
    const def = parseRuleDraft(d);
    assert.ok(def.kind === 'bar');
    definitions.push(def);
    await alerts.createRule(i + 1, def.name, def, T0);
  }
  const engine = new AlertEngine({ store, alerts, exchange: EX, graceMinutes: 10, symbolsOf: async (scope) => ('symbols' in scope ? scope.symbols : []) });
  await engine.start(T0);
  for (let day = T0; day < END; day += DAY_MS) {
    await writeHours(day, day + DAY_MS);
    // The sync calls after each write; a call before a close reads nothing new.
    await engine.onBars(day + DAY_MS - 1);
    await engine.onBars(day + DAY_MS);
  }
  assert.deepEqual(engine.rejected, []);

  for (const [i, def] of definitions.entries()) {
    const ruleId = i + 1;
    const live = alerts.firings.filter((f) => f.ruleId === ruleId);
    const preview = await previewRule({ store, exchange: EX, definition: def, symbols: 'symbols' in def.scope ? def.scope.symbols : [], from: T0, to: END, now: END + DAY_MS, graceMinutes: 10 });
    assert.ok(live.length > 0, `${def.name} fires over three weeks of real data`);
    const liveKeys = live.map((f) => key({ symbol: f.symbol, barOpenTime: f.barOpenTime, operands: (f.inputs as { operands: unknown }).operands }));
    const previewKeys = preview.firings.map((f: PreviewFiring) => key({ symbol: f.symbol, barOpenTime: f.openTime, operands: f.operands }));
    assert.deepEqual(liveKeys.sort(), previewKeys.sort(), def.name);
    assert.equal(preview.summary.count, live.length);
    for (const f of live) assert.ok(f.barOpenTime >= T0 && f.barOpenTime < END && f.incomplete === false);
  }
  // One outbox row per firing channel, and a state per rule with the last bar it evaluated.
  const expectedRows = alerts.firings.reduce((n, f) => n + (DRAFTS[f.ruleId - 1]?.channels.length ?? 0), 0);
  assert.equal(alerts.outbox.length, expectedRows);
  // The signal rules read the windows: 'bids' fires only on hours with a ratio above 1.3.
  for (const f of alerts.firings.filter((x) => x.ruleId === 4)) {
    const ratio = (f.inputs as { operands: Record<string, number | null> }).operands['bid_ask_ratio@binance'];
    const i = (f.barOpenTime - JAN) / 3_600_000;
    const expected = i % 12 === 0 ? 2 : 0.8 + (i % 9) * 0.1 + (f.symbol === 'ETHUSDT' ? 0.05 : 0);
    assert.ok(i % 4 !== 3 && ratio === expected && expected > 1.3, `${f.symbol} ${i}: ${ratio}`);
  }
  const state = (await alerts.listRuleStates()).find((s) => s.ruleId === 2)?.state as { symbols: Record<string, { lastBarOpenTime: number }> };
  assert.equal(state.symbols.ETHUSDT?.lastBarOpenTime, END - 3_600_000);
});

test('engine - a failed recordEvaluation loses nothing: the next call evaluates those bars again; a once rule stays fired across a restart', async () => {
  const alerts = new MemoryAlertStore();
  const def = parseRuleDraft({ expression: 'rsi:14 < 40', scope: { symbol: 'ETHUSDT' }, interval: '1h', channels: ['dashboard'] });
  const once = parseRuleDraft({ expression: 'rsi:14 < 40', scope: { symbol: 'ETHUSDT' }, interval: '1h', frequency: 'once', channels: ['dashboard'] });
  await alerts.createRule(1, 'every', def, T0);
  await alerts.createRule(1, 'once', once, T0);
  const options = { store, alerts, exchange: EX, graceMinutes: 10, symbolsOf: async (scope: { symbols: string[] } | { top: number }) => ('symbols' in scope ? scope.symbols : []) };
  const engine = new AlertEngine(options);
  await engine.start(T0);
  alerts.failNext = true;
  await assert.rejects(engine.onBars(END), /simulated transaction failure/);
  assert.equal(alerts.firings.length, 0);
  await engine.onBars(END);
  assert.ok(def.kind === 'bar');
  const preview = await previewRule({ store, exchange: EX, definition: def, symbols: ['ETHUSDT'], from: T0, to: END, now: END + DAY_MS, graceMinutes: 10 });
  assert.deepEqual(alerts.firings.filter((f) => f.ruleId === 1).map((f) => f.barOpenTime), preview.firings.map((f) => f.openTime));
  assert.equal(alerts.firings.filter((f) => f.ruleId === 2).length, 1);

  const restarted = new AlertEngine(options);
  await restarted.start(END);
  assert.deepEqual(await restarted.onBars(END + DAY_MS), [], 'no bar after END is stored, and nothing is evaluated twice');
  const restartedEarlier = new AlertEngine(options);
  await restartedEarlier.start(T0);
  assert.deepEqual(await restartedEarlier.onBars(END), [], 'bars already evaluated are not evaluated again, and once stays fired');
});
