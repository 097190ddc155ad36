import { describe, test } from 'node:test';
import { realDatasets } from './test-support/real-bars.js';
import { assertParity, talib } from './test-support/talib.js';
import { dema } from './dema.js';
import { tema } from './tema.js';
import { kama } from './kama.js';
import { stochastic } from './stochastic.js';
import { stochRsi } from './stoch-rsi.js';
import { cci } from './cci.js';
import { mfi } from './mfi.js';

// DEMA, TEMA, KAMA, STOCH, STOCHRSI, CCI and MFI against TA-Lib C 0.6.0 on the real candles, 1e-9 relative.
for (const bars of realDatasets()) {
  const close = bars.close;
  const hlc = { high: bars.high, low: bars.low, close };
  describe(`TA-Lib parity (DEMA … MFI) on ${bars.label}`, () => {
    for (const p of [2, 14, 30]) {
      test(`DEMA(${p}) equals TA_DEMA`, () => assertParity(`DEMA(${p})`, dema(close, p), talib('DEMA', { inReal: close }, { optInTimePeriod: p }).outReal!));
      test(`TEMA(${p}) equals TA_TEMA`, () => assertParity(`TEMA(${p})`, tema(close, p), talib('TEMA', { inReal: close }, { optInTimePeriod: p }).outReal!));
      test(`KAMA(${p}) equals TA_KAMA`, () => assertParity(`KAMA(${p})`, kama(close, p), talib('KAMA', { inReal: close }, { optInTimePeriod: p }).outReal!));
      test(`CCI(${p}) equals TA_CCI`, () => assertParity(`CCI(${p})`, cci(bars, p), talib('CCI', hlc, { optInTimePeriod: p }).outReal!));
      test(`MFI(${p}) equals TA_MFI`, () =>
        assertParity(`MFI(${p})`, mfi(bars, p), talib('MFI', { ...hlc, volume: bars.volume }, { optInTimePeriod: p }).outReal!));
    }
    for (const [k, s, d] of [[5, 3, 3], [14, 3, 3], [14, 1, 1], [9, 4, 2]] as const) {
      test(`STOCH(${k}, ${s}, ${d}) equals TA_STOCH with SMA smoothing`, () => {
        const ours = stochastic(bars, k, s, d);
        const ref = talib('STOCH', hlc, { optInFastK_Period: k, optInSlowK_Period: s, optInSlowK_MAType: 0, optInSlowD_Period: d, optInSlowD_MAType: 0 });
        assertParity('slowK', ours.k, ref.outSlowK!);
        assertParity('slowD', ours.d, ref.outSlowD!);
      });
    }
    for (const [p, k, d] of [[14, 5, 3], [14, 14, 1], [7, 10, 4]] as const) {
      test(`STOCHRSI(${p}, ${k}, ${d}) equals TA_STOCHRSI with SMA %D`, () => {
        const ours = stochRsi(close, p, k, d);
        const ref = talib('STOCHRSI', { inReal: close }, { optInTimePeriod: p, optInFastK_Period: k, optInFastD_Period: d, optInFastD_MAType: 0 });
        assertParity('fastK', ours.k, ref.outFastK!);
        assertParity('fastD', ours.d, ref.outFastD!);
      });
    }
  });
}
