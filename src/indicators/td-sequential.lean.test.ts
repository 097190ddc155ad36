import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tdSequential, type TdSequentialSeries } from './td-sequential.js';
import { loadLeanTdData } from './test-support/lean-td-data.js';

/**
 * Our per-bar output in LEAN's phase code. LEAN stops counting setups while a countdown runs and
 * has no recycle or deferral, so the mapping only holds where those do not differ (as on LEAN's
 * own data set): setup 1–8 → 1/2, setup 9 → 5/6 when perfected else 1/2, countdown bar → 3/4.
 */
function leanCode(td: TdSequentialSeries, i: number): number {
  const buy = td.buySetup[i]!;
  const sell = td.sellSetup[i]!;
  if (buy >= 1 && buy <= 9) return buy === 9 && td.buyPerfected[i] === 1 ? 5 : 1;
  if (sell >= 1 && sell <= 9) return sell === 9 && td.sellPerfected[i] === 1 ? 6 : 2;
  if (td.buyCountdown[i]! > 0 || td.buyDeferred[i] === 1) return 3;
  if (td.sellCountdown[i]! > 0 || td.sellDeferred[i] === 1) return 4;
  return 0;
}

test('td sequential - matches LEAN TomDemarkSequential phase codes on its test data bar by bar', () => {
  const { bars, tds } = loadLeanTdData();
  const td = tdSequential(bars);
  assert.equal(tds.length, 26);
  const ours = tds.map((_, i) => (Number.isNaN(td.buySetup[i]) ? 0 : leanCode(td, i)));
  assert.deepEqual(ours, tds);
});

test('td sequential - LEAN data: flip at bar 5, perfected buy 9 at bar 13, countdown from setup bar 9, recycled at setup bar 18', () => {
  const { bars } = loadLeanTdData();
  const td = tdSequential(bars);
  assert.equal(td.buySetup[5], 1);
  assert.equal(td.buySetup[13], 9);
  assert.equal(td.buyPerfected[13], 1);
  // Bar 13 closes 83 ≤ low 2 bars back (85): setup bar 9 is countdown 1.
  assert.equal(td.buyCountdown[13], 1);
  // Highest high of setup bars 5..13 is bar 5's 101.
  assert.equal(td.tdstResistance[13], 101);
  assert.equal(td.tdstResistance[12], 0);
  // Every later bar closes ≤ the low 2 bars back. The setup run reaches 18 at bar 22, which
  // recycles the countdown (our documented variant; LEAN has no recycle): 1..9 then 1..4.
  assert.deepEqual(Array.from(td.buyCountdown.subarray(13)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 2, 3, 4]);
  assert.equal(td.buySetup[22], 18);
});
