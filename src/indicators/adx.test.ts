import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { adx, AdxStream } from './adx.js';
import { runIndicatorContract } from './indicator.contract.js';
import { realDatasets } from './test-support/real-bars.js';
import { assertParity, talib } from './test-support/talib.js';

runIndicatorContract({
  name: 'adx',
  input: 'bars',
  batch: (b) => adx(b, 14),
  stream: () => new AdxStream(14),
  warmup: { adx: 27, plusDi: 14, minusDi: 14, dx: 14, plusDm: 13, minusDm: 13 },
  badParams: [() => adx({ high: new Float64Array(1), low: new Float64Array(1), close: new Float64Array(1) }, 1), () => new AdxStream(100_001)],
});

runIndicatorContract({
  name: 'adx',
  input: 'bars',
  batch: (b) => adx(b, 2),
  stream: () => new AdxStream(2),
  warmup: { adx: 3, plusDi: 2, minusDi: 2, dx: 2, plusDm: 1, minusDm: 1 },
});

for (const bars of realDatasets()) {
  const hlc = { high: bars.high, low: bars.low, close: bars.close };
  describe(`adx TA-Lib parity on ${bars.label}`, () => {
    for (const p of [2, 5, 14, 30]) {
      test(`ADX(${p}) lines equal TA_ADX, TA_DX, TA_PLUS_DI, TA_MINUS_DI, TA_PLUS_DM, TA_MINUS_DM`, () => {
        const ours = adx(bars, p);
        const opt = { optInTimePeriod: p };
        assertParity(`ADX(${p})`, ours.adx, talib('ADX', hlc, opt).outReal!);
        assertParity(`DX(${p})`, ours.dx, talib('DX', hlc, opt).outReal!);
        assertParity(`PLUS_DI(${p})`, ours.plusDi, talib('PLUS_DI', hlc, opt).outReal!);
        assertParity(`MINUS_DI(${p})`, ours.minusDi, talib('MINUS_DI', hlc, opt).outReal!);
        const hl = { high: bars.high, low: bars.low };
        assertParity(`PLUS_DM(${p})`, ours.plusDm, talib('PLUS_DM', hl, opt).outReal!);
        assertParity(`MINUS_DM(${p})`, ours.minusDm, talib('MINUS_DM', hl, opt).outReal!);
      });
    }
  });
}

test('adx - a bar with no range beyond the previous one keeps DX and ADX on flat input at 0', () => {
  const flat = new Float64Array(40).fill(7);
  const out = adx({ high: flat, low: flat, close: flat }, 5);
  assert.equal(out.plusDi[5], 0);
  assert.equal(out.dx[5], 0);
  assert.equal(out.dx[39], 0);
  assert.equal(out.adx[9], 0);
  assert.equal(out.adx[39], 0);
});

test('adx - a steady rise has +DI 100·DM/TR, −DI 0 and DX 100', () => {
  // Each bar is 1 higher with a range of 1: +DM1 = 1, −DM1 = 0, TR1 = 1 (|high − previous close| = 1).
  const high = Float64Array.from({ length: 12 }, (_, i) => 11 + i);
  const low = Float64Array.from({ length: 12 }, (_, i) => 10 + i);
  const out = adx({ high, low, close: high }, 3);
  assert.equal(out.plusDm[2], 2);
  assert.equal(out.plusDm[3], 2 - 2 / 3 + 1);
  assert.equal(out.plusDi[3], 100);
  assert.equal(out.minusDi[3], 0);
  assert.equal(out.dx[3], 100);
  assert.equal(out.adx[5], 100);
});
