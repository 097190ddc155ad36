/** Contract cases for stream signals (liquidity windows, migrations 9 and 10): upsert by key, range reads, refusals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { LiquidityWindow } from '../signal-records.js';
import type { Store } from '../store.js';
import { uniqueExchange, withStore } from './contract-helpers.js';

const T0 = 1_624_493_640_000; // 2021-06-24T00:14Z

function window(exchange: string, windowStart: number, bid: number, patch: Partial<LiquidityWindow> = {}): LiquidityWindow {
  return {
    exchange, symbol: 'BTC-EUR', windowStart, windowMs: 60_000,
    bidDeltaNotional: bid, askDeltaNotional: 2264281.389194496, deltaRatio: bid / 2264281.389194496,
    topLevels: 10, bookBidNotional: 790.25, bookAskNotional: 307, bookRatio: 790.25 / 307,
    takerBuyQuantity: 3, takerSellQuantity: 0.5, tradeImbalance: 2.5 / 3.5,
    bestBid: 24_999.99, bestAsk: 25_000.01, spread: 25_000.01 - 24_999.99, mid: 25_000,
    deltaEvents: 152, bidLevels: 280, askLevels: 402, trades: 4, incomplete: false, ...patch,
  };
}

export function registerSignalCases(name: string, makeStore: () => Promise<Store>): void {
  test(`${name} store - signals: written and read back exactly, nulls kept, by window start in [from, to), per market and window length`, () =>
    withStore(makeStore, async (store) => {
      const ex = uniqueExchange();
      const a = window(ex, T0, 1543691.9074776522);
      const b = window(ex, T0 + 60_000, 0, { deltaRatio: null, bookBidNotional: null, bookAskNotional: null, bookRatio: null, tradeImbalance: null, bestBid: null, bestAsk: null, spread: null, mid: null, trades: 0 });
      const c = window(ex, T0 + 120_000, 7);
      const short = window(ex, T0, 1, { windowMs: 10_000 });
      const other = window(ex, T0, 2, { symbol: 'ETH-EUR' });
      assert.equal(await store.upsertSignals([c, a, b, short, other]), 5);
      assert.deepEqual(await store.readSignals(ex, 'BTC-EUR', 60_000, T0, T0 + 180_000), [a, b, c]);
      assert.deepEqual(await store.readSignals(ex, 'BTC-EUR', 60_000, T0 + 60_000, T0 + 120_000), [b], 'to is exclusive');
      assert.deepEqual(await store.readSignals(ex, 'BTC-EUR', 10_000, 0, T0 + 180_000), [short]);
      assert.deepEqual(await store.readSignals(ex, 'ETH-EUR', 60_000, 0, T0 + 180_000), [other]);
      assert.deepEqual(await store.readSignals(ex, 'BTC-EUR', 60_000, T0 + 180_000, T0 + 240_000), []);
      assert.equal(await store.upsertSignals([]), 0);
    }));

  test(`${name} store - signals: a window written again replaces its row, never a second one; one batch keeps the last of a key`, () =>
    withStore(makeStore, async (store) => {
      const ex = uniqueExchange();
      const a = window(ex, T0, 100);
      await store.upsertSignals([a]);
      await store.upsertSignals([a]);
      const changed = window(ex, T0, 250, { trades: 9 });
      assert.equal(await store.upsertSignals([window(ex, T0, 1), changed]), 1);
      assert.deepEqual(await store.readSignals(ex, 'BTC-EUR', 60_000, 0, T0 + 60_000), [changed]);
    }));

  test(`${name} store - signals: the incomplete mark is stored and a window rebuilt after a restart upserts it on the same row`, () =>
    withStore(makeStore, async (store) => {
      const ex = uniqueExchange();
      const before = window(ex, T0, 100, { trades: 7 });
      const rebuilt = window(ex, T0, 40, { trades: 3, incomplete: true });
      const next = window(ex, T0 + 60_000, 5);
      await store.upsertSignals([before, next]);
      assert.equal(await store.upsertSignals([rebuilt]), 1);
      assert.deepEqual(await store.readSignals(ex, 'BTC-EUR', 60_000, 0, T0 + 120_000), [rebuilt, next]);
    }));

  test(`${name} store - signals: a batch with a record the database refuses writes nothing; a non-finite value is refused naming it`, () =>
    withStore(makeStore, async (store) => {
      const ex = uniqueExchange();
      await assert.rejects(store.upsertSignals([window(ex, T0, 1), window(ex, T0 + 60_000, 1, { trades: -1 })]), (err: Error & { code?: string }) => {
        assert.equal(err.code, 'STORE');
        return true;
      });
      await assert.rejects(store.upsertSignals([window(ex, T0, 1, { symbol: '' })]), { code: 'STORE' });
      await assert.rejects(store.upsertSignals([window(ex, T0, 1, { windowMs: 0 })]), { code: 'STORE' });
      await assert.rejects(store.upsertSignals([window(ex, T0, 1, { deltaRatio: Number.POSITIVE_INFINITY })]), /BTC-EUR window 1624493640000: deltaRatio is Infinity, not a finite number/);
      assert.deepEqual(await store.readSignals(ex, 'BTC-EUR', 60_000, 0, T0 + 120_000), []);
    }));
}
