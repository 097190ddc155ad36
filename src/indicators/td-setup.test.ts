import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runIndicatorContract } from './indicator.contract.js';
import { IndicatorInputError } from './indicator-error.js';
import { TD_SETUP_WARMUP, TdSetupStream, tdSetup } from './td-setup.js';
import { tdSequential } from './td-sequential.js';
import { loadRestBars, realDatasets } from './test-support/real-bars.js';

runIndicatorContract({
  name: 'tdSetup',
  input: 'close',
  batch: (b) => tdSetup(b.close),
  into: (b, out) => tdSetup(b.close, out),
  stream: () => new TdSetupStream(),
  warmup: TD_SETUP_WARMUP,
});

test('td setup - equals tdSequential sellSetup − buySetup on every bar of the real candles', () => {
  const sets = [...realDatasets(), ...['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].map((sym) => loadRestBars(sym, '1h', '2024-02-01.json'))];
  let nines = 0;
  let recycles = 0;
  for (const b of sets) {
    const setup = tdSetup(b.close);
    const td = tdSequential(b);
    for (let i = TD_SETUP_WARMUP; i < b.close.length; i++) {
      assert.equal(setup[i], td.sellSetup[i]! - td.buySetup[i]!, `${b.label} bar ${i}`);
      if (Math.abs(setup[i]!) === 9) nines++;
      if (Math.abs(setup[i]!) === 18) recycles++;
    }
  }
  assert.ok(nines > 20 && recycles > 0, `only ${nines} completed setups and ${recycles} recycles`);
});

test('td setup - a count needs a price flip, runs past 9 and ends on a tie with the close 4 bars back', () => {
  // Bars 0–4 flat; from bar 5 every close is below the one 4 bars back; bar 4 ≥ bar 0 is the flip.
  const falling = [10, 10, 10, 10, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1.5, 1.4];
  assert.deepEqual(Array.from(tdSetup(Float64Array.from(falling))).slice(TD_SETUP_WARMUP), [-1, -2, -3, -4, -5, -6, -7, -8, -9, -10]);
  // Falling from the start: bar 4 is already below bar 0, so no flip and no count, ever.
  const noFlip = [20, 19, 18, 17, 16, 15, 14, 13];
  assert.deepEqual(Array.from(tdSetup(Float64Array.from(noFlip))).slice(TD_SETUP_WARMUP), [0, 0, 0]);
  // Rising after a flat start, then a close equal to the one 4 bars back (bar 9 = bar 5): the count ends.
  const tie = [5, 5, 5, 5, 5, 6, 7, 8, 9, 6, 10];
  assert.deepEqual(Array.from(tdSetup(Float64Array.from(tie))).slice(TD_SETUP_WARMUP), [1, 2, 3, 4, 0, 1]);
});

test('td setup - the stream names the bad close and keeps its state; replace rewrites the forming bar', () => {
  const s = new TdSetupStream();
  for (const c of [10, 10, 10, 10, 10]) assert.ok(Number.isNaN(s.update(c)));
  assert.equal(s.update(9), -1);
  assert.throws(() => s.update(-1), (e: unknown) => e instanceof IndicatorInputError && /tdSetup/.test(e.message) && /bar 6/.test(e.message));
  assert.throws(() => s.replace(NaN), (e: unknown) => e instanceof IndicatorInputError && /bar 5/.test(e.message));
  assert.equal(s.replace(11), 1, 'bar 5 replaced by a close above bar 1');
  assert.equal(s.update(12), 2);
  assert.throws(() => tdSetup(Float64Array.from([1, 2, Infinity])), (e: unknown) => e instanceof IndicatorInputError && /bar 2/.test(e.message));
});
