import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LiquidityWindow } from '../../store/signal-records.js';
import { openStore } from '../../store/open-store.js';
import { SIGNAL_CSV_HEADER, signalFormatter } from '../format-signals.js';
import { windowArg } from './signals.js';

const MAIN = fileURLToPath(new URL('../main.ts', import.meta.url));
const T0 = Date.UTC(2021, 5, 24, 0, 14);

const w = (windowStart: number, patch: Partial<LiquidityWindow> = {}): LiquidityWindow => ({
  exchange: 'gemini', symbol: 'BTCUSD', windowStart, windowMs: 60_000, bidDeltaNotional: 500, askDeltaNotional: 305, deltaRatio: 500 / 305,
  topLevels: 10, bookBidNotional: 790, bookAskNotional: 307, bookRatio: 790 / 307, takerBuyQuantity: 3, takerSellQuantity: 0.5, tradeImbalance: 2.5 / 3.5,
  bestBid: 100, bestAsk: 102, spread: 2, mid: 101, deltaEvents: 2, bidLevels: 3, askLevels: 3, trades: 4, incomplete: false, ...patch,
});

test('signals format - csv has a snake_case header and empty cells for null; json is one array of the records', () => {
  assert.equal(SIGNAL_CSV_HEADER, 'exchange,symbol,window_start,window_ms,bid_delta_notional,ask_delta_notional,delta_ratio,top_levels,book_bid_notional,book_ask_notional,book_ratio,taker_buy_quantity,taker_sell_quantity,trade_imbalance,best_bid,best_ask,spread,mid,delta_events,bid_levels,ask_levels,trades,incomplete');
  const csv = signalFormatter('csv');
  assert.equal(csv.rows([w(T0, { deltaRatio: null, mid: null })]), `gemini,BTCUSD,${T0},60000,500,305,,10,790,307,${790 / 307},3,0.5,${2.5 / 3.5},100,102,2,,2,3,3,4,false\n`);
  assert.match(csv.rows([w(T0, { incomplete: true })]), /,4,true\n$/);
  const json = signalFormatter('json');
  const text = json.begin() + json.rows([w(T0)]) + json.rows([w(T0 + 60_000, { tradeImbalance: null })]) + json.end();
  assert.deepEqual(JSON.parse(text), [w(T0), w(T0 + 60_000, { tradeImbalance: null })]);
  assert.equal(windowArg('10s'), 10_000);
  assert.equal(windowArg('60000'), 60_000);
  assert.throws(() => windowArg('1m'), /window "1m" is not a length such as 60s/);
});

test('signals command - prints the stored windows of [--from, --to) as csv and json; a bad market is refused naming it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-signals-'));
  try {
    const db = join(dir, 'x.duckdb');
    const store = await openStore(db);
    await store.upsertSignals([w(T0), w(T0 + 60_000), w(T0 + 120_000), w(T0, { windowMs: 10_000 }), w(T0, { symbol: 'ETHUSD' })]);
    await store.close();
    const cli = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', MAIN, '--db', db, ...args], { encoding: 'utf8', timeout: 120_000 });
    const csv = cli(['signals', 'gemini:BTCUSD', '--from', '2021-06-24T00:14:00Z', '--to', String(T0 + 120_000), '--format', 'csv']);
    assert.equal(csv.status, 0, csv.stderr);
    assert.deepEqual(csv.stdout.trimEnd().split('\n').map((l) => l.split(',').slice(0, 4).join(',')), [
      'exchange,symbol,window_start,window_ms', `gemini,BTCUSD,${T0},60000`, `gemini,BTCUSD,${T0 + 60_000},60000`,
    ]);
    const json = cli(['signals', 'gemini:BTCUSD', '--from', String(T0), '--to', String(T0 + 86_400_000 * 3), '--window', '10s', '--format', 'json']);
    assert.equal(json.status, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), [w(T0, { windowMs: 10_000 })]);
    const bad = cli(['signals', 'kraken:XBTUSD']);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /"kraken:XBTUSD" is not <exchange>:<symbol>/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
