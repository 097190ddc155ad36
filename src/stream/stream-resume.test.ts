import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendOutage, Outages, OUTAGES_FILE, readOutages } from './stream-resume.js';
import type { LiquidityWindow } from '../store/signal-records.js';

const MIN = 60_000;
const T0 = Date.UTC(2024, 7, 8, 23, 55);

function window(symbol: string, windowStart: number): LiquidityWindow {
  return {
    exchange: 'binance', symbol, windowStart, windowMs: MIN,
    bidDeltaNotional: 1, askDeltaNotional: 1, deltaRatio: 1, topLevels: 10, bookBidNotional: null, bookAskNotional: null, bookRatio: null,
    takerBuyQuantity: 1, takerSellQuantity: 0, tradeImbalance: 1, bestBid: null, bestAsk: null, spread: null, mid: null,
    deltaEvents: 1, bidLevels: 1, askLevels: 0, trades: 1, incomplete: false,
  };
}

test('outages - a restarted process marks its windows up to the one holding the first live event incomplete; a logged span from the held event on; others untouched', () => {
  const o = new Outages();
  const ref = { exchange: 'binance', symbol: 'BTCUSDT' } as const;
  o.open(ref, 'exchange', T0 + 21_238);
  // Open: every window from the held one on is inside it.
  assert.equal(o.mark(window('BTCUSDT', T0 + 5 * MIN)).incomplete, true);
  assert.equal(o.close(ref, 'receive', T0 + 9 * MIN), null, 'no outage open in receive time');
  assert.deepEqual(o.close(ref, 'exchange', T0 + 2 * MIN + 4_000), { exchange: 'binance', symbol: 'BTCUSDT', clock: 'exchange', from: T0 + 21_238, to: T0 + 2 * MIN + 4_000 });
  assert.equal(o.close(ref, 'exchange', T0 + 9 * MIN), null, 'a closed outage is not closed again');
  // The restarted process's own outage: a window it emits before the first live event is incomplete
  // even when it ended before the held event (built from what came back, not from all its events).
  assert.deepEqual([-1, 0, 1, 2, 3].map((k) => o.mark(window('BTCUSDT', T0 + k * MIN)).incomplete), [true, true, true, true, false]);
  assert.equal(o.mark(window('ETHUSDT', T0 + MIN)).incomplete, false, 'another market has no outage');
  // The logged span (as a replay reads it) marks only from the held event on.
  const logged = new Outages();
  logged.add({ exchange: 'binance', symbol: 'BTCUSDT', clock: 'exchange', from: T0 + 21_238, to: T0 + 2 * MIN + 4_000 });
  assert.deepEqual([-1, 0, 1, 2, 3].map((k) => logged.mark(window('BTCUSDT', T0 + k * MIN)).incomplete), [false, true, true, true, false]);
  const w = window('BTCUSDT', T0 + 3 * MIN);
  assert.equal(o.mark(w), w, 'a window outside is passed on as it is');
});

test('outages log - appended spans are read back and mark the same windows; a torn last line is skipped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'tf-outages-'));
  try {
    assert.equal((await readOutages(dir)).skipped, 0, 'no log: no outages');
    await appendOutage(dir, { exchange: 'binance', symbol: 'BTCUSDT', clock: 'exchange', from: T0 + 21_238, to: T0 + MIN + 1 });
    // Receive time of the same outage, far from the exchange times (as in a replay): its own windows.
    await appendOutage(dir, { exchange: 'binance', symbol: 'BTCUSDT', clock: 'receive', from: T0 + 100 * MIN + 5, to: T0 + 100 * MIN + 6 });
    appendFileSync(join(dir, OUTAGES_FILE), '{"exchange":"binance","sym');
    const { outages, skipped } = await readOutages(dir);
    assert.equal(skipped, 1);
    assert.deepEqual([-1, 0, 1, 2, 99, 100, 101].map((k) => outages.mark(window('BTCUSDT', T0 + k * MIN)).incomplete), [false, true, true, false, false, true, false]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
