import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PATTERN_DEFS } from './candle-pattern-defs.js';
import { CANDLE_PATTERNS, candlePattern } from './candle-patterns.js';
import { loadRestBars, realDatasets, type RealBars } from './test-support/real-bars.js';
import { talib } from './test-support/talib.js';

// All bars of the contract datasets plus more 1h and 15m windows, so that the rarer patterns
// (three black crows, morning/evening star) occur in the comparison too.
const sets: RealBars[] = [
  ...realDatasets(),
  ...['BTCUSDT', 'SOLUSDT', 'DOGEUSDT', 'LINKUSDT', 'DOTUSDT'].flatMap((sym) => [
    loadRestBars(sym, '1h', '2023-07-01.json'),
    loadRestBars(sym, '15m', '2025-01-06.json'),
  ]),
  // The only windows where piercing occurs: crypto bars open at the prior close, and piercing
  // needs an open below the prior low.
  loadRestBars('ADAUSDT', '1h', '2023-07-01.json'),
  loadRestBars('SOLUSDT', '15m', '2025-03-03.json'),
];

const hits: Record<string, number> = {};
// The addon has no defaults for optional inputs: TA-Lib's defaults, passed explicitly.
const TALIB_DEFAULTS: Record<string, Record<string, number>> = {
  darkCloudCover: { optInPenetration: 0.5 },
  morningStar: { optInPenetration: 0.3 },
  eveningStar: { optInPenetration: 0.3 },
};

for (const name of CANDLE_PATTERNS) {
  describe(`${name} equals TA-Lib ${PATTERN_DEFS[name].talib}`, () => {
    for (const b of sets) {
      test(`${name} - every bar equals TA_${PATTERN_DEFS[name].talib} on ${b.label}`, () => {
        const ours = candlePattern(name, b);
        const theirs = talib(PATTERN_DEFS[name].talib, { open: b.open, high: b.high, low: b.low, close: b.close }, TALIB_DEFAULTS[name]).outInteger!;
        assert.equal(ours.length, theirs.length);
        for (let i = 0; i < ours.length; i++) {
          if (!Object.is(ours[i], theirs[i])) assert.fail(`${name} ${b.label} bar ${i}: ours ${ours[i]}, TA-Lib ${theirs[i]}`);
          if (ours[i] !== 0 && !Number.isNaN(ours[i])) hits[name] = (hits[name] ?? 0) + 1;
        }
      });
    }
  });
}

test('candle patterns - every pattern fires somewhere in the compared bars (the parity is not all zeros)', () => {
  for (const name of CANDLE_PATTERNS) assert.ok((hits[name] ?? 0) > 0, `${name} never fired`);
});

test('candle patterns - non-default penetration still equals TA-Lib', () => {
  const b = sets[0]!;
  for (const [name, pen] of [['darkCloudCover', 0.2], ['morningStar', 0.1], ['eveningStar', 0.6]] as const) {
    const theirs = talib(PATTERN_DEFS[name].talib, { open: b.open, high: b.high, low: b.low, close: b.close }, { optInPenetration: pen }).outInteger!;
    assert.deepEqual(Array.from(candlePattern(name, b, { penetration: pen })), Array.from(theirs), name);
  }
});
