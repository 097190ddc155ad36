/**
 * Signal operands evaluated by the preview on a real DuckDB store: ETHUSDT's real 1h klines of
 * January 2023 (fixtures/binance-rest/klines, finom/static-klines) and liquidity windows upserted
 * here with chosen values, placed to show which window a bar reads: the newest that ended within
 * it (open < end ≤ close), never a later one, none at all for a bar without one.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { DuckDbStore } from '../store/duckdb/duckdb-store.js';
import { btcusdtDay, restKlines } from '../store/test-support/fixture-candles.js';
import { previewRule } from './preview.js';
import { parseRuleDraft, type BarRuleDefinition } from './rule-draft.js';
import { liquidityWindow } from './test-support/liquidity-windows.js';

const EX = 'binance';
const MIN = 60_000;
const HOUR = 3_600_000;
const JAN = Date.UTC(2023, 0, 1);
const DAY = Date.UTC(2023, 0, 10);
const h = (n: number): number => DAY + n * HOUR;
let store: DuckDbStore;

before(async () => {
  store = await DuckDbStore.open(':memory:');
  await store.migrate();
  await store.upsertInstruments([
    { exchange: EX, symbol: 'ETHUSDT', base: 'ETH', quote: 'USDT', status: 'TRADING', listedAt: JAN },
    { exchange: EX, symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', status: 'TRADING', listedAt: Date.UTC(2017, 7, 17) },
  ]);
  await store.writeCandles({ exchange: EX, symbol: 'BTCUSDT', interval: '1m' }, btcusdtDay(1), 'rest');
  await store.writeCandles({ exchange: EX, symbol: 'ETHUSDT', interval: '1h' }, restKlines('ETHUSDT', '1h', '2023-01-01.json'), 'rest');
  const eth = (start: number, deltaRatio: number | null, spread = 2): ReturnType<typeof liquidityWindow> => liquidityWindow(EX, 'ETHUSDT', start, { deltaRatio, spread });
  await store.upsertSignals([
    eth(h(2) - MIN, 2), // ends at the close of the 01:00 bar: 01:00 reads 2
    eth(h(3), 3), // ends a minute into 03:00: the 02:00 bar must not read it; 03:00 reads it…
    eth(h(3) + 30 * MIN, 1), // …unless a newer one ended within 03:00: this one, 1
    eth(h(5) - MIN, 4), // ends exactly at 05:00, the open of the 05:00 bar: it belongs to 04:00
    eth(h(6) + 10 * MIN, null), // a window without an ask sum: no ratio, nothing fires at 06:00
    eth(h(7) + 5 * MIN, 1.6, 9),
    eth(h(7) + 20 * MIN, 1.6, 9), // 07:00: the newest of two, 1.6
    liquidityWindow(EX, 'ETHUSDT', h(8) - MIN, { deltaRatio: 5, windowMs: 10_000 }), // another window length: not read
    liquidityWindow('gemini', 'ETHUSDT', h(9) - MIN, { deltaRatio: 7 }), // another exchange: only @gemini reads it
    liquidityWindow('gemini', 'ETHUSD', h(10) - MIN, { spread: 12.5 }), // a fixed market: spread@gemini:ETHUSD
  ]);
});
after(async () => {
  await store.close();
});

function define(expression: string, interval = '1h'): BarRuleDefinition {
  const d = parseRuleDraft({ expression, scope: { symbol: 'ETHUSDT' }, interval, channels: ['dashboard'] });
  assert.ok(d.kind === 'bar');
  return d;
}

async function fired(expression: string, interval = '1h'): Promise<Array<[number, Record<string, number | null>]>> {
  const r = await previewRule({ store, exchange: EX, definition: define(expression, interval), symbols: ['ETHUSDT'], from: DAY, to: DAY + 86_400_000, now: Date.UTC(2023, 0, 12), graceMinutes: 0 });
  return r.firings.map((f) => [(f.openTime - DAY) / HOUR, f.operands]);
}

test('signal operand - each bar reads the newest window that ended within it, never one ending after its close', async () => {
  assert.deepEqual(await fired('bid_ask_ratio@binance > 1.5'), [
    [1, { 'bid_ask_ratio@binance': 2 }],
    [4, { 'bid_ask_ratio@binance': 4 }],
    [7, { 'bid_ask_ratio@binance': 1.6 }],
  ]);
  // Every bar that has a window with a ratio, whatever its value: 02:00 and 05:00 have none, 06:00 a null ratio.
  assert.deepEqual((await fired('bid_ask_ratio@binance > 0')).map(([hour]) => hour), [1, 3, 4, 7]);
  assert.deepEqual(await fired('bid_ask_ratio@binance < 1.2'), [[3, { 'bid_ask_ratio@binance': 1 }]]);
});

test('signal operand - no window is NaN: every comparison with it is false, and it is null in a firing beside other operands', async () => {
  assert.deepEqual(await fired('bid_ask_ratio@binance != 100 or bid_ask_ratio@binance <= 100'), (await fired('bid_ask_ratio@binance > 0')).map(([hr]) => [hr, { 'bid_ask_ratio@binance': [2, 1, 4, 1.6][[1, 3, 4, 7].indexOf(hr)] as number }]));
  const withClose = await fired('close > 0 and (spread@binance > 5 or close > 1000000)');
  assert.deepEqual(withClose.map(([hr, ops]) => [hr, ops['spread@binance']]), [[7, 9]]);
  const everyBar = await fired('close > 0 or spread@binance > 0');
  assert.equal(everyBar.length, 24);
  assert.deepEqual(everyBar.filter(([, ops]) => ops['spread@binance'] !== null).map(([hr]) => hr), [1, 3, 4, 6, 7], '06:00 has a window (its spread 2) though its ratio is null');
});

test('signal operand - the exchange and a fixed symbol name the market read; another window length is not read', async () => {
  assert.deepEqual(await fired('bid_ask_ratio@gemini > 1.5'), [[8, { 'bid_ask_ratio@gemini': 7 }]]);
  assert.deepEqual(await fired('spread@gemini:ethusd > 10'), [[9, { 'spread@gemini:ETHUSD': 12.5 }]]);
  assert.deepEqual((await fired('bid_ask_ratio@binance > 4.5')), [], 'the 10 s window of 07:59 is not a 60 s window');
});

test('signal operand - on a 4h rule the newest window of the four hours is read', async () => {
  // 00:00–04:00 holds windows ending 02:00 (2), 03:01 (3) and 03:31 (1): the newest, 1. 04:00–08:00: 07:21 (1.6).
  assert.deepEqual(await fired('bid_ask_ratio@binance > 0', '4h'), [
    [0, { 'bid_ask_ratio@binance': 1 }],
    [4, { 'bid_ask_ratio@binance': 1.6 }],
  ]);
});

test('signal operand - on a 1m rule each bar reads its own minute\'s window, so "for 3 bars" is three windows in a row', async () => {
  const D = Date.UTC(2020, 0, 1);
  const high = new Set([10, 11, 12, 20, 21, 23, 24, 25, 26]);
  // Minute 22 has no window: the run 20, 21 is broken; 23 to 26 hold for 3 at 25 and 26.
  const windows = Array.from({ length: 30 }, (_, m) => m)
    .filter((m) => m !== 22)
    .map((m) => liquidityWindow(EX, 'BTCUSDT', D + m * MIN, { deltaRatio: high.has(m) ? 1.75 : 1 }));
  await store.upsertSignals(windows);
  const d = parseRuleDraft({ expression: 'bid_ask_ratio@binance > 1.5 for 3 bars', scope: { symbol: 'BTCUSDT' }, interval: '1m', channels: ['dashboard'] });
  assert.ok(d.kind === 'bar');
  const r = await previewRule({ store, exchange: EX, definition: d, symbols: ['BTCUSDT'], from: D, to: D + 40 * MIN, now: D + 86_400_000, graceMinutes: 0 });
  assert.deepEqual(r.firings.map((f) => [(f.openTime - D) / MIN, f.operands['bid_ask_ratio@binance']]), [[12, 1.75], [25, 1.75], [26, 1.75]]);
});
