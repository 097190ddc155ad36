import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { realDatasets } from './test-support/real-bars.js';
import { assertParity, talib } from './test-support/talib.js';
import { sma } from './sma.js';
import { ema } from './ema.js';
import { rsi } from './rsi.js';
import { atr, natr, NatrStream } from './atr.js';
import { bbands } from './bbands.js';
import { macd } from './macd.js';
import { wma } from './wma.js';
import { roc } from './roc.js';
import { obv } from './obv.js';
import { willr } from './willr.js';

for (const bars of realDatasets()) {
  const close = bars.close;
  describe(`TA-Lib parity on ${bars.label}`, () => {
    for (const p of [2, 14, 20, 50]) {
      test(`SMA(${p}) equals TA_SMA`, () => assertParity(`SMA(${p})`, sma(close, p), talib('SMA', { inReal: close }, { optInTimePeriod: p }).outReal!));
      test(`EMA(${p}) equals TA_EMA`, () => assertParity(`EMA(${p})`, ema(close, p), talib('EMA', { inReal: close }, { optInTimePeriod: p }).outReal!));
      test(`RSI(${p}) equals TA_RSI`, () => assertParity(`RSI(${p})`, rsi(close, p), talib('RSI', { inReal: close }, { optInTimePeriod: p }).outReal!));
    }
    const hlc = { high: bars.high, low: bars.low, close };
    for (const p of [2, 14, 30]) {
      test(`WMA(${p}) equals TA_WMA`, () => assertParity(`WMA(${p})`, wma(close, p), talib('WMA', { inReal: close }, { optInTimePeriod: p }).outReal!));
      test(`ROC(${p}) equals TA_ROC`, () => assertParity(`ROC(${p})`, roc(close, p), talib('ROC', { inReal: close }, { optInTimePeriod: p }).outReal!));
      test(`WILLR(${p}) equals TA_WILLR`, () => assertParity(`WILLR(${p})`, willr(bars, p), talib('WILLR', hlc, { optInTimePeriod: p }).outReal!));
    }
    test('OBV equals TA_OBV', () => assertParity('OBV', obv(bars), talib('OBV', { inReal: close, volume: bars.volume }).outReal!));
    for (const p of [2, 14, 30]) {
      test(`ATR(${p}) equals TA_ATR`, () => assertParity(`ATR(${p})`, atr(bars, p), talib('ATR', hlc, { optInTimePeriod: p }).outReal!));
      test(`NATR(${p}) equals TA_NATR`, () => assertParity(`NATR(${p})`, natr(bars, p), talib('NATR', hlc, { optInTimePeriod: p }).outReal!));
    }
    for (const [p, up, dn] of [[20, 2, 2], [5, 1, 1], [50, 2.5, 1.5]] as const) {
      test(`BBANDS(${p}, ${up}, ${dn}) equals TA_BBANDS with SMA`, () => {
        const ours = bbands(close, p, up, dn);
        const ref = talib('BBANDS', { inReal: close }, { optInTimePeriod: p, optInNbDevUp: up, optInNbDevDn: dn, optInMAType: 0 });
        assertParity('upper', ours.upper, ref.outRealUpperBand!);
        assertParity('middle', ours.middle, ref.outRealMiddleBand!);
        assertParity('lower', ours.lower, ref.outRealLowerBand!);
      });
    }
    for (const [f, s, g] of [[12, 26, 9], [5, 35, 5], [3, 10, 2]] as const) {
      test(`MACD(${f}, ${s}, ${g}) equals TA_MACD`, () => {
        const ours = macd(close, f, s, g);
        const ref = talib('MACD', { inReal: close }, { optInFastPeriod: f, optInSlowPeriod: s, optInSignalPeriod: g });
        assertParity('macd', ours.macd, ref.outMACD!);
        assertParity('signal', ours.signal, ref.outMACDSignal!);
        assertParity('histogram', ours.histogram, ref.outMACDHist!);
      });
    }
  });
}

test('NATR on a zero close is 0, as TA-Lib writes it, in batch and stream', () => {
  const f = (xs: number[]): Float64Array => Float64Array.from(xs);
  // The zero close at TA-Lib's first output bar, the one place its outReal[0] slip lands on the right bar.
  const first = { high: f([10.5, 11.5, 12, 12.5, 13.5]), low: f([9.5, 10.5, 0, 11.5, 12.5]), close: f([10, 11, 0, 12, 13]) };
  assertParity('NATR(2), zero close at bar 2', natr(first, 2), talib('NATR', first, { optInTimePeriod: 2 }).outReal!);
  assert.equal(natr(first, 2)[2], 0);
  // A later zero close (TA-Lib then writes its 0 into slot 0): ours is 0 on that bar, a ratio on the others.
  const later = { high: f([10.5, 11.5, 12, 12.5, 13.5, 14]), low: f([9.5, 10.5, 11, 11.5, 0, 13]), close: f([10, 11, 11.5, 12, 0, 13.5]) };
  const batch = natr(later, 2);
  assert.equal(batch[4], 0);
  const ref = atr(later, 2);
  for (const i of [2, 3, 5]) assert.equal(batch[i], (ref[i]! / later.close[i]!) * 100);
  const stream = new NatrStream(2);
  const streamed = Array.from(later.close, (close, i) => stream.update({ high: later.high[i]!, low: later.low[i]!, close }));
  assert.deepEqual(streamed, Array.from(batch));
});
